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
	if (!parsed.ok) return { ok: false, error: `import.error.${parsed.error}` };
	return {
		ok: true,
		headers: parsed.headers,
		rows: parsed.rows,
		shapeProblems: parsed.shapeProblems.map((p) => ({
			line: p.line,
			reason: 'import.error.columnsMismatch'
		}))
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
