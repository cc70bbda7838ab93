import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCsvBytes } from './csv-file';
import { previewRoster, readRosterCsv } from './roster-csv';

/** An example export, read as an upload is: its bytes decoded as what they are. */
function upload(name: string) {
	return decodeCsvBytes(new Uint8Array(readFileSync(`src/lib/domain/mis-examples/${name}`)));
}

function read(text: string) {
	const file = readRosterCsv(text);
	if (!file.ok) throw new Error(file.error);
	return file;
}

const shown = (pupils: { firstName: string; lastInitial: string }[]) =>
	pupils.map((p) => `${p.firstName} ${p.lastInitial}.`);

const wrens = [
	'Chloë D.',
	'Niamh D.',
	'Sam K.',
	'Sam K.',
	'Liv H.',
	'Tomos P.',
	'Zainab R.',
	'Mabli E.'
];

describe('roster CSV: the example exports of each school system', () => {
	it.each([
		['sims-roster.csv', 'utf-8'],
		['sims-roster-windows-1252.csv', 'windows-1252'],
		['arbor-roster.csv', 'utf-8'],
		['scholarpack-roster.csv', 'utf-8'],
		['bromcom-roster.csv', 'utf-8'],
		['juniper-roster.csv', 'utf-8']
	])('%s: guesses the columns and reads the eight Wrens', (name, encoding) => {
		const { text, encoding: read_as } = upload(name);
		expect(read_as).toBe(encoding);
		const preview = previewRoster(read(text), {}, [], read_as);
		expect(preview.problems).toEqual([]);
		expect(preview.columnsChosen).toBe(true);
		expect(shown(preview.pupils)).toEqual(wrens);
		expect(preview.sameShortName).toHaveLength(1);
		const [same] = preview.sameShortName;
		expect(same?.shownAs).toBe('Sam K.');
		expect(same?.pupils.map((p) => p.line)).toEqual([4, 5]);
		expect(same?.pupils.map((p) => p.name).join(' ')).toMatch(/Kowalski.*Kennedy/);
		expect(preview.ready).toBe(true);
		expect(preview.encoding).toBe(encoding);
	});

	it('reads the Windows-1252 file’s Chloë and D’Arcy as the letters they are', () => {
		const { text } = upload('sims-roster-windows-1252.csv');
		const preview = previewRoster(read(text), {}, [], 'windows-1252');
		expect(preview.pupils.map((p) => p.name).slice(0, 2)).toEqual([
			'Dubois, Chloë',
			'D’Arcy, Niamh'
		]);
	});

	it('sets every pupil aside as already here when the same file comes again', () => {
		const { text } = upload('arbor-roster.csv');
		const first = previewRoster(read(text), {}, []);
		const again = previewRoster(read(text), {}, first.pupils);
		expect(again.pupils).toEqual([]);
		expect(shown(again.alreadyHere)).toEqual(wrens);
		expect(again.ready).toBe(false);
		// The same pupils under another system's export are already here too.
		const { text: sims } = upload('sims-roster-windows-1252.csv');
		expect(previewRoster(read(sims), {}, first.pupils).alreadyHere).toHaveLength(8);
	});

	it('reads the consent examples’ names too (legal and preferred, one cell)', () => {
		const { text } = upload('sims-consent-windows-1252.csv');
		const preview = previewRoster(read(text), {}, [], 'windows-1252');
		expect(shown(preview.pupils)).toEqual([
			'Amara Z.',
			'Ben A.',
			'Cleo B.',
			'Dara C.',
			'Emrys D.',
			'Fern E.',
			'Gethin F.',
			'Hattie G.'
		]);
	});
});

describe('roster CSV: files refused whole', () => {
	it('reads a school export with a byte-order mark and guesses the columns', () => {
		const preview = previewRoster(
			read('\uFEFFForename,Surname,Address\r\nNia,Rhys,1 Any Street\r\nOla,Kay,2 Any Street\r\n'),
			{},
			[]
		);
		expect(preview.ready).toBe(true);
		expect(preview.mapping).toEqual({ firstName: 'Forename', lastName: 'Surname' });
		expect(shown(preview.pupils)).toEqual(['Nia R.', 'Ola K.']);
	});

	it('waits for the columns to be chosen when it cannot guess them', () => {
		const file = read('A,B\nNia,Rhys\n');
		expect(previewRoster(file, {}, [])).toMatchObject({ ready: false, columnsChosen: false });
		expect(previewRoster(file, { firstName: 'A', lastName: 'B' }, []).ready).toBe(true);
	});

	it('refuses a file with a stray comma or a broken quote, naming the real line', () => {
		expect(readRosterCsv('First name,Last name\nNia,Rhys\nOla,Kay,extra\n')).toEqual({
			ok: false,
			error: 'import.error.malformed',
			problems: [
				{
					line: 3,
					reason: 'import.error.file.columns',
					values: { expected: 2, found: 3 }
				}
			]
		});
		const quoted = readRosterCsv(
			'First name,Last name,Notes\nNia,Rhys,"two\nlines"\nOla,Kay,"never closed\nMo,Lee,x\n'
		);
		expect(quoted).toMatchObject({
			ok: false,
			problems: [{ line: 4, reason: 'import.error.file.quote' }]
		});
	});

	it('refuses empty and oversized files', () => {
		expect(readRosterCsv('   ')).toEqual({ ok: false, error: 'import.error.empty', problems: [] });
		expect(readRosterCsv('a,b\n' + 'x'.repeat(300_000))).toEqual({
			ok: false,
			error: 'import.error.tooBig',
			problems: []
		});
	});
});
