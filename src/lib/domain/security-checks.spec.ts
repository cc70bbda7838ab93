import { describe, expect, it } from 'vitest';
import { isPlausibleDay } from './consent';
import { identityDoubtOf } from './report';
import { checkTimeProblem, tripCheckSkewMs } from './trip';

describe('who sent a report', () => {
	const facts = {
		pupilClassId: 'a',
		deviceClassIds: ['a'],
		cardGood: true as boolean | null,
		picturesBacked: false
	};
	it('doubts a pupil outside the device’s classes first, whatever backs the name', () => {
		expect(identityDoubtOf({ ...facts, deviceClassIds: ['b'] })).toBe(
			'pupil-not-in-device-classes'
		);
	});
	it('doubts a replaced card, and a name with neither a card nor pictures behind it', () => {
		expect(identityDoubtOf({ ...facts, cardGood: false })).toBe('replaced-card');
		expect(identityDoubtOf({ ...facts, cardGood: null })).toBe('no-card-or-picture-sign-in');
		expect(identityDoubtOf({ ...facts, cardGood: null, picturesBacked: true })).toBeNull();
		expect(identityDoubtOf(facts)).toBeNull();
	});
});

describe('when a trip check can have been made', () => {
	const list = {
		takenAt: '2026-11-22T10:00:00.000Z',
		closedAt: null,
		wipeAt: Date.parse('2026-11-23T18:00:00Z')
	};
	const now = Date.parse('2026-11-22T12:00:00Z');
	const at = (ms: number) => new Date(ms).toISOString();
	const taken = Date.parse(list.takenAt);
	it('takes checks from the list’s start to now, with the clock skew either side', () => {
		expect(checkTimeProblem(at(taken - tripCheckSkewMs), list, now)).toBeNull();
		expect(checkTimeProblem(at(taken - tripCheckSkewMs - 1), list, now)).toBe('before-taken');
		expect(checkTimeProblem(at(now + tripCheckSkewMs), list, now)).toBeNull();
		expect(checkTimeProblem(at(now + tripCheckSkewMs + 1), list, now)).toBe('in-future');
	});
	it('refuses checks dated after the list closed or after its end plus grace', () => {
		const closed = { ...list, closedAt: '2026-11-22T11:00:00.000Z' };
		const closedAt = Date.parse(closed.closedAt);
		expect(checkTimeProblem(at(closedAt + tripCheckSkewMs), closed, now)).toBeNull();
		expect(checkTimeProblem(at(closedAt + tripCheckSkewMs + 1), closed, now)).toBe('after-closed');
		const late = list.wipeAt + tripCheckSkewMs + 1;
		expect(checkTimeProblem(at(late), list, late + 60_000)).toBe('after-closed');
	});
});

describe('consent dates', () => {
	it('takes only real calendar days in a plausible year', () => {
		expect(isPlausibleDay('2026-09-05')).toBe(true);
		expect(isPlausibleDay('2028-02-29')).toBe(true);
		for (const bad of [
			'2026-13-45',
			'9999-99-99',
			'2026-02-30',
			'2027-02-29',
			'1066-10-14',
			'2100-01-01',
			'05/09/2026',
			''
		])
			expect(isPlausibleDay(bad)).toBe(false);
	});
});
