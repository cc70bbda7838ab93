/**
 * The trip snapshot at rest: encrypted with AES-GCM (256-bit) under a key derived from the
 * trip PIN with PBKDF2-SHA-256. A lost iPad holds only ciphertext, a salt and an IV; without
 * the PIN nothing in IndexedDB names a pupil. Web Crypto only: the same code runs in Safari
 * and in Node (tests, benchmarks).
 */

/**
 * PBKDF2 iterations: OWASP's current advice for PBKDF2-HMAC-SHA-256. Unlocking takes a
 * fraction of a second on an iPad (measured in bench/).
 *
 * What this does and does not buy: on the device, the screen allows five guesses and then
 * wipes the list. Someone who copies the storage off the device (past the iPad's own passcode
 * and encryption) can guess offline without that limit; each guess then costs 600,000 rounds,
 * so every digit added to the PIN makes them ten times slower. What they could get is small
 * (first names, initials, classes and yes/no per use) and out of date within days.
 */
export const pinIterations = 600_000;

/** A PIN is 6 to 12 digits (longer is safer): not a run or one digit again and again. */
export function pinProblem(pin: string): string | null {
	if (!/^\d{6,12}$/.test(pin)) return 'trip.error.pinShape';
	if (/^(\d)\1+$/.test(pin)) return 'trip.error.pinRepeated';
	const digits = [...pin].map(Number);
	const step = digits[1]! - digits[0]!;
	if (Math.abs(step) === 1 && digits.every((d, i) => i === 0 || d - digits[i - 1]! === step))
		return 'trip.error.pinSequence';
	return null;
}

export interface Sealed {
	v: 1;
	salt: string;
	iv: string;
	iterations: number;
	data: string;
}

const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function keyFor(pin: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
	const base = await crypto.subtle.importKey(
		'raw',
		new TextEncoder().encode(pin),
		'PBKDF2',
		false,
		['deriveKey']
	);
	return crypto.subtle.deriveKey(
		{ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
		base,
		{ name: 'AES-GCM', length: 256 },
		false,
		['encrypt', 'decrypt']
	);
}

/** Chunked, so a large snapshot does not overflow the call stack of `String.fromCharCode`. */
function base64Of(bytes: Uint8Array): string {
	let out = '';
	for (let i = 0; i < bytes.length; i += 0x8000)
		out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(out);
}

export async function seal(
	value: unknown,
	pin: string,
	iterations = pinIterations
): Promise<Sealed> {
	const salt = crypto.getRandomValues(new Uint8Array(16));
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const key = await keyFor(pin, salt, iterations);
	const plain = new TextEncoder().encode(JSON.stringify(value));
	const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain));
	return { v: 1, salt: base64Of(salt), iv: base64Of(iv), iterations, data: base64Of(data) };
}

/** The value, or null when the PIN is wrong (or the ciphertext was changed: GCM checks both). */
export async function unseal(sealed: Sealed, pin: string): Promise<unknown> {
	try {
		const key = await keyFor(pin, fromBase64(sealed.salt), sealed.iterations);
		const plain = await crypto.subtle.decrypt(
			{ name: 'AES-GCM', iv: fromBase64(sealed.iv) as BufferSource },
			key,
			fromBase64(sealed.data)
		);
		return JSON.parse(new TextDecoder().decode(plain)) as unknown;
	} catch {
		return null;
	}
}

/** After this many wrong PINs in a row the snapshot is wiped. */
export const maxWrongPins = 5;
