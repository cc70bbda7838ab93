import { describe, expect, it } from 'vitest';
import { schoolDateTime, schoolDay, startOfSchoolDay } from './school-time';

describe('school time', () => {
	it('reads a UTC time as the clock on the school’s wall, summer and winter', () => {
		expect(schoolDateTime('2026-07-01T13:05:00.000Z', 'Europe/London')).toBe('2026-07-01 14:05');
		expect(schoolDateTime('2026-11-03T14:05:00.000Z', 'Europe/London')).toBe('2026-11-03 14:05');
		expect(schoolDateTime('2026-06-30T23:30:00.000Z', 'Europe/London')).toBe('2026-07-01 00:30');
		expect(schoolDay('2026-06-30T23:30:00.000Z', 'Europe/London')).toBe('2026-07-01');
		expect(schoolDateTime('2026-11-03T14:05:00.000Z', 'UTC')).toBe('2026-11-03 14:05');
	});

	it('finds the moment a school day begins', () => {
		expect(startOfSchoolDay('2026-07-01', 'Europe/London').toISOString()).toBe(
			'2026-06-30T23:00:00.000Z'
		);
		expect(startOfSchoolDay('2026-11-03', 'Europe/London').toISOString()).toBe(
			'2026-11-03T00:00:00.000Z'
		);
		// The days the clocks change (at 1 am, so midnight is always there).
		expect(startOfSchoolDay('2026-03-29', 'Europe/London').toISOString()).toBe(
			'2026-03-29T00:00:00.000Z'
		);
		expect(startOfSchoolDay('2026-10-25', 'Europe/London').toISOString()).toBe(
			'2026-10-24T23:00:00.000Z'
		);
		expect(startOfSchoolDay('2026-07-01', 'America/New_York').toISOString()).toBe(
			'2026-07-01T04:00:00.000Z'
		);
		expect(startOfSchoolDay('2026-07-01', 'UTC').toISOString()).toBe('2026-07-01T00:00:00.000Z');
	});
});
