import { z } from 'zod';

/**
 * Picture passwords, for classes that turn them on: after "Find my name", a pupil taps
 * their three pictures, in order, from nine. Five wrong tries lock that pupil's picture
 * password on the device until a teacher unlocks it. (With 504 possible orders, the lock —
 * not the hash — is what keeps a classmate out; the hash keeps the pictures off screens.)
 */
export const pictures = {
	sun: '☀️',
	moon: '🌙',
	star: '⭐',
	tree: '🌳',
	apple: '🍎',
	boat: '⛵',
	ball: '⚽',
	cake: '🎂',
	flower: '🌼'
} as const;
export type Picture = keyof typeof pictures;
export const pictureKeys = Object.keys(pictures) as Picture[];
export const picturesInPassword = 3;
export const pictureRules = { maxFailures: 5, iterations: 100_000 } as const;

export const pictureSequenceSchema = z
	.array(z.enum(pictureKeys as [Picture, ...Picture[]]))
	.length(picturesInPassword)
	.refine((seq) => new Set(seq).size === seq.length, 'three different pictures');

/** Three different pictures in a random order, from a source of random numbers in [0, 1). */
export function randomPictures(random: () => number): Picture[] {
	const pool = [...pictureKeys];
	const chosen: Picture[] = [];
	while (chosen.length < picturesInPassword) {
		const [picked] = pool.splice(Math.floor(random() * pool.length), 1);
		chosen.push(picked!);
	}
	return chosen;
}

/** What is hashed: bound to the pupil, so one pupil's hash says nothing about another's. */
export function picturePasswordInput(pupilId: string, sequence: readonly Picture[]): string {
	return `${pupilId}:${sequence.join(',')}`;
}

export interface PictureLock {
	failures: number;
	lockedAt: string | null;
	/** The pictures the wrong tries were against: new pictures start the count again. */
	forHash?: string;
}
export const freshPictureLock: PictureLock = { failures: 0, lockedAt: null };

/**
 * The device's count of wrong tries, as it stands for the pictures the pupil has now. A
 * teacher who gives a pupil new pictures gives them five fresh tries too, on every iPad.
 */
export function lockForPictures(lock: PictureLock, hash: string): PictureLock {
	return lock.forHash !== undefined && lock.forHash !== hash ? freshPictureLock : lock;
}

/**
 * Locked when five tries failed and no teacher has unlocked it since. `unlockedAt` is the
 * teacher's last unlock for this pupil, as the roster carries it.
 */
/** Locked on this device, or (reported by another device) on the server, since the last unlock. */
export function isLockedAnywhere(
	lock: PictureLock,
	entry: { unlockedAt: string | null; lockedAt: string | null }
): boolean {
	if (isPictureLocked(lock, entry.unlockedAt)) return true;
	return (
		entry.lockedAt !== null &&
		(!entry.unlockedAt || new Date(entry.lockedAt) > new Date(entry.unlockedAt))
	);
}

export function isPictureLocked(lock: PictureLock, unlockedAt: string | null): boolean {
	if (!lock.lockedAt) return false;
	return !unlockedAt || new Date(unlockedAt) <= new Date(lock.lockedAt);
}

export function afterWrongPictures(
	lock: PictureLock,
	unlockedAt: string | null,
	now: Date
): PictureLock {
	// A teacher's unlock since the lock starts the count again.
	const start = lock.lockedAt && !isPictureLocked(lock, unlockedAt) ? freshPictureLock : lock;
	const failures = start.failures + 1;
	return { failures, lockedAt: failures >= pictureRules.maxFailures ? now.toISOString() : null };
}
