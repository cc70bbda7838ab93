import Papa from 'papaparse';

export type ParsedCsvFile =
	| {
			ok: true;
			headers: string[];
			rows: Record<string, string>[];
			/** Lines whose number of cells differs from the header's (usually a stray comma). */
			shapeProblems: { line: number }[];
	  }
	| { ok: false; error: 'tooBig' | 'empty' | 'noHeader' };

/** A spreadsheet export read with papaparse: header row, rows as objects, size checked first. */
export function parseCsvText(text: string, maxBytes: number): ParsedCsvFile {
	if (new TextEncoder().encode(text).length > maxBytes) return { ok: false, error: 'tooBig' };
	const clean = text.replace(/^\uFEFF/, '');
	if (clean.trim() === '') return { ok: false, error: 'empty' };
	const result = Papa.parse<Record<string, string>>(clean, {
		header: true,
		skipEmptyLines: 'greedy',
		transformHeader: (header) => header.trim()
	});
	const headers = (result.meta.fields ?? []).filter((h) => h !== '');
	if (headers.length === 0) return { ok: false, error: 'noHeader' };
	const shapeProblems = result.errors
		.filter((e) => e.type === 'FieldMismatch' && typeof e.row === 'number')
		.map((e) => ({ line: (e.row ?? 0) + 2 }));
	return { ok: true, headers, rows: result.data, shapeProblems };
}
