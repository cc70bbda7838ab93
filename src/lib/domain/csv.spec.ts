import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument, csvLine } from './csv';

describe('CSV cells', () => {
	it.each([
		[
			'=HYPERLINK("http://evil.example","click")',
			`"'=HYPERLINK(""http://evil.example"",""click"")"`
		],
		['+1+2', `"'+1+2"`],
		['-2+3', `"'-2+3"`],
		['@SUM(A1:A9)', `"'@SUM(A1:A9)"`],
		['\tTAB', `"'\tTAB"`],
		['\rCR', `"'\rCR"`]
	])('makes %j plain text', (input, expected) => {
		expect(csvCell(input)).toBe(expected);
	});

	it('quotes commas, quotes and new lines, and leaves markup as text', () => {
		const line = csvLine(['a, b', 'say "hi"', 'one\ntwo', '<script>alert(1)</script>', null, 3]);
		const parsed = Papa.parse<string[]>(csvDocument([line]).slice(1), { skipEmptyLines: true });
		expect(parsed.data[0]).toEqual([
			'a, b',
			'say "hi"',
			'one\ntwo',
			'<script>alert(1)</script>',
			'',
			'3'
		]);
	});
});
