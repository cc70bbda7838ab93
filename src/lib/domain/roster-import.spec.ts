import { describe, expect, it } from 'vitest';
import {
	clashesWithClass,
	guessMapping,
	maxRosterRows,
	planRoster,
	type ColumnMapping,
	type RosterRow
} from './roster-import';

const rowsOf = (headers: string[], ...lines: string[][]): RosterRow[] =>
	lines.map((cells, i) => ({
		line: i + 2,
		cells: Object.fromEntries(headers.map((h, j) => [h, cells[j] ?? '']))
	}));
const shown = (pupils: { firstName: string; lastInitial: string }[]) =>
	pupils.map((p) => `${p.firstName} ${p.lastInitial}.`);

const sep = ['Forename', 'Surname'];
const sepMap: ColumnMapping = { firstName: 'Forename', lastName: 'Surname' };

describe('guessMapping', () => {
	it('recognises the usual header names', () => {
		expect(guessMapping(['Forename', 'Surname', 'DOB'])).toEqual(sepMap);
		expect(guessMapping(['First name', 'Last name'])).toEqual({
			firstName: 'First name',
			lastName: 'Last name'
		});
	});

	it("guesses Arbor's legal and preferred name columns", () => {
		expect(
			guessMapping([
				'Legal First Name',
				'Legal Last Name',
				'Preferred First Name',
				'Registration Form'
			])
		).toEqual({
			firstName: 'Legal First Name',
			lastName: 'Legal Last Name',
			preferredFirstName: 'Preferred First Name'
		});
	});

	it("guesses SIMS's columns, separate or the whole name in one", () => {
		expect(
			guessMapping(['Legal Surname', 'Legal Forename', 'Preferred Forename', 'Reg Group'])
		).toEqual({
			firstName: 'Legal Forename',
			lastName: 'Legal Surname',
			preferredFirstName: 'Preferred Forename'
		});
		expect(guessMapping(['Name', 'Reg Group', 'Year'])).toEqual({ wholeName: 'Name' });
	});

	it("guesses Bromcom's columns, taking the legal surname over the preferred one", () => {
		expect(
			guessMapping(['Firstname', 'Preferred Firstname', 'Lastname', 'Preferred Lastname'])
		).toEqual({
			firstName: 'Firstname',
			lastName: 'Lastname',
			preferredFirstName: 'Preferred Firstname'
		});
	});

	it('leaves the columns unchosen when nothing fits', () => {
		expect(guessMapping(['A', 'B'])).toEqual({});
	});
});

describe('planRoster: names as school systems export them', () => {
	it('keeps only the first name and the surname initial', () => {
		const plan = planRoster(
			rowsOf([...sep, 'DOB'], [' Nia ', 'ap Rhys', '2019-01-01']),
			[...sep, 'DOB'],
			sepMap,
			[]
		);
		expect(plan.pupils).toEqual([
			{ firstName: 'Nia', lastInitial: 'A', line: 2, name: 'Nia ap Rhys' }
		]);
		expect(plan.problems).toEqual([]);
	});

	it('accepts curly apostrophes, hyphens and accents (D’Arcy, Hart-Jones, Chloë)', () => {
		const plan = planRoster(
			rowsOf(sep, ['Niamh', 'D’Arcy'], ['Siân-Marie', "O'Neill"], ['Chloe\u0308', 'Dubois']),
			sep,
			sepMap,
			[]
		);
		expect(plan.problems).toEqual([]);
		expect(shown(plan.pupils)).toEqual(['Niamh D.', 'Siân-Marie O.', 'Chloë D.']);
		// A name typed with a combining accent is kept composed, as one letter.
		expect(plan.pupils[2]!.firstName).toBe('Chlo\u00eb');
	});

	it('prefers the preferred forename when the file has both', () => {
		const headers = ['Legal First Name', 'Legal Last Name', 'Preferred First Name'];
		const plan = planRoster(
			rowsOf(headers, ['Olivia', 'Hart-Jones', 'Liv'], ['Tomos', 'Pritchard', '']),
			headers,
			guessMapping(headers),
			[]
		);
		expect(shown(plan.pupils)).toEqual(['Liv H.', 'Tomos P.']);
	});

	it('reads "Surname, Forename" and "Forename Surname" in one cell', () => {
		const plan = planRoster(
			rowsOf(['Name'], ['D’Arcy, Niamh'], ['Liv Hart-Jones'], ['PRICE Tomos'], ['Smith, Mary Ann']),
			['Name'],
			{ wholeName: 'Name' },
			[]
		);
		expect(plan.problems).toEqual([]);
		expect(shown(plan.pupils)).toEqual(['Niamh D.', 'Liv H.', 'Tomos P.', 'Mary Ann S.']);
		expect(plan.pupils[0]!.name).toBe('D’Arcy, Niamh');
	});

	it('asks for the surname to be made clear when a three-word name can be read two ways', () => {
		const plan = planRoster(
			rowsOf(['Name'], ['Mary Ann Smith']),
			['Name'],
			{ wholeName: 'Name' },
			[]
		);
		expect(plan.pupils).toEqual([]);
		expect(plan.problems).toEqual([
			{ line: 2, reason: 'import.error.wholeNameUnclear', values: { name: 'Mary Ann Smith' } }
		]);
	});

	it('settles a three-word name by the pupil already in the class', () => {
		const plan = planRoster(rowsOf(['Name'], ['Mary Ann Smith']), ['Name'], { wholeName: 'Name' }, [
			{ firstName: 'Mary Ann', lastInitial: 'S' }
		]);
		expect(plan.problems).toEqual([]);
		expect(shown(plan.alreadyHere)).toEqual(['Mary Ann S.']);
	});

	it('lists every bad row with its real line and reason', () => {
		const rows: RosterRow[] = [
			{ line: 2, cells: { Forename: 'Ola', Surname: 'Kay' } },
			{ line: 3, cells: { Forename: '', Surname: 'Lee' } },
			// A notes cell over two lines above: the next record starts on line 6.
			{ line: 6, cells: { Forename: 'Max', Surname: '' } },
			{ line: 7, cells: { Forename: '<script>', Surname: 'X' } }
		];
		expect(planRoster(rows, sep, sepMap, []).problems).toEqual([
			{ line: 3, reason: 'pupil.error.firstNameMissing' },
			{ line: 6, reason: 'pupil.error.lastNameMissing' },
			{ line: 7, reason: 'pupil.error.firstNameLetters' }
		]);
	});

	it('refuses an empty file, a missing column and an oversized list', () => {
		expect(planRoster([], sep, sepMap, []).problems).toEqual([
			{ line: 1, reason: 'import.error.empty' }
		]);
		expect(planRoster([], ['Forename'], sepMap, []).problems).toEqual([
			{ line: 1, reason: 'import.error.noSuchColumn' }
		]);
		const many = rowsOf(sep, ...Array.from({ length: maxRosterRows + 1 }, () => ['Al', 'B']));
		expect(planRoster(many, sep, sepMap, []).problems).toEqual([
			{ line: 1, reason: 'import.error.tooManyRows' }
		]);
	});
});

describe('planRoster: nobody twice', () => {
	it('sets aside pupils already in the class, by first name and surname initial', () => {
		const plan = planRoster(
			rowsOf(sep, ['Niamh', 'D’Arcy'], ['CHLOË', 'dubois'], ['Tomos', 'Pritchard']),
			sep,
			sepMap,
			[
				{ firstName: 'Niamh', lastInitial: 'D' },
				{ firstName: 'Chloe', lastInitial: 'D' }
			]
		);
		expect(plan.problems).toEqual([]);
		expect(shown(plan.alreadyHere)).toEqual(['Niamh D.', 'CHLOË D.']);
		expect(shown(plan.pupils)).toEqual(['Tomos P.']);
	});

	it('flags the same child twice in the file, by name and both lines, and adds nobody', () => {
		const plan = planRoster(
			rowsOf(sep, ['Tomos', 'Pritchard'], ['Zainab', 'Rahman'], ['Tomos', 'Pritchard']),
			sep,
			sepMap,
			[]
		);
		expect(plan.problems).toEqual([
			{
				line: 4,
				reason: 'import.error.duplicate',
				values: { name: 'Tomos Pritchard', firstLine: 2, line: 4 }
			}
		]);
	});

	it('lets two different children who share a short name through, and says so', () => {
		const plan = planRoster(
			rowsOf(sep, ['Sam', 'Kowalski'], ['Sam', 'Kennedy'], ['Zainab', 'Rahman']),
			sep,
			sepMap,
			[]
		);
		expect(plan.problems).toEqual([]);
		expect(shown(plan.pupils)).toEqual(['Sam K.', 'Sam K.', 'Zainab R.']);
		expect(plan.sameShortName).toEqual([
			{
				shownAs: 'Sam K.',
				pupils: [
					{ line: 2, name: 'Sam Kowalski' },
					{ line: 3, name: 'Sam Kennedy' }
				]
			}
		]);
	});

	it('tells twins with different legal names apart even when both are known as Sam', () => {
		const headers = ['Legal Forename', 'Preferred Forename', 'Surname'];
		const plan = planRoster(
			rowsOf(headers, ['Samuel', 'Sam', 'Kowalski'], ['Samantha', 'Sam', 'Kowalski']),
			headers,
			guessMapping(headers),
			[]
		);
		expect(plan.problems).toEqual([]);
		expect(shown(plan.pupils)).toEqual(['Sam K.', 'Sam K.']);
	});

	it('stops when it cannot tell which of two Sam K.s is new', () => {
		const plan = planRoster(rowsOf(sep, ['Sam', 'Kowalski'], ['Sam', 'Kennedy']), sep, sepMap, [
			{ firstName: 'Sam', lastInitial: 'K' }
		]);
		expect(plan.pupils).toEqual([]);
		expect(plan.problems).toEqual([
			{
				line: 2,
				reason: 'import.error.cannotTellWhoIsNew',
				values: { shownAs: 'Sam K.', lines: '2, 3' }
			}
		]);
	});

	it('cannot tell whether a pupil is new when the file is not the whole class and a short name matches', () => {
		const plan = planRoster(rowsOf(sep, ['Tom', 'Smith'], ['Zainab', 'Rahman']), sep, sepMap, [
			{ firstName: 'Tom', lastInitial: 'S' },
			{ firstName: 'Ava', lastInitial: 'B' }
		]);
		expect(plan.alreadyHere).toEqual([]);
		expect(plan.problems).toEqual([
			{
				line: 2,
				reason: 'import.error.cannotTellWhoIsNew',
				values: { shownAs: 'Tom S.', lines: '2' }
			}
		]);
		// The whole class again (with a newcomer): Tom S. is the one already here.
		const again = planRoster(
			rowsOf(sep, ['Tom', 'Sanders'], ['Ava', 'Brown'], ['Zainab', 'Rahman']),
			sep,
			sepMap,
			[
				{ firstName: 'Tom', lastInitial: 'S' },
				{ firstName: 'Ava', lastInitial: 'B' }
			]
		);
		expect(again.problems).toEqual([]);
		expect(shown(again.alreadyHere)).toEqual(['Tom S.', 'Ava B.']);
		expect(shown(again.pupils)).toEqual(['Zainab R.']);
	});

	it('says which new pupils would clash with the class as it is now', () => {
		expect(
			clashesWithClass(
				[
					{ firstName: 'Chloë', lastInitial: 'D' },
					{ firstName: 'Tomos', lastInitial: 'P' }
				],
				[{ firstName: 'chloe', lastInitial: 'd' }]
			)
		).toEqual([{ firstName: 'Chloë', lastInitial: 'D' }]);
	});
});
