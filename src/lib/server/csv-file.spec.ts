import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvDocument, csvLine } from '$lib/domain/csv';
import { decodeCsvBytes, parseCsvText } from './csv-file';

const max = 1024 * 1024;
const ok = (text: string) => {
	const parsed = parseCsvText(text, max);
	if (!parsed.ok) throw new Error(`refused: ${JSON.stringify(parsed)}`);
	return parsed;
};
const problems = (text: string) => {
	const parsed = parseCsvText(text, max);
	if (parsed.ok || parsed.error !== 'malformed') throw new Error(`not malformed: ${parsed.ok}`);
	return parsed.problems;
};

describe('parseCsvText: strict reading with the file’s own line numbers', () => {
	it('reads a header and rows, each row with the line it starts on', () => {
		const parsed = ok('Forename,Surname,Website\r\nTomos,Price,Yes\r\nAva,Khan,\r\n');
		expect(parsed.headers).toEqual(['Forename', 'Surname', 'Website']);
		expect(parsed.rows).toEqual([
			{ line: 2, cells: { Forename: 'Tomos', Surname: 'Price', Website: 'Yes' } },
			{ line: 3, cells: { Forename: 'Ava', Surname: 'Khan', Website: '' } }
		]);
	});

	it('counts the lines inside a multi-line cell, so later rows keep their real line numbers', () => {
		const parsed = ok(
			'First,Last,Notes,Website\n' +
				'Tomos,Price,"Mum rang:\nhappy for\nthe website",Yes\n' +
				'Ava,Khan,,No\n'
		);
		expect(parsed.rows.map((r) => r.line)).toEqual([2, 5]);
		expect(parsed.rows[0]!.cells.Notes).toBe('Mum rang:\nhappy for\nthe website');
	});

	it('keeps line numbers right after blank lines and with lone CRs (old Mac exports)', () => {
		expect(ok('A,B\r\rx,y\ry,z').rows.map((r) => r.line)).toEqual([3, 4]);
		expect(ok('\n\nA,B\n\nx,y\n,\n').rows).toEqual([{ line: 5, cells: { A: 'x', B: 'y' } }]);
	});

	it('refuses a notes cell whose quote never closes, naming the line it opened on', () => {
		// The fault the issue names: the open quote would swallow the next pupil's row.
		const found = problems(
			'First,Last,Notes,Website\n' +
				'Tomos,Price,"Said ""no"" on the phone,No\n' +
				'Ava,Khan,,Yes\n' +
				'Leo,Jones,,Yes\n'
		);
		expect(found).toEqual([{ line: 2, reason: 'quote', detail: 'unclosed' }]);
	});

	it('refuses a quote that closes early with text after it, naming that line', () => {
		const found = problems('First,Last,Notes\nTomos,Price,"He said "no" twice"\nAva,Khan,\n');
		expect(found).toEqual([{ line: 2, reason: 'quote', detail: 'after' }]);
	});

	it('refuses a quote mark in the middle of an unquoted cell', () => {
		const found = problems('First,Last,Notes\nAva,Khan,ok\nTomos,Price,5" tall\n');
		expect(found).toEqual([{ line: 3, reason: 'quote', detail: 'inside' }]);
	});

	it('names the line of a quote fault that comes after a multi-line cell', () => {
		const found = problems('A,B\n"one\ntwo",x\ny,"z\n');
		expect(found).toEqual([{ line: 4, reason: 'quote', detail: 'unclosed' }]);
	});

	it('refuses rows with too many or too few cells, every one by line', () => {
		const found = problems('A,B,C\n1,2,3\n1,2\n"x\ny",2,3,4\n1,2,3\n');
		expect(found).toEqual([
			{ line: 3, reason: 'columns', expected: 3, found: 2 },
			{ line: 4, reason: 'columns', expected: 3, found: 4 }
		]);
	});

	it('refuses two columns with one heading', () => {
		expect(problems('Name,Website,website\nA,Yes,No\n')).toEqual([
			{ line: 1, reason: 'duplicateHeader', detail: 'website' }
		]);
	});

	it('lets an unnamed column be, if it is empty; a value under no heading is refused', () => {
		expect(ok('A,B,\n1,2,\n3,4,\n').headers).toEqual(['A', 'B']);
		expect(problems('A,B,\n1,2,\n3,4,oops\n')).toMatchObject([
			{ line: 3, reason: 'columns', detail: 'unnamed' }
		]);
	});

	it('reads Excel’s tab-separated text and semicolon exports', () => {
		expect(ok('A\tB\n1\t2\n').rows[0]!.cells).toEqual({ A: '1', B: '2' });
		expect(ok('A;B\n1;2\n').rows[0]!.cells).toEqual({ A: '1', B: '2' });
		expect(ok('A;B,C\n1;2,3\n').delimiter).toBe(',');
	});

	it('says what is wrong with an empty, headless or oversized file', () => {
		expect(parseCsvText('', max)).toEqual({ ok: false, error: 'empty' });
		expect(parseCsvText('\uFEFF \n', max)).toEqual({ ok: false, error: 'empty' });
		expect(parseCsvText('\n,,\n\n', max)).toEqual({ ok: false, error: 'noHeader' });
		expect(parseCsvText('A\n'.repeat(100), 50)).toEqual({ ok: false, error: 'tooBig' });
	});

	it('reads back every file Lantern itself writes, exactly (property)', () => {
		const cell = fc
			.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r\n', 'ë', '’', ';', '\t') })
			.filter((s) => !/^[=+\-@\t\r]/.test(s));
		fc.assert(
			fc.property(fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 8 }), (rows) => {
				const text = csvDocument([
					csvLine(['One', 'Two', 'Three']),
					...rows.map((r) => csvLine(r))
				]);
				const parsed = ok(text);
				const normal = (s: string) => s.replace(/\r\n|\r/g, '\n');
				const expected = rows.filter((r) => r.some((c) => c.trim() !== ''));
				expect(parsed.rows.map((r) => [r.cells.One, r.cells.Two, r.cells.Three])).toEqual(
					expected.map((r) => r.map(normal))
				);
			}),
			{ numRuns: 300, seed: 13 }
		);
	});
});

describe('decodeCsvBytes: the bytes as what they are', () => {
	it('reads UTF-8, with or without the mark Excel writes', () => {
		const text = 'Chloë,D’Arcy';
		const bytes = new TextEncoder().encode(text);
		expect(decodeCsvBytes(bytes)).toEqual({ text, encoding: 'utf-8' });
		expect(decodeCsvBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]))).toEqual({
			text,
			encoding: 'utf-8'
		});
	});

	it('reads Windows-1252 from Excel’s plain CSV: Chloë and the curly apostrophe of D’Arcy', () => {
		const bytes = Uint8Array.from([
			...Buffer.from('Chlo', 'latin1'),
			0xeb,
			0x2c,
			0x44,
			0x92,
			...Buffer.from('Arcy', 'latin1')
		]);
		expect(decodeCsvBytes(bytes)).toEqual({ text: 'Chloë,D’Arcy', encoding: 'windows-1252' });
		// Every byte has a character, as in the WHATWG table.
		const all = decodeCsvBytes(Uint8Array.from({ length: 256 }, (_, i) => i)).text;
		expect(all.length).toBe(256);
		expect([...'\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160']).toEqual([
			...all.slice(0x80, 0x8b).replace('\u0081', '')
		]);
		expect(all.slice(0x91, 0x95)).toBe('‘’“”');
		expect(all.slice(0xa0)).toBe(
			Buffer.from(Uint8Array.from({ length: 96 }, (_, i) => 0xa0 + i)).toString('latin1')
		);
	});

	it('reads UTF-16 “Unicode text” with its mark', () => {
		const body = Buffer.from('Name\tWebsite\r\nZoë\tYes\r\n', 'utf16le');
		const decoded = decodeCsvBytes(Uint8Array.from([0xff, 0xfe, ...body]));
		expect(decoded).toEqual({ text: 'Name\tWebsite\r\nZoë\tYes\r\n', encoding: 'utf-16le' });
		expect(ok(decoded.text).rows[0]!.cells).toEqual({ Name: 'Zoë', Website: 'Yes' });
	});
});
