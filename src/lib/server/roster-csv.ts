import {
	guessMapping,
	mappingInUse,
	mappingIsComplete,
	maxRosterBytes,
	planRoster,
	type ColumnMapping,
	type ExistingPupil,
	type FileEncoding,
	type RosterPreview,
	type RosterRow,
	type RowProblem
} from '$lib/domain/roster-import';
import { parseCsvText } from './csv-file';

export type RosterFile =
	| { ok: true; headers: string[]; rows: RosterRow[] }
	/** The file is refused as a whole; `problems` name the lines when the parser found them. */
	| { ok: false; error: string; problems: RowProblem[] };

/** Reads a class list strictly: any fault in the file's shape refuses it, naming the line. */
export function readRosterCsv(text: string): RosterFile {
	const parsed = parseCsvText(text, maxRosterBytes);
	if (!parsed.ok) {
		if (parsed.error === 'malformed') {
			return {
				ok: false,
				error: 'import.error.malformed',
				problems: parsed.problems.map((p) => ({
					line: p.line,
					reason: `import.error.file.${p.reason}`,
					values: dropUndefined({ detail: p.detail, expected: p.expected, found: p.found })
				}))
			};
		}
		return { ok: false, error: `import.error.${parsed.error}`, problems: [] };
	}
	return { ok: true, headers: parsed.headers, rows: parsed.rows };
}

/** What an import would do, with the columns chosen (or guessed). Nothing is written. */
export function previewRoster(
	file: Extract<RosterFile, { ok: true }>,
	chosen: ColumnMapping,
	existing: readonly ExistingPupil[],
	encoding: FileEncoding = 'utf-8'
): RosterPreview {
	const picked = Object.values(chosen).some(Boolean);
	const mapping = mappingInUse(picked ? chosen : guessMapping(file.headers));
	const plan = planRoster(file.rows, file.headers, mapping, existing);
	const columnsChosen = mappingIsComplete(mapping);
	return {
		headers: file.headers,
		mapping,
		encoding,
		columnsChosen,
		...plan,
		ready: columnsChosen && plan.problems.length === 0 && plan.pupils.length > 0
	};
}

function dropUndefined(values: Record<string, string | number | undefined>) {
	const kept = Object.entries(values).filter(([, v]) => v !== undefined) as [
		string,
		string | number
	][];
	return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}
