import { displayName, firstNameSchema, lastInitialSchema, type NewPupil } from './pupil';
import { nameKey, splitWholeName } from './person-name';

/**
 * Importing a class list from a spreadsheet. The file is read elsewhere (csv-file.ts); here we
 * decide, row by row, what an import would do — all or nothing — before anything is written:
 * who is new, who is already in the class, which rows are true duplicates (they stop the import)
 * and which different children will simply show with the same short name ("Sam K.").
 *
 * Names come as management-information systems export them: separate forename and surname
 * columns, legal and preferred forenames (the preferred one wins when both are there), or the
 * whole name in one cell as "Surname, Forename" or "Forename Surname". Only the first name and
 * the surname initial are ever kept.
 */
export const maxRosterRows = 500;
export const maxRosterBytes = 256 * 1024;

/** Which column holds which part of the name. Either first name + surname, or the whole name. */
export interface ColumnMapping {
	firstName?: string;
	lastName?: string;
	/** Optional: a preferred ("known as") forename, used instead of the first name when filled. */
	preferredFirstName?: string;
	/** "Surname, Forename" or "Forename Surname" in one cell; used when first name + surname aren't both chosen. */
	wholeName?: string;
}

export const columnRoles = ['firstName', 'preferredFirstName', 'lastName', 'wholeName'] as const;
export type ColumnRole = (typeof columnRoles)[number];

export interface RowProblem {
	/** Line in the file where the row starts, counting the header as line 1. */
	line: number;
	/** Message key (see i18n) describing what is wrong. */
	reason: string;
	/** Values for the message: names and line numbers. */
	values?: Record<string, string | number>;
}

/** One row of the file: its real line and its cells by header. */
export interface RosterRow {
	line: number;
	cells: Readonly<Record<string, string | undefined>>;
}

/** A pupil read from the file. `name` is the name as the file writes it (shown, never stored). */
export type CheckedPupil = NewPupil & { line: number; name: string };

/** Different children who will show with the same short name (not duplicates: they go through). */
export interface SameShortName {
	shownAs: string;
	pupils: { line: number; name: string }[];
}

export interface RosterPlan {
	/** Pupils the import would add. */
	pupils: CheckedPupil[];
	/** Rows whose pupil is already in the class: nobody is added twice. */
	alreadyHere: CheckedPupil[];
	sameShortName: SameShortName[];
	/** Anything here stops the whole import. */
	problems: RowProblem[];
}

export interface ExistingPupil {
	firstName: string;
	lastInitial: string;
}

const normalHeader = (header: string) =>
	header.normalize('NFC').trim().toLowerCase().replace(/[_.]+/g, ' ').replace(/\s+/g, ' ');

// In order of preference: the first pattern that any header fits wins.
const headerPatterns: Record<ColumnRole, RegExp[]> = {
	preferredFirstName: [
		/^preferred ?(first ?name|forename|given ?name)$/,
		/^known as$/,
		/^preferred name$/
	],
	firstName: [
		/^legal ?(first ?name|forenames?|given ?names?)$/,
		/^first ?name$/,
		/^forenames?$/,
		/^given ?names?$/,
		/^christian ?name$/
	],
	lastName: [
		/^legal ?(last ?name|surname|family ?name)$/,
		/^last ?name$/,
		/^surname$/,
		/^family ?name$/,
		/^(last|surname) initial$/,
		/^preferred ?(last ?name|surname)$/
	],
	wholeName: [
		/^name$/,
		/^full ?name$/,
		/^(pupil|student|child)'?s?( (full )?name)?$/,
		/^(pupil|student|child) name$/,
		/^legal name$/
	]
};

/** Guesses which columns hold the names, from the header spellings of common school systems. */
export function guessMapping(headers: readonly string[]): ColumnMapping {
	const normal = headers.map(normalHeader);
	const taken = new Set<string>();
	const find = (role: ColumnRole) => {
		for (const pattern of headerPatterns[role]) {
			const index = normal.findIndex((h, i) => pattern.test(h) && !taken.has(headers[i]!));
			if (index >= 0) {
				taken.add(headers[index]!);
				return headers[index];
			}
		}
		return undefined;
	};
	const preferredFirstName = find('preferredFirstName');
	const firstName = find('firstName');
	const lastName = find('lastName');
	const wholeName = firstName && lastName ? undefined : find('wholeName');
	const guess: ColumnMapping = {};
	if (firstName && lastName) Object.assign(guess, { firstName, lastName });
	else if (wholeName) guess.wholeName = wholeName;
	else Object.assign(guess, { firstName, lastName });
	if (preferredFirstName && (guess.wholeName || guess.firstName))
		guess.preferredFirstName = preferredFirstName;
	return dropEmpty(guess);
}

function dropEmpty(mapping: ColumnMapping): ColumnMapping {
	const kept: ColumnMapping = {};
	for (const role of columnRoles) {
		const column = mapping[role];
		if (column) kept[role] = column;
	}
	return kept;
}

/** True when the names can be read: first name and surname columns, or the whole-name column. */
export function mappingIsComplete(mapping: ColumnMapping): boolean {
	return Boolean((mapping.firstName && mapping.lastName) || mapping.wholeName);
}

/** The columns actually read: separate columns win over a whole-name column. */
export function mappingInUse(mapping: ColumnMapping): ColumnMapping {
	const m = dropEmpty(mapping);
	if (m.firstName && m.lastName)
		return dropEmpty({
			firstName: m.firstName,
			lastName: m.lastName,
			preferredFirstName: m.preferredFirstName
		});
	if (m.wholeName)
		return dropEmpty({ wholeName: m.wholeName, preferredFirstName: m.preferredFirstName });
	return m;
}

const clean = (value: string | undefined) =>
	(value ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();

/** How a pupil shows in Lantern, as a key: first name + surname initial, folded. */
const shortKey = (p: ExistingPupil) => `${nameKey(p.firstName)}|${nameKey(p.lastInitial)}`;

const allCapitals = (word: string) => /\p{L}{2,}/u.test(word) && word === word.toUpperCase();

/**
 * The readings of a whole name in one cell. "Surname, Forename" and "SURNAME Forename" say
 * where the surname is: one reading. "Forename Surname" of two words is one reading too; with
 * three or more words the cell cannot say where the surname starts, so every reading is kept.
 */
function wholeNameReadings(whole: string) {
	const candidates = splitWholeName(whole);
	const words = whole.split(' ');
	const capitalsFirst = words.length > 1 && allCapitals(words[0]!) && !words.every(allCapitals);
	return whole.includes(',') || capitalsFirst ? candidates.slice(0, 1) : candidates;
}

interface ReadRow {
	line: number;
	/** The name as the file writes it. */
	name: string;
	/** Everything the file says about the name, folded: two rows alike here are the same child. */
	identity: string;
	/** Possible readings (more than one only for an unclear "Forename Surname" cell). */
	readings: NewPupil[];
}

type Reading = { ok: true; row: ReadRow } | { ok: false; problem: RowProblem };

function readRow(row: RosterRow, mapping: ColumnMapping): Reading {
	const line = row.line;
	const preferred = mapping.preferredFirstName ? clean(row.cells[mapping.preferredFirstName]) : '';
	let pairs: { first: string; last: string }[];
	let name: string;
	let identity: string;
	if (mapping.firstName && mapping.lastName) {
		const legal = clean(row.cells[mapping.firstName]);
		const last = clean(row.cells[mapping.lastName]);
		const first = preferred || legal;
		pairs = [{ first, last }];
		name = [first, last].filter(Boolean).join(' ');
		identity = [legal, preferred, last].map(nameKey).join('|');
	} else {
		const whole = clean(row.cells[mapping.wholeName ?? '']);
		if (whole === '') return { ok: false, problem: { line, reason: 'import.error.nameMissing' } };
		pairs = wholeNameReadings(whole).map(({ first, last }) => ({
			first: preferred || clean(first),
			last: clean(last)
		}));
		if (pairs.length === 0) pairs = [{ first: preferred || whole, last: '' }];
		name = whole;
		identity = [nameKey(whole), nameKey(preferred)].join('|');
	}

	const readings: NewPupil[] = [];
	let firstProblem: RowProblem | null = null;
	for (const pair of pairs) {
		const first = firstNameSchema.safeParse(pair.first);
		const last = lastInitialSchema.safeParse(pair.last);
		if (!first.success)
			firstProblem ??= { line, reason: first.error.issues[0]?.message ?? 'invalid' };
		else if (!last.success)
			firstProblem ??= { line, reason: last.error.issues[0]?.message ?? 'invalid' };
		else {
			const reading = { firstName: first.data, lastInitial: last.data };
			if (!readings.some((r) => shortKey(r) === shortKey(reading))) readings.push(reading);
		}
	}
	if (readings.length === 0)
		return { ok: false, problem: firstProblem ?? { line, reason: 'import.error.nameMissing' } };
	return { ok: true, row: { line, name, identity, readings } };
}

/**
 * What an import of these rows into a class would do. Nothing is written; the caller adds
 * `pupils` only when there are no problems (all or nothing).
 */
export function planRoster(
	rows: readonly RosterRow[],
	headers: readonly string[],
	chosen: ColumnMapping,
	existing: readonly ExistingPupil[]
): RosterPlan {
	const empty: RosterPlan = { pupils: [], alreadyHere: [], sameShortName: [], problems: [] };
	const mapping = mappingInUse(chosen);
	for (const role of columnRoles) {
		const column = mapping[role];
		if (column !== undefined && !headers.includes(column)) {
			return { ...empty, problems: [{ line: 1, reason: 'import.error.noSuchColumn' }] };
		}
	}
	if (!mappingIsComplete(mapping)) return empty;
	if (rows.length === 0) return { ...empty, problems: [{ line: 1, reason: 'import.error.empty' }] };
	if (rows.length > maxRosterRows) {
		return { ...empty, problems: [{ line: 1, reason: 'import.error.tooManyRows' }] };
	}

	const problems: RowProblem[] = [];
	const read: ReadRow[] = [];
	for (const row of rows) {
		const result = readRow(row, mapping);
		if (result.ok) read.push(result.row);
		else problems.push(result.problem);
	}

	const existingCount = new Map<string, number>();
	for (const pupil of existing) {
		existingCount.set(shortKey(pupil), (existingCount.get(shortKey(pupil)) ?? 0) + 1);
	}

	// A "Forename Surname" cell of three or more words can be read more than one way: a reading
	// that matches a pupil already in the class settles it; otherwise the office must say.
	const settled: (CheckedPupil & { identity: string })[] = [];
	for (const row of read) {
		let reading = row.readings[0]!;
		if (row.readings.length > 1) {
			const known = row.readings.filter((r) => existingCount.has(shortKey(r)));
			if (known.length !== 1) {
				problems.push({
					line: row.line,
					reason: 'import.error.wholeNameUnclear',
					values: { name: row.name }
				});
				continue;
			}
			reading = known[0]!;
		}
		settled.push({ ...reading, line: row.line, name: row.name, identity: row.identity });
	}

	// The same child twice in the file stops the import; different children who share a
	// short name go through, and the page says so.
	const groups = new Map<string, (typeof settled)[number][]>();
	for (const pupil of settled) {
		const key = shortKey(pupil);
		groups.set(key, [...(groups.get(key) ?? []), pupil]);
	}
	// A pupil whose short name is already in the class is "already here" only when the file is
	// the whole class again; otherwise "Tom Smith" may be new beside "Tom Sanders" (Tom S.).
	const wholeClass = [...existingCount].every(
		([key, count]) => new Set((groups.get(key) ?? []).map((p) => p.identity)).size >= count
	);
	const pupils: CheckedPupil[] = [];
	const alreadyHere: CheckedPupil[] = [];
	const sameShortName: SameShortName[] = [];
	for (const [key, group] of groups) {
		const distinct: typeof group = [];
		for (const pupil of group) {
			const earlier = distinct.find((d) => d.identity === pupil.identity);
			if (earlier) {
				problems.push({
					line: pupil.line,
					reason: 'import.error.duplicate',
					values: { name: pupil.name, firstLine: earlier.line, line: pupil.line }
				});
			} else distinct.push(pupil);
		}
		const inClass = existingCount.get(key) ?? 0;
		const strip = ({ identity: _identity, ...pupil }: (typeof group)[number]) => pupil;
		if (inClass === 0) {
			pupils.push(...distinct.map(strip));
			if (distinct.length > 1)
				sameShortName.push({
					shownAs: displayName(distinct[0]!),
					pupils: distinct.map((d) => ({ line: d.line, name: d.name }))
				});
		} else if (wholeClass && distinct.length <= inClass) {
			alreadyHere.push(...distinct.map(strip));
		} else {
			problems.push({
				line: distinct[0]!.line,
				reason: 'import.error.cannotTellWhoIsNew',
				values: {
					shownAs: displayName(distinct[0]!),
					lines: distinct.map((d) => d.line).join(', ')
				}
			});
		}
	}

	const byLine = <T extends { line: number }>(a: T, b: T) => a.line - b.line;
	return {
		pupils: pupils.sort(byLine),
		alreadyHere: alreadyHere.sort(byLine),
		sameShortName: sameShortName.sort((a, b) => byLine(a.pupils[0]!, b.pupils[0]!)),
		problems: problems.sort(byLine)
	};
}

/** Which of these new pupils would show like one already in the class (the class changed). */
export function clashesWithClass(
	pupils: readonly NewPupil[],
	existing: readonly ExistingPupil[]
): NewPupil[] {
	const here = new Set(existing.map(shortKey));
	return pupils.filter((p) => here.has(shortKey(p)));
}

export type FileEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

/** What the import screen shows before anything is written. */
export interface RosterPreview extends RosterPlan {
	headers: string[];
	/** The columns chosen or guessed. */
	mapping: ColumnMapping;
	/** How the file's bytes were read; anything but UTF-8 is said on the page. */
	encoding: FileEncoding;
	/** The names can be read (columns chosen). */
	columnsChosen: boolean;
	ready: boolean;
}
