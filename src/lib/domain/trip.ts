import { z } from 'zod';

/**
 * The photo-check snapshot a trip device downloads: for the chosen classes, only what a check
 * needs (first name, last initial, class, card ids, and the verdict per use). No photos, no
 * reasons, no other personal data. It is sealed on the device (see client/trip/sealed.ts).
 */

/** How long after the trip's end a snapshot may still be opened before it wipes itself. */
export const defaultGraceHours = 24;
/** Past this age offline, "allowed" shows as "check with the trip lead". */
export const defaultMaxAgeHours = 48;
/** The longest trip a snapshot can be made for (a residential week and a weekend). */
export const maxTripDays = 10;

export const snapshotRequestSchema = z.object({
	classIds: z.array(z.string().uuid()).min(1, 'trip.error.noClasses').max(60),
	/** A name for the group, shown on the trip device ("Year 4 castle trip"). */
	groupName: z.string().trim().min(1, 'trip.error.groupName').max(60, 'trip.error.groupName'),
	endsAt: z.string().datetime({ message: 'trip.error.endsAt' }),
	/** A named group: only these pupils of the chosen classes (all of them when absent). */
	pupilIds: z.array(z.string().uuid()).min(1, 'trip.error.noPupils').max(2000).optional()
});
export type SnapshotRequest = z.output<typeof snapshotRequestSchema>;

export const tripSnapshotSchema = z.object({
	groupName: z.string(),
	takenAt: z.string(),
	endsAt: z.string(),
	graceHours: z.number(),
	maxAgeHours: z.number(),
	/**
	 * `neverAllowed`: the school's policy never allows the use ("Not allowed (school rule)").
	 * Optional, so a snapshot cached on a device before it existed still reads.
	 */
	uses: z.array(
		z.object({ id: z.string(), name: z.string(), neverAllowed: z.boolean().optional() })
	),
	pupils: z.array(
		z.object({
			id: z.string(),
			firstName: z.string(),
			lastInitial: z.string(),
			className: z.string(),
			cardIds: z.array(z.string()),
			/**
			 * One a use, in the order of `uses` (short to carry: 2,000 pupils × every use).
			 * 'check': a yes that does not count yet (the school needs every carer's); never why.
			 * A snapshot from before 'check' existed holds only the other two, and still reads.
			 */
			verdicts: z.array(z.enum(['allowed', 'not-allowed', 'check']))
		})
	)
});
export type TripSnapshot = z.output<typeof tripSnapshotSchema>;

/** Why a trip's end time cannot be used, or null. */
export function endsAtProblem(endsAt: string, now: Date): string | null {
	const end = Date.parse(endsAt);
	if (end <= now.getTime()) return 'trip.error.endsInPast';
	if (end - now.getTime() > maxTripDays * 86_400_000) return 'trip.error.tooLong';
	return null;
}

/** What the server sends a trip device when it downloads: its own token and the snapshot. */
export const tripDownloadSchema = z.object({
	deviceId: z.string(),
	token: z.string().min(20),
	snapshot: tripSnapshotSchema
});
export type TripDownload = z.output<typeof tripDownloadSchema>;

/**
 * One photo check made on a trip device, as it is logged there and sent through the outbox:
 * which pupils, for which use, and what the screen said — never a name.
 */
export const tripCheckSchema = z.object({
	id: z.string().uuid(),
	useId: z.string().min(1).max(64),
	pupilIds: z.array(z.string().min(1).max(64)).min(1).max(60),
	answer: z.enum(['allowed', 'not-allowed', 'check']),
	/** For a group: the pupils who made it "not allowed" or "check". */
	notAllowed: z.array(z.string().max(64)).max(60),
	toCheck: z.array(z.string().max(64)).max(60),
	checkedAt: z.string().datetime(),
	/** 'scan' or 'search': how the pupil (or the last of a group) was found. */
	how: z.enum(['scan', 'search']),
	group: z.boolean()
});
export type TripCheck = z.output<typeof tripCheckSchema>;

/** A trip device telling the server it ended (or its member of staff signed out there). */
export const tripEndSchema = z.object({
	id: z.string().uuid(),
	endedAt: z.string().datetime(),
	reason: z.enum(['ended', 'signed-out'])
});
export type TripEnd = z.output<typeof tripEndSchema>;

/** When a snapshot must be gone from the device: its trip's end plus the grace period. */
export function wipeAt(snapshot: { endsAt: string; graceHours: number }): number {
	return Date.parse(snapshot.endsAt) + snapshot.graceHours * 3_600_000;
}

/**
 * How far a trip device's clock may be from the server's: a check dated this much before the
 * list was taken, or after it closed (or after now), is still taken.
 */
export const tripCheckSkewMs = 5 * 60_000;

/**
 * Why a check's time cannot be true, or null: a check can only be made while its list was on
 * the device — from when it was taken until it was revoked or ended, and never after the trip's
 * end plus grace (when the device wipes it) nor after now. Each bound allows the clock skew.
 */
export function checkTimeProblem(
	checkedAt: string,
	list: { takenAt: string; closedAt: string | null; wipeAt: number },
	now: number
): 'before-taken' | 'after-closed' | 'in-future' | null {
	const at = Date.parse(checkedAt);
	if (at < Date.parse(list.takenAt) - tripCheckSkewMs) return 'before-taken';
	const closed = Math.min(
		list.wipeAt,
		list.closedAt === null ? Infinity : Date.parse(list.closedAt)
	);
	if (at > closed + tripCheckSkewMs) return 'after-closed';
	if (at > now + tripCheckSkewMs) return 'in-future';
	return null;
}

export function ageHours(takenAt: string, now: number): number {
	return Math.max(0, (now - Date.parse(takenAt)) / 3_600_000);
}

/** Lower case, accents and apostrophes gone, hyphens as spaces: "Zoë O'Neil" is "zoe oneil". */
export function foldName(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[-\u2010\u2011]/g, ' ')
		.replace(/[^\p{L}\p{N}\s]/gu, '')
		.replace(/\s+/g, ' ')
		.trim();
}

export interface SearchablePupil {
	id: string;
	firstName: string;
	lastInitial: string;
	className: string;
}

export interface NameIndex<P extends SearchablePupil> {
	pupils: readonly P[];
	/** The folded words of "firstname l", in the same order as `pupils`. */
	parts: readonly (readonly string[])[];
	/** For each first letter, the pupils with a name (not the initial) starting with it, in order. */
	byLetter: ReadonlyMap<string, readonly number[]>;
}

/** Built once when the list is unlocked, so each key press looks only at names that could match. */
export function nameIndex<P extends SearchablePupil>(pupils: readonly P[]): NameIndex<P> {
	const sorted = [...pupils].sort(
		(a, b) =>
			a.firstName.localeCompare(b.firstName, 'en-GB') ||
			a.lastInitial.localeCompare(b.lastInitial, 'en-GB') ||
			a.className.localeCompare(b.className, 'en-GB')
	);
	const parts = sorted.map((p) => foldName(`${p.firstName} ${p.lastInitial}`).split(' '));
	const byLetter = new Map<string, number[]>();
	parts.forEach((words, i) => {
		for (const letter of new Set(words.slice(0, -1).map((w) => w.charAt(0)))) {
			const list = byLetter.get(letter) ?? [];
			list.push(i);
			byLetter.set(letter, list);
		}
	});
	return { pupils: sorted, parts, byLetter };
}

/** Each typed word starts a later part of the name; the first never matches the initial alone. */
function matchesInOrder(parts: readonly string[], words: readonly string[]): boolean {
	let at = 0;
	for (const [w, word] of words.entries()) {
		const last = w === 0 ? parts.length - 1 : parts.length;
		while (at < last && !parts[at]!.startsWith(word)) at++;
		if (at >= last) return false;
		at++;
	}
	return true;
}

/**
 * Pupils whose first name (or any part of it) starts with what was typed; a second word
 * narrows by the last initial ("amy b"). Alphabetical; at most `limit`.
 */
export function searchNames<P extends SearchablePupil>(
	index: NameIndex<P>,
	query: string,
	limit = 12
): P[] {
	const words = foldName(query).split(' ').filter(Boolean);
	if (words.length === 0) return [];
	const found: P[] = [];
	for (const i of index.byLetter.get(words[0]!.charAt(0)) ?? []) {
		if (found.length >= limit) break;
		if (matchesInOrder(index.parts[i]!, words)) found.push(index.pupils[i]!);
	}
	return found;
}
