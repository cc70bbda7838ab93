import { z } from 'zod';
import { firstNameSchema, lastInitialSchema, type NewPupil } from './pupil';

/**
 * Importing a class list from a spreadsheet. The file is parsed elsewhere (papaparse);
 * here we decide, row by row, what would be imported — all or nothing.
 */
export const maxRosterRows = 500;
export const maxRosterBytes = 256 * 1024;

export const columnMappingSchema = z.object({
	firstName: z.string().min(1, 'import.error.chooseFirstName'),
	lastName: z.string().min(1, 'import.error.chooseLastName')
});
export type ColumnMapping = z.output<typeof columnMappingSchema>;

export interface RowProblem {
	/** Line in the file, counting the header as line 1. */
	line: number;
	/** Message key (see i18n) describing what is wrong. */
	reason: string;
}

export type CheckedPupil = NewPupil & { line: number };

export type RosterCheck =
	| { ok: true; pupils: CheckedPupil[] }
	| { ok: false; problems: RowProblem[]; pupils: CheckedPupil[] };

/** Guesses which columns hold the names, from common header spellings. */
export function guessMapping(headers: readonly string[]): Partial<ColumnMapping> {
	const find = (patterns: RegExp[]) =>
		headers.find((header) => patterns.some((pattern) => pattern.test(header.trim())));
	return {
		firstName: find([/^first ?name$/i, /^forename$/i, /^given ?name$/i, /^legal forename$/i]),
		lastName: find([/^last ?name$/i, /^surname$/i, /^family ?name$/i, /^last initial$/i])
	};
}

export function checkRoster(
	rows: readonly Record<string, string | undefined>[],
	headers: readonly string[],
	mapping: ColumnMapping
): RosterCheck {
	const problems: RowProblem[] = [];
	const pupils: CheckedPupil[] = [];

	for (const column of [mapping.firstName, mapping.lastName]) {
		if (!headers.includes(column)) {
			return { ok: false, pupils, problems: [{ line: 1, reason: 'import.error.noSuchColumn' }] };
		}
	}
	if (rows.length === 0) {
		return { ok: false, pupils, problems: [{ line: 1, reason: 'import.error.empty' }] };
	}
	if (rows.length > maxRosterRows) {
		return { ok: false, pupils, problems: [{ line: 1, reason: 'import.error.tooManyRows' }] };
	}

	rows.forEach((row, index) => {
		const line = index + 2;
		const first = firstNameSchema.safeParse(row[mapping.firstName] ?? '');
		const last = lastInitialSchema.safeParse(row[mapping.lastName] ?? '');
		if (!first.success)
			problems.push({ line, reason: first.error.issues[0]?.message ?? 'invalid' });
		else if (!last.success)
			problems.push({ line, reason: last.error.issues[0]?.message ?? 'invalid' });
		else pupils.push({ firstName: first.data, lastInitial: last.data, line });
	});

	return problems.length === 0 ? { ok: true, pupils } : { ok: false, problems, pupils };
}

/** What the import screen shows before anything is written. */
export interface RosterPreview {
	headers: string[];
	mapping: Partial<ColumnMapping>;
	pupils: CheckedPupil[];
	problems: RowProblem[];
	ready: boolean;
}
