import Papa from 'papaparse';
import {
	checkRoster,
	guessMapping,
	maxRosterBytes,
	type ColumnMapping,
	type RosterPreview,
	type RowProblem
} from '$lib/domain/roster-import';

export type ParsedCsv =
	| { ok: true; headers: string[]; rows: Record<string, string>[]; shapeProblems: RowProblem[] }
	| { ok: false; error: string };

export function parseRosterCsv(text: string): ParsedCsv {
	if (new TextEncoder().encode(text).length > maxRosterBytes)
		return { ok: false, error: 'import.error.tooBig' };
	const clean = text.replace(/^\uFEFF/, '');
	if (clean.trim() === '') return { ok: false, error: 'import.error.empty' };
	const result = Papa.parse<Record<string, string>>(clean, {
		header: true,
		skipEmptyLines: 'greedy',
		transformHeader: (header) => header.trim()
	});
	const headers = (result.meta.fields ?? []).filter((h) => h !== '');
	if (headers.length === 0) return { ok: false, error: 'import.error.noHeader' };
	// A row with the wrong number of cells usually means a stray comma: list it, import nothing.
	const shapeProblems = result.errors
		.filter((e) => e.type === 'FieldMismatch' && typeof e.row === 'number')
		.map((e) => ({ line: (e.row ?? 0) + 2, reason: 'import.error.columnsMismatch' }));
	return { ok: true, headers, rows: result.data, shapeProblems };
}

/** What an import would do, with the columns chosen (or guessed). Nothing is written. */
export function previewRoster(
	parsed: Extract<ParsedCsv, { ok: true }>,
	chosen: Partial<ColumnMapping>
): RosterPreview {
	const guess = guessMapping(parsed.headers);
	const mapping = {
		firstName: chosen.firstName || guess.firstName,
		lastName: chosen.lastName || guess.lastName
	};
	if (!mapping.firstName || !mapping.lastName) {
		return { headers: parsed.headers, mapping, pupils: [], problems: [], ready: false };
	}
	const check = checkRoster(parsed.rows, parsed.headers, {
		firstName: mapping.firstName,
		lastName: mapping.lastName
	});
	const shapeLines = new Set(parsed.shapeProblems.map((p) => p.line));
	const problems = [...parsed.shapeProblems, ...(check.ok ? [] : check.problems)]
		.filter((p, i, all) => all.findIndex((q) => q.line === p.line) === i)
		.sort((a, b) => a.line - b.line);
	const pupils = check.pupils.filter((p) => !shapeLines.has(p.line));
	return {
		headers: parsed.headers,
		mapping,
		pupils,
		problems,
		ready: problems.length === 0 && pupils.length > 0
	};
}
