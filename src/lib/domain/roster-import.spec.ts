import { describe, expect, it } from 'vitest';
import { checkRoster, guessMapping, maxRosterRows } from './roster-import';

const headers = ['Forename', 'Surname', 'DOB'];
const mapping = { firstName: 'Forename', lastName: 'Surname' };

describe('guessMapping', () => {
	it('recognises the usual header names', () => {
		expect(guessMapping(headers)).toEqual({ firstName: 'Forename', lastName: 'Surname' });
		expect(guessMapping(['First name', 'Last name'])).toEqual({
			firstName: 'First name',
			lastName: 'Last name'
		});
	});
	it('leaves a column unchosen when nothing fits', () => {
		expect(guessMapping(['A', 'B'])).toEqual({ firstName: undefined, lastName: undefined });
	});
});

describe('checkRoster', () => {
	it('keeps only the first name and the surname initial', () => {
		const result = checkRoster(
			[{ Forename: ' Nia ', Surname: 'ap Rhys', DOB: '2019-01-01' }],
			headers,
			mapping
		);
		expect(result).toEqual({ ok: true, pupils: [{ firstName: 'Nia', lastInitial: 'A', line: 2 }] });
	});

	it('lists every bad row with its line and reason', () => {
		const rows = [
			{ Forename: 'Ola', Surname: 'Kay' },
			{ Forename: '', Surname: 'Lee' },
			{ Forename: 'Max', Surname: '' },
			{ Forename: '<script>', Surname: 'X' }
		];
		const result = checkRoster(rows, headers, mapping);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems).toEqual([
			{ line: 3, reason: 'pupil.error.firstNameMissing' },
			{ line: 4, reason: 'pupil.error.lastNameMissing' },
			{ line: 5, reason: 'pupil.error.firstNameLetters' }
		]);
	});

	it('accepts names with accents, hyphens and apostrophes', () => {
		const result = checkRoster([{ Forename: 'Siân-Marie', Surname: "O'Neill" }], headers, mapping);
		expect(result).toMatchObject({
			ok: true,
			pupils: [{ firstName: 'Siân-Marie', lastInitial: 'O' }]
		});
	});

	it('refuses an empty file, a missing column and an oversized list', () => {
		expect(checkRoster([], headers, mapping)).toMatchObject({
			ok: false,
			problems: [{ reason: 'import.error.empty' }]
		});
		expect(checkRoster([{ Forename: 'A' }], ['Forename'], mapping)).toMatchObject({
			ok: false,
			problems: [{ reason: 'import.error.noSuchColumn' }]
		});
		const many = Array.from({ length: maxRosterRows + 1 }, () => ({
			Forename: 'Al',
			Surname: 'B'
		}));
		expect(checkRoster(many, headers, mapping)).toMatchObject({
			ok: false,
			problems: [{ reason: 'import.error.tooManyRows' }]
		});
	});
});
