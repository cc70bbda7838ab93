import {
	checkRoster,
	guessMapping,
	maxRosterBytes,
	type ColumnMapping,
	type RosterPreview,
	type RowProblem
} from '$lib/domain/roster-import';
import { parseCsvText } from './csv-file';

export type ParsedCsv =
	| { ok: true; headers: string[]; rows: Record<string, string>[]; shapeProblems: RowProblem[] }
	| { ok: false; error: string };

export function parseRosterCsv(text: string): ParsedCsv {
	const parsed = parseCsvText(text, maxRosterBytes);
	if (!parsed.ok && parsed.error === 'malformed')
		return {
			ok: true,
			headers: [],
			rows: [],
			shapeProblems: parsed.problems.map((p) => ({
				line: p.line,
				reason: 'import.error.columnsMismatch'
			}))
		};
	if (!parsed.ok) return { ok: false, error: `import.error.${parsed.error}` };
	return {
		ok: true,
		headers: parsed.headers,
		rows: parsed.rows.map((r) => r.cells),
		shapeProblems: []
	};
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
	if (parsed.shapeProblems.length > 0)
		return {
			headers: parsed.headers,
			mapping,
			pupils: [],
			problems: parsed.shapeProblems,
			ready: false
		};
	if (!mapping.firstName || !mapping.lastName) {
		return { headers: parsed.headers, mapping, pupils: [], problems: [], ready: false };
	}
	const check = checkRoster(parsed.rows, parsed.headers, {
		firstName: mapping.firstName,
		lastName: mapping.lastName
	});
	const problems = check.ok ? [] : check.problems;
	const pupils = check.pupils;
	return {
		headers: parsed.headers,
		mapping,
		pupils,
		problems,
		ready: problems.length === 0 && pupils.length > 0
	};
}
