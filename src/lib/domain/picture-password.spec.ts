import { describe, expect, it } from 'vitest';
import {
	lockForPictures,
	afterWrongPictures,
	freshPictureLock,
	isPictureLocked,
	pictureSequenceSchema,
	randomPictures,
	type PictureLock
} from './picture-password';

const now = new Date('2026-10-01T10:00:00Z');

describe('picture passwords', () => {
	it('are three different pictures from the nine', () => {
		for (let i = 0; i < 50; i++)
			expect(pictureSequenceSchema.safeParse(randomPictures(Math.random)).success).toBe(true);
		expect(pictureSequenceSchema.safeParse(['sun', 'sun', 'moon']).success).toBe(false);
		expect(pictureSequenceSchema.safeParse(['sun', 'moon']).success).toBe(false);
		expect(pictureSequenceSchema.safeParse(['sun', 'moon', 'dragon']).success).toBe(false);
	});

	it('lock after five wrong tries, until a teacher unlocks', () => {
		let lock: PictureLock = freshPictureLock;
		for (let i = 0; i < 4; i++) {
			lock = afterWrongPictures(lock, null, now);
			expect(isPictureLocked(lock, null)).toBe(false);
		}
		lock = afterWrongPictures(lock, null, now);
		expect(isPictureLocked(lock, null)).toBe(true);
		// Time alone does not unlock it; an unlock from before the lock does not either.
		expect(isPictureLocked(lock, '2026-09-01T00:00:00Z')).toBe(true);
		expect(isPictureLocked(lock, '2026-10-01T10:05:00Z')).toBe(false);
	});

	it('count again from one after a teacher unlocks', () => {
		const locked = { failures: 5, lockedAt: now.toISOString() };
		expect(
			afterWrongPictures(locked, '2026-10-01T11:00:00Z', new Date('2026-10-01T12:00:00Z'))
		).toEqual({
			failures: 1,
			lockedAt: null
		});
	});

	it('gives a pupil five fresh tries with new pictures, and keeps the count for the same ones', () => {
		const counted = { failures: 3, lockedAt: null, forHash: 'old' };
		expect(lockForPictures(counted, 'new')).toEqual(freshPictureLock);
		expect(lockForPictures(counted, 'old')).toEqual(counted);
		const locked = { failures: 5, lockedAt: '2026-11-01T10:00:00.000Z', forHash: 'old' };
		expect(lockForPictures(locked, 'new')).toEqual(freshPictureLock);
		// A count kept before this rule knew its pictures stays as it was.
		expect(lockForPictures({ failures: 2, lockedAt: null }, 'new')).toEqual({
			failures: 2,
			lockedAt: null
		});
	});
});
