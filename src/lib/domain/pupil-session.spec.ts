import { describe, expect, it } from 'vitest';
import { pupilIdleExpired, pupilIdleLimitMs } from './pupil-session';

const minute = 60_000;

describe('pupil idle sign-out (with a fake clock)', () => {
	it('signs KS1 pupils out after five idle minutes and KS2 after ten', () => {
		expect(pupilIdleLimitMs('KS1')).toBe(5 * minute);
		expect(pupilIdleLimitMs('EYFS')).toBe(5 * minute);
		expect(pupilIdleLimitMs('KS2')).toBe(10 * minute);
		expect(pupilIdleExpired(0, 5 * minute - 1, 'KS1')).toBe(false);
		expect(pupilIdleExpired(0, 5 * minute, 'KS1')).toBe(true);
		expect(pupilIdleExpired(0, 9 * minute, 'KS2')).toBe(false);
		expect(pupilIdleExpired(0, 10 * minute, 'KS2')).toBe(true);
	});
	it('follows the school’s own limits', () => {
		expect(pupilIdleExpired(0, 3 * minute, 'KS1', { ks1Minutes: 3, ks2Minutes: 6 })).toBe(true);
	});
});
