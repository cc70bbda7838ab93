import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	ageHours,
	endsAtProblem,
	foldName,
	nameIndex,
	searchNames,
	tripCheckSchema,
	tripSnapshotSchema,
	wipeAt
} from './trip';

const pupils = [
	{ id: '1', firstName: 'Amy', lastInitial: 'B', className: 'Kestrels' },
	{ id: '2', firstName: 'Amir', lastInitial: 'K', className: 'Hedgehogs' },
	{ id: '3', firstName: 'Zoë', lastInitial: 'O', className: 'Kestrels' },
	{ id: '4', firstName: 'Mary-Jane', lastInitial: 'W', className: 'Owls' },
	{ id: '5', firstName: 'Ben', lastInitial: 'A', className: 'Owls' },
	{ id: '6', firstName: 'Amy', lastInitial: 'C', className: 'Owls' }
];
const index = nameIndex(pupils);
const ids = (query: string) => searchNames(index, query).map((p) => p.id);

describe('name search on the trip device', () => {
	it('finds first names by their start, alphabetically', () => {
		expect(ids('am')).toEqual(['2', '1', '6']);
		expect(ids('AMY')).toEqual(['1', '6']);
	});

	it('narrows by the last initial after a space', () => {
		expect(ids('amy c')).toEqual(['6']);
		expect(ids('amy z')).toEqual([]);
	});

	it('ignores accents, hyphens and case', () => {
		expect(ids('zoe')).toEqual(['3']);
		expect(ids('Zoë o')).toEqual(['3']);
		expect(ids('jane')).toEqual(['4']);
		expect(ids('maryjane')).toEqual([]);
		expect(foldName("  O'Neil-Smith ")).toBe('oneil smith');
	});

	it('never matches an initial on its own, and finds nothing for nothing', () => {
		expect(ids('b')).toEqual(['5']);
		expect(ids('')).toEqual([]);
		expect(ids('   ')).toEqual([]);
		expect(ids('%')).toEqual([]);
	});

	it('finds what a full scan finds, for any typed start', () => {
		fc.assert(
			fc.property(fc.stringMatching(/^[a-zA-Zë ]{0,6}$/), (query) => {
				const words = foldName(query).split(' ').filter(Boolean);
				const scan = index.pupils.filter((p) => {
					const parts = foldName(`${p.firstName} ${p.lastInitial}`).split(' ');
					const names = parts.slice(0, -1);
					return (
						words.length > 0 &&
						words.every((w, i) => (i === 0 ? names : parts).some((part) => part.startsWith(w)))
					);
				});
				const found = searchNames(index, query, 100);
				// Every hit is one a full scan finds, in the same (alphabetical) order.
				expect(found.every((p) => scan.includes(p))).toBe(true);
				expect(found).toEqual(scan.filter((p) => found.includes(p)));
				// A single word finds exactly what the scan finds.
				if (words.length === 1) expect(found).toEqual(scan);
			})
		);
	});

	it('stops at the limit', () => {
		const many = nameIndex(
			Array.from({ length: 50 }, (_, i) => ({
				id: String(i),
				firstName: 'Sam',
				lastInitial: 'A',
				className: 'Owls'
			}))
		);
		expect(searchNames(many, 'sa', 12)).toHaveLength(12);
	});
});

describe('the trip clock', () => {
	it('wipes at the end plus the grace period', () => {
		expect(wipeAt({ endsAt: '2026-11-23T16:00:00.000Z', graceHours: 24 })).toBe(
			Date.parse('2026-11-24T16:00:00.000Z')
		);
	});

	it('measures the age of a list in hours, never below nought', () => {
		const now = Date.parse('2026-11-23T12:00:00.000Z');
		expect(ageHours('2026-11-23T09:00:00.000Z', now)).toBe(3);
		expect(ageHours('2026-11-23T13:00:00.000Z', now)).toBe(0);
	});

	it('refuses an end time in the past or more than ten days away', () => {
		const now = new Date('2026-11-23T12:00:00.000Z');
		expect(endsAtProblem('2026-11-23T11:59:00.000Z', now)).toBe('trip.error.endsInPast');
		expect(endsAtProblem('2026-12-04T12:00:00.000Z', now)).toBe('trip.error.tooLong');
		expect(endsAtProblem('2026-11-24T12:00:00.000Z', now)).toBeNull();
	});
});

describe('a logged check', () => {
	const check = {
		id: '0f8fad5b-d9cb-469f-a165-70867728950e',
		useId: 'use-website',
		pupilIds: ['1', '2'],
		answer: 'not-allowed',
		notAllowed: ['2'],
		toCheck: [],
		checkedAt: '2026-11-23T10:00:00.000Z',
		how: 'search',
		group: true
	};

	it('carries ids and the answer only', () => {
		expect(tripCheckSchema.parse(check)).toEqual(check);
	});

	it('refuses a check with no pupil or an unknown answer', () => {
		expect(tripCheckSchema.safeParse({ ...check, pupilIds: [] }).success).toBe(false);
		expect(tripCheckSchema.safeParse({ ...check, answer: 'maybe' }).success).toBe(false);
		expect(tripCheckSchema.safeParse({ ...check, id: 'x' }).success).toBe(false);
	});
});

describe('the snapshot a trip device keeps', () => {
	it('still reads a list cached before "check" and uses never allowed existed', () => {
		const old = {
			groupName: 'Castle trip',
			takenAt: '2026-11-23T08:00:00.000Z',
			endsAt: '2026-11-23T16:00:00.000Z',
			graceHours: 24,
			maxAgeHours: 48,
			uses: [{ id: 'web', name: 'School website' }],
			pupils: [
				{
					id: 'p',
					firstName: 'Amy',
					lastInitial: 'B',
					className: 'Kestrels',
					cardIds: [],
					verdicts: ['allowed']
				}
			]
		};
		expect(tripSnapshotSchema.safeParse(old).success).toBe(true);
		const now = {
			...old,
			uses: [...old.uses, { id: 'named', name: 'Named', neverAllowed: true }],
			pupils: [{ ...old.pupils[0]!, verdicts: ['check', 'not-allowed'] }]
		};
		expect(tripSnapshotSchema.parse(now).uses[1]!.neverAllowed).toBe(true);
		expect(
			tripSnapshotSchema.safeParse({ ...now, pupils: [{ ...old.pupils[0]!, verdicts: ['maybe'] }] })
				.success
		).toBe(false);
	});
});
