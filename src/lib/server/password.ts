import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { withHashingSlot, type HashTurn } from './hash-gate';

/**
 * Staff passwords (and later pupils' picture passwords) are kept as scrypt hashes:
 * slow on purpose, salted, with the parameters stored beside the hash so they can rise.
 * Every hash waits for a turn in the hash gate (`hash-gate.ts`), so only a few run at once.
 */
const params = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };
const maxmem = 64 * 1024 * 1024;

function derive(
	password: string,
	salt: Buffer,
	options: ScryptOptions,
	keyLength: number,
	turn?: HashTurn
) {
	return withHashingSlot(
		() =>
			new Promise<Buffer>((resolve, reject) =>
				scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
					error ? reject(error) : resolve(key)
				)
			),
		turn
	);
}

export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await derive(
		password,
		salt,
		{ N: params.N, r: params.r, p: params.p, maxmem },
		params.keyLength
	);
	return [
		'scrypt',
		params.N,
		params.r,
		params.p,
		salt.toString('base64'),
		key.toString('base64')
	].join('$');
}

/**
 * Kept in place of a hash for an account whose person has not yet chosen a password (through
 * their set-password link): no password matches it.
 */
export const noPasswordYet = 'none:waiting-for-set-password-link';

/**
 * Checks a password against its stored hash. At sign-in, `turn.refuseWhenFull` makes a busy
 * server throw `HashingBusy` at once instead of queueing without end.
 */
export async function verifyPassword(
	password: string,
	stored: string,
	turn?: HashTurn
): Promise<boolean> {
	if (stored === noPasswordYet) {
		// As long to refuse as a wrong password, so nobody learns the account is new.
		await verifyPassword(password, await decoyHash(), turn);
		return false;
	}
	const [kind, n, r, p, salt, key] = stored.split('$');
	if (kind !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
	const expected = Buffer.from(key, 'base64');
	const actual = await derive(
		password,
		Buffer.from(salt, 'base64'),
		{ N: Number(n), r: Number(r), p: Number(p), maxmem },
		expected.length,
		turn
	);
	return timingSafeEqual(actual, expected);
}

/**
 * A hash of nothing in particular: checked against when the email is unknown, so that
 * an unknown account takes as long to refuse as a wrong password.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
	decoy ??= hashPassword(randomBytes(12).toString('hex'));
	return decoy;
}
