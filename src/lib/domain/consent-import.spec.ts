import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCsvBytes, parseStrictCsv } from '$lib/server/consent-csv';
import {
	detectPreset,
	emptyMemory,
	guessSettings,
	looksLikeFormula,
	nameCandidates,
	presetNames,
	presets,
	readCarer,
	readConsentFile,
	readDay,
	type ImportPupil,
	type ImportSettings,
	type PresetName
} from './consent-import';

const uses = [
	{ id: 'u-web', key: 'website', name: 'School website' },
	{ id: 'u-social', key: 'social-media', name: 'School social media' },
	{ id: 'u-press', key: 'press', name: 'Local or national press' },
	{ id: 'u-in', key: 'in-school', name: 'Records and displays inside school' }
];
const classes = [
	{ id: 'c-4b', name: '4B' },
	{ id: 'c-kes', name: 'Kestrels' }
];
const pupils: ImportPupil[] = [
	{ id: 'tomos', firstName: 'Tomos', lastInitial: 'O', classId: 'c-4b', className: '4B' },
	{ id: 'chloe', firstName: 'Chloë', lastInitial: 'D', classId: 'c-4b', className: '4B' },
	{ id: 'ola-1', firstName: 'Ola', lastInitial: 'K', classId: 'c-4b', className: '4B' },
	{ id: 'ola-2', firstName: 'Ola', lastInitial: 'K', classId: 'c-kes', className: 'Kestrels' },
	{ id: 'nia', firstName: 'Nia', lastInitial: 'R', classId: 'c-kes', className: 'Kestrels' }
];
const today = '2026-11-22';
const tomosSims = [
	'Legal Surname,Legal Forename,Preferred Forename,Reg Group,Date Collected,School Website,Social Media,Press',
	'Okoye,Tomos,,4B,05/09/2026,Yes,Yes,No',
	"D'Arcy,Chloë,Chloe,4B,05/09/2026,Yes,,No"
].join('\n');
const tomosArbor = [
	'Legal First Name,Legal Last Name,Registration Form,Consent Type,Consent Status,Given By,Relationship,Date',
	'Tomos,Okoye,4B,Photographs - School Website,Granted,Amara Okoye,Mother,05/09/2026',
	'Tomos,Okoye,4B,Photographs - School Website,Withdrawn,Femi Okoye,Father,12/09/2026',
	'Tomos,Okoye,4B,Photographs - Press,Pending,,,'
].join('\n');
const tomosJuniper = [
	'Pupil,Class,Consent,Response,Responded By,Date Responded',
	'"Okoye, Tomos",4B,Website photographs,Agreed,Amara Okoye (Mother),05/09/2026'
].join('\n');

function parse(text: string) {
	const parsed = parseStrictCsv(text, 1024 * 1024);
	if (!parsed.ok) throw new Error(JSON.stringify(parsed));
	return parsed;
}
function read(text: string, change: (s: ImportSettings) => void = () => {}, preset?: PresetName) {
	const { headers, rows } = parse(text);
	const settings = guessSettings(
		headers,
		rows,
		uses,
		classes,
		emptyMemory,
		preset ?? detectPreset(headers) ?? 'generic'
	);
	change(settings);
	return { settings, ...readConsentFile(headers, rows, settings, pupils, today) };
}

describe('reading a CSV file strictly', () => {
	it('refuses an unbalanced quote, naming the line where the row starts', () => {
		const text = 'Forename,Surname,Notes\nOla,Khan,"Needs a sun hat\nNia,Roberts,\n';
		expect(parseStrictCsv(text, 1000)).toEqual({
			ok: false,
			error: 'malformed',
			problems: [{ line: 2, reason: 'quote' }]
		});
		expect(parseStrictCsv('A,B\nx,y"z\n', 1000)).toMatchObject({
			ok: false,
			problems: [{ line: 2, reason: 'quote' }]
		});
	});

	it('counts a multi-line cell in the line numbers, and refuses a short row and a duplicate header', () => {
		const ok = parse('A,B\n1,"two\nlines"\n3,4\n');
		expect(ok.rows).toEqual([
			{ line: 2, cells: ['1', 'two\nlines'] },
			{ line: 4, cells: ['3', '4'] }
		]);
		expect(parseStrictCsv('A,B\n1,"x\ny"\n3\n', 1000)).toMatchObject({
			ok: false,
			problems: [{ line: 4, reason: 'columns', detail: '1/2' }]
		});
		expect(parseStrictCsv('A,a\n1,2\n', 1000)).toMatchObject({
			ok: false,
			problems: [{ line: 1, reason: 'duplicateHeader', detail: 'a' }]
		});
	});

	it('reads a Windows-1252 file from Excel as Windows-1252, and UTF-8 as UTF-8', () => {
		const cp1252 = new Uint8Array([0x43, 0x68, 0x6c, 0x6f, 0xeb]);
		expect(decodeCsvBytes(cp1252)).toEqual({ text: 'Chloë', encoding: 'windows-1252' });
		expect(decodeCsvBytes(new TextEncoder().encode('\uFEFFChloë'))).toEqual({
			text: 'Chloë',
			encoding: 'utf-8'
		});
	});
});

describe('importing consent from MIS exports', () => {
	it('knows each system from its header, and only when one fits', () => {
		for (const name of presetNames) {
			const header = presets[name].example.split('\n')[0]!.split(',');
			expect(detectPreset(header)).toBe(name === 'generic' ? null : name);
		}
		expect(detectPreset(['Consent Type', 'Registration Form', 'Consent', 'Response'])).toBe(null);
	});

	it('reads a SIMS wide export: legal and preferred names, curly apostrophes, blanks', () => {
		const result = read(tomosSims);
		expect(result.settings.preset).toBe('sims');
		expect(result.settings.uses).toEqual({
			'School Website': 'u-web',
			'Social Media': 'u-social',
			Press: 'u-press'
		});
		expect(result.settings.classes).toEqual({ '4B': 'c-4b' });
		expect(result.answers.filter((a) => a.pupilId === 'chloe')).toEqual([
			expect.objectContaining({ line: 3, useId: 'u-web', answer: 'yes', givenOn: '2026-09-05' }),
			expect.objectContaining({ line: 3, useId: 'u-press', answer: 'no' })
		]);
		// A blank cell is a blank, never skipped silently.
		expect(result.blanks).toEqual([
			{ line: 3, pupilId: 'chloe', useId: 'u-social', givenOn: '2026-09-05' }
		]);
		expect(result.answers[0]).toMatchObject({
			givenBy: 'Not named in the file',
			relationship: 'not given'
		});
	});

	it('reads an Arbor long export: several carers are several answers; Pending is no answer', () => {
		const result = read(tomosArbor);
		expect(result.settings.format).toBe('long');
		expect(result.settings.uses).toEqual({
			'Photographs - School Website': 'u-web',
			'Photographs - Press': 'u-press'
		});
		expect(result.answers).toEqual([
			{
				line: 2,
				pupilId: 'tomos',
				useId: 'u-web',
				answer: 'yes',
				givenBy: 'Amara Okoye',
				relationship: 'Mother',
				givenOn: '2026-09-05'
			},
			{
				line: 3,
				pupilId: 'tomos',
				useId: 'u-web',
				answer: 'no',
				givenBy: 'Femi Okoye',
				relationship: 'Father',
				givenOn: '2026-09-12'
			}
		]);
		expect(result.blanks).toEqual([
			{ line: 2, pupilId: 'tomos', useId: 'u-press', givenOn: '2026-09-05' }
		]);
	});

	it('reads a carer with the relationship in brackets as that carer and relationship', () => {
		expect(readCarer('Amara Okoye (Mother)', '')).toEqual({
			givenBy: 'Amara Okoye',
			relationship: 'Mother'
		});
		expect(readCarer('Amara Okoye', 'Mother')).toEqual(readCarer('Amara Okoye (Mother)', ''));
		expect(readCarer('', '')).toEqual({
			givenBy: 'Not named in the file',
			relationship: 'not given'
		});
		const juniper = read(tomosJuniper);
		expect(juniper.answers[0]).toMatchObject({ givenBy: 'Amara Okoye', relationship: 'Mother' });
	});

	it('stops at a word it does not know, naming it, until the office gives it a meaning', () => {
		const text =
			'Forename,Surname,Class,Date,School website\nTomos,Okoye,4B,05/09/2026,Maybe later\n';
		const stopped = read(text);
		expect(stopped.problems).toEqual([
			{ line: 2, reason: 'consentImport.error.unknownWord', detail: 'Maybe later' }
		]);
		expect(stopped.unknownWords).toEqual(['maybe later']);
		const mapped = read(text, (s) => (s.words['maybe later'] = 'none'));
		expect(mapped.problems).toEqual([]);
		expect(mapped.answers).toEqual([]);
		expect(mapped.blanks).toHaveLength(1);
		for (const word of ['Confirmed', 'Not Granted', 'Awaiting', '-', '✓', 'Withdrawn']) {
			const known = read(text.replace('Maybe later', word));
			expect(known.problems, word).toEqual([]);
		}
	});

	it('names both pupils when a name fits two, and says when a pupil is in another class', () => {
		const ambiguous = read('Forename,Surname,Date,School website\nOla,Khan,05/09/2026,Yes\n');
		expect(ambiguous.problems).toEqual([
			{
				line: 2,
				reason: 'consentImport.error.ambiguousPupil',
				detail: 'Ola Khan → Ola K. (4B), Ola K. (Kestrels)'
			}
		]);
		const elsewhere = read(
			'Forename,Surname,Class,Date,School website\nNia,Roberts,4B,05/09/2026,Yes\n'
		);
		expect(elsewhere.problems).toEqual([
			{
				line: 2,
				reason: 'consentImport.error.otherClass',
				detail: 'Nia Roberts — 4B → Nia R. (Kestrels)'
			}
		]);
	});

	it('matches names as MIS write them', () => {
		const cells = (values: Record<string, string>) => (f: string) => values[f] ?? '';
		const columns = {
			name: 'n',
			firstName: null,
			preferredName: null,
			lastName: null,
			className: null,
			givenBy: null,
			relationship: null,
			givenOn: null,
			type: null,
			status: null
		};
		expect(nameCandidates(cells({ name: 'Okoye, Tomos James' }), columns)).toEqual([
			{ first: 'Tomos James', last: 'Okoye' },
			{ first: 'Tomos', last: 'Okoye' }
		]);
		expect(nameCandidates(cells({ name: 'Mary Jane Lewis-Evans' }), columns)).toContainEqual({
			first: 'Mary Jane',
			last: 'Lewis-Evans'
		});
		const curly = read(
			'Pupil Name,Class,Date,Website photographs\n"D’Arcy, Chloe",4B,05/09/2026,Y\n'
		);
		expect(curly.problems).toEqual([]);
		expect(curly.answers[0]!.pupilId).toBe('chloe');
	});

	it('refuses an answer without a date unless the office chooses today’s date', () => {
		const text = 'Forename,Surname,Class,Date,School website\nTomos,Okoye,4B,,Yes\n';
		expect(read(text).problems).toEqual([{ line: 2, reason: 'consentImport.error.noDate' }]);
		const dated = read(text, (s) => (s.useToday = true));
		expect(dated.answers[0]!.givenOn).toBe(today);
		const noColumn = read('Forename,Surname,Class,School website\nTomos,Okoye,4B,Yes\n');
		expect(noColumn.problems).toEqual([{ line: 1, reason: 'consentImport.error.noDateColumn' }]);
	});

	it('lists a column no use is chosen for as not used', () => {
		const result = read(
			'Forename,Surname,Class,Date,School website,Notes\nTomos,Okoye,4B,05/09/2026,Yes,Hat\n'
		);
		expect(result.notUsed).toEqual(['Notes']);
	});

	it('reads the dates MIS write, and knows a formula from a dash or a hyphenated name', () => {
		expect(readDay('05/09/2026')).toBe('2026-09-05');
		expect(readDay('2026-09-05')).toBe('2026-09-05');
		expect(readDay('5 Sep 2026')).toBe('2026-09-05');
		expect(readDay('05/09/2026 14:32')).toBe('2026-09-05');
		expect(readDay('31/02/2026')).toBe(null);
		expect(looksLikeFormula('=1+1')).toBe(true);
		expect(looksLikeFormula('@SUM(A1)')).toBe(true);
		expect(looksLikeFormula('-')).toBe(false);
		expect(looksLikeFormula('Smith-Jones')).toBe(false);
	});
});

/** The example exports of each system (src/lib/domain/mis-examples, see its README). */
describe('the example export of each system', () => {
	const otters: ImportPupil[] = [
		'Amara Z',
		'Ben A',
		'Cleo B',
		'Dara C',
		'Emrys D',
		'Fern E',
		'Gethin F',
		'Hattie G'
	].map((name) => {
		const [firstName = '', lastInitial = ''] = name.split(' ');
		return { id: firstName, firstName, lastInitial, classId: 'c-otters', className: 'Otters' };
	});
	const allUses = [
		...uses,
		{ id: 'u-photographer', key: 'photographer', name: 'School photographer' }
	];
	// In school, website, social media, press: y yes, n no, - no answer (README's table).
	const expected: Record<string, string> = {
		Amara: 'yyyy',
		Ben: 'yynn',
		Cleo: 'yyy-',
		Dara: 'ynnn',
		Emrys: 'yyyy',
		Fern: 'y-yy',
		Gethin: 'yyyn',
		Hattie: 'nnnn'
	};
	const order = ['u-in', 'u-web', 'u-social', 'u-press'];
	const files: [string, PresetName][] = [
		['sims-consent.csv', 'sims'],
		['sims-consent-windows-1252.csv', 'sims'],
		['scholarpack-consent.csv', 'scholarpack'],
		['bromcom-consent.csv', 'bromcom'],
		['arbor-consent-long.csv', 'arbor'],
		['juniper-consent-long.csv', 'juniper']
	];
	it('uses what the office confirmed for a system only for a file of the same shape', () => {
		const read = (file: string) => {
			const { text } = decodeCsvBytes(
				new Uint8Array(readFileSync(`src/lib/domain/mis-examples/${file}`))
			);
			return parse(text);
		};
		const whole = read('sims-consent.csv');
		const confirmed = guessSettings(whole.headers, whole.rows, allUses, [], emptyMemory, 'sims');
		expect(confirmed.columns.name).toBe('Name');
		const memory = { ...emptyMemory, columns: { sims: confirmed.columns } };
		// The same school's next SIMS export has the names in separate columns.
		const separate = read('sims-consent-windows-1252.csv');
		const next = guessSettings(separate.headers, separate.rows, allUses, [], memory, 'sims');
		expect(next.columns).toMatchObject({
			name: null,
			firstName: 'Legal Forename',
			preferredName: 'Preferred Forename',
			lastName: 'Legal Surname'
		});
		// And a file of the first shape again gets what was confirmed.
		const again = guessSettings(whole.headers, whole.rows, allUses, [], memory, 'sims');
		expect(again.columns).toEqual(confirmed.columns);
	});

	it.each(files)('reads %s as %s, every pupil and answer as the README says', (file, preset) => {
		const bytes = readFileSync(`src/lib/domain/mis-examples/${file}`);
		const { text, encoding } = decodeCsvBytes(new Uint8Array(bytes));
		expect(encoding).toBe(file.includes('1252') ? 'windows-1252' : 'utf-8');
		const { headers, rows } = parse(text);
		expect(detectPreset(headers)).toBe(preset);
		const settings = guessSettings(
			headers,
			rows,
			allUses,
			[{ id: 'c-otters', name: 'Otters' }],
			emptyMemory,
			preset
		);
		settings.useToday = true;
		for (const group of Object.keys(settings.classes)) settings.classes[group] = 'c-otters';
		const result = readConsentFile(headers, rows, settings, otters, today);
		expect(result.problems).toEqual([]);
		expect(result.people).toHaveLength(8);
		for (const pupil of otters) {
			const got = order
				.map((useId) => {
					const mine = result.answers
						.filter((a) => a.pupilId === pupil.id && a.useId === useId)
						.sort((a, b) => a.givenOn.localeCompare(b.givenOn));
					return mine.length === 0 ? '-' : mine.at(-1)!.answer.charAt(0);
				})
				.join('');
			// Arbor keeps Fern's history: yes in September, then no in November.
			const want = preset === 'arbor' && pupil.id === 'Fern' ? 'ynyy' : expected[pupil.id];
			expect(got, `${file}: ${pupil.id}`).toBe(want);
		}
	});
});
