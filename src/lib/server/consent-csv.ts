import { decodeCsvBytes, parseCsvText, type CsvEncoding } from './csv-file';

/**
 * The consent import's view of the strict CSV reader (`csv-file.ts`): each row's cells in the
 * header's order, with the file's real line number; any fault refuses the file.
 */
export { decodeCsvBytes, type CsvEncoding };

export interface CsvProblem {
	line: number;
	reason: 'quote' | 'columns' | 'duplicateHeader';
	detail?: string;
}
export type StrictCsv =
	| { ok: true; headers: string[]; rows: { line: number; cells: string[] }[] }
	| { ok: false; error: 'tooBig' | 'empty' | 'noHeader' }
	| { ok: false; error: 'malformed'; problems: CsvProblem[] };

export function parseStrictCsv(text: string, maxBytes: number): StrictCsv {
	const parsed = parseCsvText(text, maxBytes);
	if (!parsed.ok) {
		if (parsed.error !== 'malformed') return { ok: false, error: parsed.error };
		return {
			ok: false,
			error: 'malformed',
			problems: parsed.problems.map((p) =>
				p.reason === 'columns'
					? { line: p.line, reason: p.reason, detail: `${p.found ?? '?'}/${p.expected ?? '?'}` }
					: p.reason === 'duplicateHeader'
						? { line: p.line, reason: p.reason, ...(p.detail ? { detail: p.detail } : {}) }
						: { line: p.line, reason: p.reason }
			)
		};
	}
	const { headers } = parsed;
	return {
		ok: true,
		headers,
		rows: parsed.rows.map((r) => ({ line: r.line, cells: headers.map((h) => r.cells[h] ?? '') }))
	};
}
