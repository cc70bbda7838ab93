/**
 * Pupil cards. A card's QR holds `L1:<card id>:<secret>`: upper-case base32, a 40-bit id
 * and a 128-bit secret — no URL and nothing personal, so a lost card tells its finder
 * nothing. The server and each class device keep only a hash of the secret.
 */
export const cardPrefix = 'L1';
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const cardIdLength = 8; // 40 bits
export const cardSecretLength = 26; // 130 bits of text for a 128-bit secret
const tokenPattern = new RegExp(
	`^${cardPrefix}:([A-Z2-7]{${cardIdLength}}):([A-Z2-7]{${cardSecretLength}})$`
);

export function base32(bytes: Uint8Array): string {
	let bits = 0;
	let value = 0;
	let out = '';
	for (const byte of bytes) {
		value = (value << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			out += alphabet[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
	return out;
}

export function formatCardToken(cardId: string, secret: string): string {
	return `${cardPrefix}:${cardId}:${secret}`;
}

export type ParsedCard =
	{ ok: true; cardId: string; secret: string } | { ok: false; reason: 'not-a-card' | 'damaged' };

/** Reads what a QR said. Anything that is not exactly a Lantern card is refused. */
export function parseCardToken(text: string): ParsedCard {
	const trimmed = text.trim();
	const match = tokenPattern.exec(trimmed);
	if (match) return { ok: true, cardId: match[1]!, secret: match[2]! };
	// Something that starts like a card but is not one reads as a damaged card.
	return { ok: false, reason: trimmed.startsWith(`${cardPrefix}:`) ? 'damaged' : 'not-a-card' };
}

/** What is hashed to check a card: the whole token, so a secret is bound to its card id. */
export function cardHashInput(cardId: string, secret: string): string {
	return formatCardToken(cardId, secret);
}

/** Cards last until the end of the school year: 31 August by default, configurable. */
export interface SchoolYearEnd {
	month: number; // 1–12
	day: number;
}
export const defaultSchoolYearEnd: SchoolYearEnd = { month: 8, day: 31 };

export function cardExpiry(issuedAt: Date, end: SchoolYearEnd = defaultSchoolYearEnd): Date {
	const year = issuedAt.getUTCFullYear();
	const endOf = (y: number) => Date.UTC(y, end.month - 1, end.day, 23, 59, 59);
	const nextEnd = issuedAt.getTime() <= endOf(year) ? endOf(year) : endOf(year + 1);
	// Cards printed in the last four weeks of a school year are for the next one.
	const tooSoon = nextEnd - issuedAt.getTime() < rolloverDays * 86_400_000;
	return new Date(tooSoon ? endOf(new Date(nextEnd).getUTCFullYear() + 1) : nextEnd);
}
const rolloverDays = 28;

/** A card as a class device holds it in its roster. */
export interface RosterCard {
	cardId: string;
	pupilId: string;
	secretHash: string;
	expiresAt: string;
}

export type CardCheck =
	| { ok: true; pupilId: string }
	| { ok: false; reason: 'not-a-card' | 'damaged' | 'unknown' | 'expired' };

/**
 * Checks a scanned card against the device's roster, offline. `secretHash` is the hash
 * of `cardHashInput` for the card scanned (hashing is I/O-free but async in browsers,
 * so it is done by the caller). A revoked card is simply absent from the roster.
 */
export function checkCard(
	parsed: ParsedCard,
	secretHash: string | null,
	cards: readonly RosterCard[],
	now: Date
): CardCheck {
	if (!parsed.ok) return parsed;
	const card = cards.find((c) => c.cardId === parsed.cardId);
	if (!card || secretHash === null || !sameText(card.secretHash, secretHash))
		return { ok: false, reason: 'unknown' };
	if (new Date(card.expiresAt).getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
	return { ok: true, pupilId: card.pupilId };
}

function sameText(a: string, b: string): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
	return diff === 0;
}
