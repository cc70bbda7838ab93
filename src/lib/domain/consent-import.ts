import { isPlausibleDay, type Decision } from './consent';

/**
 * Importing photo consent from a management-information-system (MIS) export: one row a
 * pupil, one column a use, each cell the family's answer. The file is parsed elsewhere
 * (papaparse); here each row is matched to a pupil and each cell read — all or nothing: any
 * problem and nothing is imported, with every problem named by line.
 */
export const maxConsentRows = 2000;
export const maxConsentBytes = 1024 * 1024;

export interface ConsentColumns {
	firstName: string;
	lastName: string;
	/** Optional: tells apart two pupils with the same first name and initial. */
	className: string | null;
	givenBy: string | null;
	relationship: string | null;
	givenOn: string | null;
	/** For each use (by id), the column that holds its answers, or null to leave it out. */
	uses: Record<string, string | null>;
}

/** Header spellings of common MIS exports, and a generic set; the first match wins. */
export const presets = {
	generic: {
		firstName: [/^first ?name$/i, /^forename$/i, /^given ?name$/i],
		lastName: [/^last ?name$/i, /^surname$/i, /^family ?name$/i],
		className: [/^class$/i, /^form$/i, /^reg(istration)? ?group$/i, /^tutor ?group$/i],
		givenBy: [/^(parent|carer|contact|guardian)( name)?$/i, /^given by$/i],
		relationship: [/^relationship$/i, /^relation$/i],
		givenOn: [/^date( given)?$/i, /^consent date$/i, /^date of consent$/i]
	},
	/** Exports with "legal" names and a registration group, and a primary contact. */
	'legal-names': {
		firstName: [/^legal forename$/i, /^preferred forename$/i],
		lastName: [/^legal surname$/i, /^preferred surname$/i],
		className: [/^reg group$/i, /^registration group$/i],
		givenBy: [/^primary contact$/i, /^contact name$/i],
		relationship: [/^contact relationship$/i, /^relationship$/i],
		givenOn: [/^date collected$/i, /^date$/i]
	}
} as const;
export type PresetName = keyof typeof presets;

/** Guesses the columns from the headers, with a preset's spellings, then the generic ones. */
export function guessColumns(
	headers: readonly string[],
	uses: readonly { id: string; key: string | null; name: string }[],
	preset: PresetName = 'generic'
): ConsentColumns {
	const find = (field: keyof (typeof presets)['generic']) => {
		for (const patterns of [presets[preset][field], presets.generic[field]]) {
			const found = headers.find((h) => patterns.some((p) => p.test(h.trim())));
			if (found) return found;
		}
		return null;
	};
	const simple = (text: string) =>
		text
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, ' ')
			.trim();
	const useColumn = (use: { key: string | null; name: string }) =>
		headers.find((h) => {
			const header = simple(h);
			return (
				header === simple(use.name) ||
				(use.key !== null && (header === simple(use.key) || header === `photo ${simple(use.key)}`))
			);
		}) ?? null;
	return {
		firstName: find('firstName') ?? '',
		lastName: find('lastName') ?? '',
		className: find('className'),
		givenBy: find('givenBy'),
		relationship: find('relationship'),
		givenOn: find('givenOn'),
		uses: Object.fromEntries(uses.map((u) => [u.id, useColumn(u)]))
	};
}

export interface ImportPupil {
	id: string;
	firstName: string;
	lastInitial: string;
	className: string;
}

export interface ImportedAnswer {
	line: number;
	pupilId: string;
	useId: string;
	decision: Decision;
	givenBy: string;
	relationship: string;
	givenOn: string;
}

export interface ImportProblem {
	/** Line in the file, counting the header as line 1. */
	line: number;
	/** Message key (see i18n). */
	reason: string;
	/** The cell or column at fault, shown escaped. */
	detail?: string;
}

const yes = /^(y|yes|granted|given|agreed|true|1|✓|ie|do)$/i;
const no = /^(n|no|refused|declined|false|0|✗|na|nac ydw)$/i;
const withdrawn = /^(withdrawn|wd|withdraw)$/i;

/** A cell a spreadsheet would run as a formula: refused, never stored. */
export function looksLikeFormula(cell: string): boolean {
	return /^[=+\-@\t\r]/.test(cell.trimStart()) && !/^-?\d+(\.\d+)?$/.test(cell.trim());
}

function readDay(text: string): string | null {
	const t = text.trim();
	let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
	if (m) return valid(m[1]!, m[2]!, m[3]!);
	m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
	if (m) return valid(m[3]!, m[2]!.padStart(2, '0'), m[1]!.padStart(2, '0'));
	return null;
}
function valid(y: string, mo: string, d: string): string | null {
	const day = `${y}-${mo}-${d}`;
	return isPlausibleDay(day) ? day : null;
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

export function checkConsentImport(
	rows: readonly Record<string, string | undefined>[],
	headers: readonly string[],
	columns: ConsentColumns,
	pupils: readonly ImportPupil[],
	today: string
): { ok: boolean; answers: ImportedAnswer[]; problems: ImportProblem[] } {
	const problems: ImportProblem[] = [];
	const answers: ImportedAnswer[] = [];
	const fail = (reason: string, detail?: string) => ({
		ok: false,
		answers: [],
		problems: [{ line: 1, reason, ...(detail === undefined ? {} : { detail }) }]
	});

	if (!columns.firstName || !columns.lastName) return fail('consentImport.error.chooseNames');
	const useColumns = Object.entries(columns.uses).filter(
		(entry): entry is [string, string] => entry[1] !== null && entry[1] !== ''
	);
	if (useColumns.length === 0) return fail('consentImport.error.chooseUses');
	const chosen = [
		columns.firstName,
		columns.lastName,
		columns.className,
		columns.givenBy,
		columns.relationship,
		columns.givenOn,
		...useColumns.map(([, c]) => c)
	].filter((c): c is string => c !== null && c !== '');
	const missing = chosen.find((c) => !headers.includes(c));
	if (missing) return fail('consentImport.error.noSuchColumn', missing);
	if (headers.some((h) => h.includes('\uFFFD'))) return fail('consentImport.error.encoding');
	if (rows.length === 0) return fail('consentImport.error.empty');
	if (rows.length > maxConsentRows) return fail('consentImport.error.tooManyRows');

	const seen = new Map<string, number>();
	rows.forEach((row, index) => {
		const line = index + 2;
		const cell = (column: string | null) => (column ? (row[column] ?? '') : '');
		const cells = chosen.map((c) => cell(c));
		if (cells.some((c) => c.includes('\uFFFD'))) {
			problems.push({ line, reason: 'consentImport.error.encoding' });
			return;
		}
		const formula = cells.find(looksLikeFormula);
		if (formula !== undefined) {
			problems.push({ line, reason: 'consentImport.error.formula', detail: formula });
			return;
		}
		const first = norm(cell(columns.firstName));
		const initial = cell(columns.lastName).trim().charAt(0).toUpperCase();
		const className = norm(cell(columns.className));
		if (!first || !initial) {
			problems.push({ line, reason: 'consentImport.error.noName' });
			return;
		}
		const matches = pupils.filter(
			(p) =>
				norm(p.firstName) === first &&
				p.lastInitial.toUpperCase() === initial &&
				(!columns.className || norm(p.className) === className)
		);
		const who = `${cell(columns.firstName).trim()} ${initial}.`;
		if (matches.length === 0) {
			problems.push({ line, reason: 'consentImport.error.unknownPupil', detail: who });
			return;
		}
		if (matches.length > 1) {
			problems.push({ line, reason: 'consentImport.error.ambiguousPupil', detail: who });
			return;
		}
		const pupil = matches[0]!;
		const earlier = seen.get(pupil.id);
		if (earlier !== undefined) {
			problems.push({
				line,
				reason: 'consentImport.error.duplicate',
				detail: `${who} (${earlier})`
			});
			return;
		}
		seen.set(pupil.id, line);
		const dateText = cell(columns.givenOn).trim();
		const read = dateText === '' ? today : readDay(dateText);
		// An answer cannot be dated after the day it is imported.
		const givenOn = read !== null && read <= today ? read : null;
		if (!givenOn) {
			problems.push({ line, reason: 'consentImport.error.badDate', detail: dateText });
			return;
		}
		const givenBy = cell(columns.givenBy).trim().slice(0, 80) || 'Parent or carer (imported)';
		const relationship = cell(columns.relationship).trim().slice(0, 40) || 'parent or carer';
		for (const [useId, column] of useColumns) {
			const value = cell(column).trim();
			if (value === '') continue;
			const decision: Decision | null = yes.test(value)
				? 'granted'
				: no.test(value)
					? 'refused'
					: withdrawn.test(value)
						? 'withdrawn'
						: null;
			if (!decision) {
				problems.push({ line, reason: 'consentImport.error.unknownAnswer', detail: value });
				continue;
			}
			answers.push({ line, pupilId: pupil.id, useId, decision, givenBy, relationship, givenOn });
		}
	});
	return { ok: problems.length === 0, answers: problems.length === 0 ? answers : [], problems };
}
