import { describe, expect, it } from 'vitest';
import {
	checkConsentImport,
	guessColumns,
	looksLikeFormula,
	type ConsentColumns,
	type ImportPupil
} from './consent-import';

const uses = [
	{ id: 'u-web', key: 'website', name: 'School website' },
	{ id: 'u-press', key: 'press', name: 'Local or national press' }
];
const pupils: ImportPupil[] = [
	{ id: 'p1', firstName: 'Nia', lastInitial: 'R', className: 'Kestrels' },
	{ id: 'p2', firstName: 'Ola', lastInitial: 'K', className: 'Kestrels' },
	{ id: 'p3', firstName: 'Ola', lastInitial: 'K', className: 'Otters' }
];
const headers = [
	'Forename',
	'Surname',
	'Reg Group',
	'Contact',
	'Relationship',
	'Date',
	'School website',
	'Press'
];
const columns: ConsentColumns = {
	firstName: 'Forename',
	lastName: 'Surname',
	className: 'Reg Group',
	givenBy: 'Contact',
	relationship: 'Relationship',
	givenOn: 'Date',
	uses: { 'u-web': 'School website', 'u-press': 'Press' }
};
const row = (over: Record<string, string> = {}) => ({
	Forename: 'Nia',
	Surname: 'Roberts',
	'Reg Group': 'Kestrels',
	Contact: 'Sam Roberts',
	Relationship: 'mother',
	Date: '05/09/2026',
	'School website': 'Yes',
	Press: 'No',
	...over
});
const check = (rows: Record<string, string>[], cols = columns, hs = headers) =>
	checkConsentImport(rows, hs, cols, pupils, '2026-11-22');

describe('importing consent from an MIS export', () => {
	it('guesses the columns, from a preset and the use names', () => {
		const guessed = guessColumns(headers, uses);
		expect(guessed).toMatchObject({
			firstName: 'Forename',
			lastName: 'Surname',
			className: 'Reg Group',
			givenBy: 'Contact',
			relationship: 'Relationship',
			givenOn: 'Date'
		});
		expect(guessed.uses).toEqual({ 'u-web': 'School website', 'u-press': 'Press' });
		const legal = guessColumns(
			['Legal Forename', 'Legal Surname', 'Reg Group', 'Primary Contact', 'Photo website'],
			uses,
			'legal-names'
		);
		expect(legal).toMatchObject({
			firstName: 'Legal Forename',
			lastName: 'Legal Surname',
			givenBy: 'Primary Contact'
		});
		expect(legal.uses['u-web']).toBe('Photo website');
	});

	it('reads each answer, matching pupils by first name, initial and class', () => {
		const result = check([
			row(),
			row({
				Forename: 'ola',
				Surname: 'Khan',
				'Reg Group': 'Otters',
				Date: '2026-09-06',
				Press: '',
				'School website': 'withdrawn'
			})
		]);
		expect(result.problems).toEqual([]);
		expect(result.answers).toEqual([
			{
				line: 2,
				pupilId: 'p1',
				useId: 'u-web',
				decision: 'granted',
				givenBy: 'Sam Roberts',
				relationship: 'mother',
				givenOn: '2026-09-05'
			},
			{
				line: 2,
				pupilId: 'p1',
				useId: 'u-press',
				decision: 'refused',
				givenBy: 'Sam Roberts',
				relationship: 'mother',
				givenOn: '2026-09-05'
			},
			{
				line: 3,
				pupilId: 'p3',
				useId: 'u-web',
				decision: 'withdrawn',
				givenBy: 'Sam Roberts',
				relationship: 'mother',
				givenOn: '2026-09-06'
			}
		]);
	});

	it('imports nothing from a file with problems, and names each one', () => {
		const result = check([
			row(),
			row({ Forename: 'Zed', Surname: 'Unknown' }),
			row({ Forename: 'Nia' }),
			row({ Forename: 'Ola', Surname: 'K', 'Reg Group': 'Kestrels', 'School website': 'perhaps' }),
			row({
				Forename: 'Ola',
				Surname: 'Kay',
				'Reg Group': 'Otters',
				Contact: '=HYPERLINK("http://x")'
			}),
			row({ Forename: 'Ola', Surname: 'Kay', 'Reg Group': 'Otters', Date: '31/02/2026' })
		]);
		expect(result.ok).toBe(false);
		expect(result.answers).toEqual([]);
		expect(result.problems).toEqual([
			{ line: 3, reason: 'consentImport.error.unknownPupil', detail: 'Zed U.' },
			{ line: 4, reason: 'consentImport.error.duplicate', detail: 'Nia R. (2)' },
			{ line: 5, reason: 'consentImport.error.unknownAnswer', detail: 'perhaps' },
			{ line: 6, reason: 'consentImport.error.formula', detail: '=HYPERLINK("http://x")' },
			{ line: 7, reason: 'consentImport.error.badDate', detail: '31/02/2026' }
		]);
	});

	it('says when two pupils match and no class column tells them apart', () => {
		const result = check([row({ Forename: 'Ola', Surname: 'K' })], { ...columns, className: null });
		expect(result.problems).toEqual([
			{ line: 2, reason: 'consentImport.error.ambiguousPupil', detail: 'Ola K.' }
		]);
	});

	it('refuses wrong columns, no uses, an empty file and a file in the wrong encoding', () => {
		expect(check([row()], { ...columns, firstName: 'Given' }).problems).toEqual([
			{ line: 1, reason: 'consentImport.error.noSuchColumn', detail: 'Given' }
		]);
		expect(check([row()], { ...columns, uses: { 'u-web': null } }).problems[0]!.reason).toBe(
			'consentImport.error.chooseUses'
		);
		expect(check([]).problems[0]!.reason).toBe('consentImport.error.empty');
		expect(check([row({ Contact: 'Si\uFFFDn Jones' })]).problems[0]).toEqual({
			line: 2,
			reason: 'consentImport.error.encoding'
		});
		expect(
			check([row()], columns, ['Forename', 'Surname\uFFFD', ...headers.slice(2)]).problems[0]!
				.reason
		).toBe('consentImport.error.noSuchColumn');
	});

	it('knows a formula from a number or a hyphenated name', () => {
		expect(looksLikeFormula('=1+1')).toBe(true);
		expect(looksLikeFormula('@SUM(A1)')).toBe(true);
		expect(looksLikeFormula('+44 1234')).toBe(true);
		expect(looksLikeFormula('-1')).toBe(false);
		expect(looksLikeFormula('Smith-Jones')).toBe(false);
	});
});
