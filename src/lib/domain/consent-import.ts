import { isPlausibleDay } from './consent';
import { matchPupils, nameKey, splitWholeName } from './person-name';
import arborExample from './mis-examples/arbor-consent-long.csv?raw';
import bromcomExample from './mis-examples/bromcom-consent.csv?raw';
import juniperExample from './mis-examples/juniper-consent-long.csv?raw';
import scholarpackExample from './mis-examples/scholarpack-consent.csv?raw';
import simsExample from './mis-examples/sims-consent.csv?raw';

export { matchPupils, nameKey };

/**
 * Importing photo consent from a management-information-system (MIS) export, as the systems
 * give it: "wide" (one row a pupil, one column a use: SIMS, ScholarPack, Bromcom) or "long"
 * (one row a pupil × consent type, with its status, who answered and when: Arbor, Juniper).
 * The file is read strictly elsewhere (every row with its real line number); here each row is
 * matched to a pupil and each answer read — all or nothing: any problem and nothing is imported,
 * with every problem named by line. Pure: the service compares the answers with what is held.
 */
export const maxConsentRows = 5000;
export const maxConsentBytes = 1024 * 1024;

export const presetNames = [
	'sims',
	'arbor',
	'scholarpack',
	'juniper',
	'bromcom',
	'generic'
] as const;
export type PresetName = (typeof presetNames)[number];
export type FileFormat = 'wide' | 'long';

/** The columns an export may have (besides, in a wide file, one column a use). */
export const fieldNames = [
	'name',
	'firstName',
	'preferredName',
	'lastName',
	'className',
	'givenBy',
	'relationship',
	'givenOn',
	'type',
	'status'
] as const;
export type FieldName = (typeof fieldNames)[number];
export type ImportColumns = Record<FieldName, string | null>;

/** What a word in an answer cell means. */
export type WordMeaning = 'yes' | 'no' | 'none';
export const wordMeanings: readonly WordMeaning[] = ['yes', 'no', 'none'];

export interface ImportSettings {
	preset: PresetName;
	format: FileFormat;
	columns: ImportColumns;
	/** Wide: a column → a use id; long: a consent type → a use id. '' = not used. */
	uses: Record<string, string>;
	/** Words of this file (as `wordKey` gives them) and what they mean, beyond the known ones. */
	words: Record<string, WordMeaning>;
	/** A registration group in the file → a Lantern class id; '' = look in every class. */
	classes: Record<string, string>;
	/** "no-answer": a blank records nothing; "not-given": the file is the complete list. */
	blanks: 'no-answer' | 'not-given';
	/** Date answers without a date with the day of the import. */
	useToday: boolean;
}

interface Preset {
	format: FileFormat;
	/** Headers that, all present, say the file is this system's export. */
	signature: RegExp[];
	fields: Partial<Record<FieldName, RegExp[]>>;
	/** A small example of the export, shown on the page ("what we expect"). */
	example: string;
}

/**
 * Each system's export as its public documentation describes it (column names as exported by
 * its standard consent report), then a generic set of spellings.
 */
export const presets: Record<PresetName, Preset> = {
	sims: {
		format: 'wide',
		signature: [/^reg group$/i],
		fields: {
			name: [/^name$/i],
			firstName: [/^legal forename$/i],
			preferredName: [/^preferred forename$/i],
			lastName: [/^legal surname$/i],
			className: [/^reg group$/i],
			givenOn: [/^date collected$/i]
		},
		example: simsExample.replace(/^\uFEFF/, '')
	},
	arbor: {
		format: 'long',
		signature: [/^consent type$/i, /^registration form$/i],
		fields: {
			name: [/^student$/i, /^student name$/i],
			firstName: [/^legal first name$/i],
			preferredName: [/^preferred first name$/i],
			lastName: [/^legal last name$/i],
			className: [/^registration form$/i],
			type: [/^consent type$/i],
			status: [/^status$/i, /^consent status$/i],
			givenBy: [/^responded by$/i, /^given by$/i],
			relationship: [/^relationship$/i],
			givenOn: [/^response date$/i, /^date$/i]
		},
		example: arborExample
	},
	scholarpack: {
		format: 'wide',
		signature: [/^surname$/i, /^forename$/i, /^class$/i, /^photos? (in|on) /i],
		fields: {
			firstName: [/^forename$/i],
			lastName: [/^surname$/i],
			className: [/^class$/i]
		},
		example: scholarpackExample
	},
	juniper: {
		format: 'long',
		signature: [/^consent$/i, /^response$/i],
		fields: {
			name: [/^pupil$/i],
			className: [/^class$/i],
			type: [/^consent$/i],
			status: [/^response$/i],
			givenBy: [/^responded by$/i],
			givenOn: [/^date responded$/i]
		},
		example: juniperExample
	},
	bromcom: {
		format: 'wide',
		signature: [/^tutor group$/i],
		fields: {
			firstName: [/^firstname$/i, /^legal forename$/i],
			preferredName: [/^preferred firstname$/i],
			lastName: [/^lastname$/i, /^legal surname$/i],
			className: [/^tutor group$/i],
			givenBy: [/^primary contact$/i],
			relationship: [/^contact relationship$/i],
			givenOn: [/^date given$/i]
		},
		example: bromcomExample
	},
	generic: {
		format: 'wide',
		signature: [],
		fields: {
			name: [/^(pupil|student|child)( name)?$/i, /^name$/i],
			firstName: [/^first ?name$/i, /^forename$/i, /^given ?name$/i, /^legal forename$/i],
			preferredName: [/^preferred (fore|first ?)?name$/i],
			lastName: [/^last ?name$/i, /^surname$/i, /^family ?name$/i, /^legal surname$/i],
			className: [/^class$/i, /^form$/i, /^reg(istration)? ?(group|form)$/i, /^tutor ?group$/i],
			givenBy: [
				/^(parent|carer|contact|guardian)( name)?$/i,
				/^(given|responded|answered) by$/i,
				/^primary contact$/i
			],
			relationship: [/^relationship$/i, /^relation$/i, /^contact relationship$/i],
			givenOn: [
				/^date( given| collected| responded)?$/i,
				/^consent date$/i,
				/^date of consent$/i,
				/^response date$/i
			],
			type: [/^consent( type| name)?$/i],
			status: [/^(consent )?status$/i, /^response$/i, /^answer$/i]
		},
		example: [
			'Forename,Surname,Class,Given by,Relationship,Date,School website,Press',
			'Tomos,Okoye,4B,Amara Okoye,Mother,05/09/2026,Yes,No'
		].join('\n')
	}
};

/** The system whose export this header is, when exactly one fits; otherwise null. */
export function detectPreset(headers: readonly string[]): PresetName | null {
	const fits = presetNames.filter((name) => {
		const signature = presets[name].signature;
		return signature.length > 0 && signature.every((p) => headers.some((h) => p.test(h.trim())));
	});
	return fits.length === 1 ? fits[0]! : null;
}

/** An answer word as it is compared: case, spaces and a trailing full stop do not matter. */
export function wordKey(text: string): string {
	return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').replace(/\.$/, '').trim();
}

/** The words MIS exports use. */
export const knownWords: Record<string, WordMeaning> = Object.fromEntries([
	...[
		'yes',
		'y',
		'confirmed',
		'granted',
		'given',
		'agreed',
		'accepted',
		'consent given',
		'allowed',
		'true',
		'✓',
		'✔',
		'☑'
	].map((w) => [w, 'yes' as const]),
	...[
		'no',
		'n',
		'declined',
		'not granted',
		'not given',
		'refused',
		'withdrawn',
		'consent withdrawn',
		'rejected',
		'not allowed',
		'false',
		'✗',
		'✘',
		'☒'
	].map((w) => [w, 'no' as const]),
	...[
		'',
		'-',
		'–',
		'—',
		'pending',
		'requested',
		'not requested',
		'awaiting',
		'awaiting response',
		'no response',
		'not asked',
		'not applicable',
		'n/a',
		'unknown'
	].map((w) => [w, 'none' as const])
] as [string, WordMeaning][]);

const simple = (text: string) =>
	nameKey(text)
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();

/** Words in a column or consent type that point to one of the starting uses. */
const useHints: [RegExp, string][] = [
	[/\bphotographer\b/, 'photographer'],
	[/\b(social|facebook|twitter|instagram|x)\b/, 'social-media'],
	[/\bweb ?site\b|\bwebsite\b|\bonline\b/, 'website'],
	[/\b(press|newspapers?|media)\b/, 'press'],
	[/\b(video|film|webcam|livestream|live stream)\b/, 'video'],
	[/\b(print|printed|prospectus|newsletter)\b/, 'print'],
	[/\b(outside|external|public) displays?\b/, 'outside-displays'],
	[/\b(named|name with|names with)\b/, 'named'],
	[/\b(in school|internal|classroom|displays?|records?|photograph student)\b/, 'in-school']
];

/** The use a column or consent type obviously means, or '' when it is not obvious. */
export function guessUse(
	source: string,
	uses: readonly { id: string; key: string | null; name: string }[]
): string {
	const text = simple(source);
	const exact = uses.find(
		(u) => simple(u.name) === text || (u.key !== null && simple(u.key) === text)
	);
	if (exact) return exact.id;
	for (const [pattern, key] of useHints) {
		if (pattern.test(text)) return uses.find((u) => u.key === key)?.id ?? '';
	}
	return '';
}

/** What the office confirmed last time, for this school. */
export interface ImportMemory {
	columns: Partial<Record<PresetName, ImportColumns>>;
	uses: Record<string, string>;
	words: Record<string, WordMeaning>;
	classes: Record<string, string>;
}
export const emptyMemory: ImportMemory = { columns: {}, uses: {}, words: {}, classes: {} };

/** Guesses how to read a file: remembered choices first, then the preset's spellings. */
export function guessSettings(
	headers: readonly string[],
	rows: readonly { cells: string[] }[],
	uses: readonly { id: string; key: string | null; name: string }[],
	classes: readonly { id: string; name: string }[],
	memory: ImportMemory,
	preset: PresetName
): ImportSettings {
	// What the office confirmed last time for this system, if it fits this file: a remembered set
	// naming a column this file does not have was for another shape of export (a whole "Name"
	// column then, separate names now), and its "not in the file" choices would hide columns.
	const last = memory.columns[preset];
	const remembered =
		last && Object.values(last).every((c) => c === null || c === undefined || headers.includes(c))
			? last
			: undefined;
	const columns = Object.fromEntries(
		fieldNames.map((field) => {
			if (remembered && remembered[field] !== undefined) return [field, remembered[field]];
			for (const patterns of [presets[preset].fields[field], presets.generic.fields[field]]) {
				const found = headers.find((h) => (patterns ?? []).some((p) => p.test(h.trim())));
				if (found) return [field, found];
			}
			return [field, null];
		})
	) as ImportColumns;
	// A whole-name column is used only when there are no separate names.
	if (columns.firstName && columns.lastName) columns.name = null;
	else if (columns.name) {
		columns.firstName = null;
		columns.lastName = null;
	}
	const format: FileFormat =
		preset !== 'generic'
			? presets[preset].format
			: columns.type && columns.status
				? 'long'
				: 'wide';
	if (format === 'wide') {
		columns.type = null;
		columns.status = null;
	}
	const settings: ImportSettings = {
		preset,
		format,
		columns,
		uses: {},
		words: {},
		classes: {},
		blanks: 'no-answer',
		useToday: false
	};
	const useIds = new Set(uses.map((u) => u.id));
	for (const source of sourcesOf(headers, rows, settings)) {
		const known = memory.uses[source];
		settings.uses[source] =
			known !== undefined && (known === '' || useIds.has(known)) ? known : guessUse(source, uses);
	}
	const classIds = new Set(classes.map((c) => c.id));
	for (const group of groupsOf(headers, rows, settings)) {
		const known = memory.classes[group];
		settings.classes[group] =
			known !== undefined && (known === '' || classIds.has(known))
				? known
				: (classes.find((c) => nameKey(c.name) === nameKey(group))?.id ?? '');
	}
	settings.words = { ...memory.words };
	return settings;
}

/** The columns (wide) or consent types (long) that could hold answers, in file order. */
export function sourcesOf(
	headers: readonly string[],
	rows: readonly { cells: string[] }[],
	settings: Pick<ImportSettings, 'format' | 'columns'>
): string[] {
	const used = new Set(Object.values(settings.columns).filter((c): c is string => c !== null));
	if (settings.format === 'wide') return headers.filter((h) => h !== '' && !used.has(h));
	const index = settings.columns.type ? headers.indexOf(settings.columns.type) : -1;
	if (index < 0) return [];
	return [...new Set(rows.map((r) => (r.cells[index] ?? '').trim()).filter((t) => t !== ''))];
}

/** The registration groups named in the file. */
export function groupsOf(
	headers: readonly string[],
	rows: readonly { cells: string[] }[],
	settings: Pick<ImportSettings, 'columns'>
): string[] {
	const index = settings.columns.className ? headers.indexOf(settings.columns.className) : -1;
	if (index < 0) return [];
	return [
		...new Set(rows.map((r) => (r.cells[index] ?? '').trim()).filter((g) => g !== ''))
	].sort();
}

/** The words a file's answer cells use that neither the known list nor the office has given a meaning. */
export function unknownWordsOf(
	headers: readonly string[],
	rows: readonly { cells: string[] }[],
	settings: ImportSettings
): string[] {
	const columns =
		settings.format === 'wide'
			? Object.entries(settings.uses)
					.filter(([, useId]) => useId !== '')
					.map(([column]) => column)
			: settings.columns.status
				? [settings.columns.status]
				: [];
	const indexes = columns.map((c) => headers.indexOf(c)).filter((i) => i >= 0);
	const found = new Set<string>();
	for (const row of rows)
		for (const i of indexes) {
			const word = wordKey(row.cells[i] ?? '');
			if (knownWords[word] === undefined && settings.words[word] === undefined) found.add(word);
		}
	return [...found];
}

export interface ImportPupil {
	id: string;
	firstName: string;
	lastInitial: string;
	classId: string;
	className: string;
}

/** A carer's answer read from the file. */
export interface FileAnswer {
	line: number;
	pupilId: string;
	useId: string;
	answer: 'yes' | 'no';
	givenBy: string;
	relationship: string;
	givenOn: string;
}

/** A pupil in the file with no answer for a use (a blank, "Pending", no row for it). */
export interface FileBlank {
	line: number;
	pupilId: string;
	useId: string;
	givenOn: string;
}

export interface ImportProblem {
	/** The file's real line (the header is line 1). */
	line: number;
	/** Message key (see i18n). */
	reason: string;
	/** The cell, word or people at fault, shown escaped. */
	detail?: string;
}

/** Who a row names, as read, and the pupil it was matched to. */
export interface ReadPerson {
	line: number;
	asWritten: string;
	pupilId: string;
}

/** Written when the file names no carer: honest, never "Parent or carer (imported)". */
export const carerNotNamed = 'Not named in the file';
export const relationshipNotGiven = 'not given';

/** "Amara Okoye (Mother)" → Amara Okoye, Mother; the relationship column wins when filled. */
export function readCarer(
	givenBy: string,
	relationship: string
): { givenBy: string; relationship: string } {
	let name = givenBy.trim().replace(/\s+/g, ' ');
	let rel = relationship.trim();
	const m = /^(.*\S)\s*\(([^()]+)\)$/.exec(name);
	if (m) {
		name = m[1]!.trim();
		if (rel === '') rel = m[2]!.trim();
	}
	return {
		givenBy: (name || carerNotNamed).slice(0, 80),
		relationship: (rel || relationshipNotGiven).slice(0, 40)
	};
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A date as MIS exports write it (DD/MM/YYYY, YYYY-MM-DD, 5 Sep 2026; a time after it is ignored). */
export function readDay(text: string): string | null {
	const t = text.trim().replace(/[ T]\d{1,2}:\d{2}(:\d{2})?$/, '');
	let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
	if (m) return valid(m[1]!, m[2]!, m[3]!);
	m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
	if (m) return valid(m[3]!, m[2]!.padStart(2, '0'), m[1]!.padStart(2, '0'));
	m = /^(\d{1,2})[ -]([a-z]{3})[a-z]*[ -](\d{4})$/i.exec(t);
	if (m) {
		const month = months.indexOf(m[2]!.toLowerCase());
		if (month >= 0) return valid(m[3]!, String(month + 1).padStart(2, '0'), m[1]!.padStart(2, '0'));
	}
	return null;
}
function valid(y: string, mo: string, d: string): string | null {
	const day = `${y}-${mo}-${d}`;
	return isPlausibleDay(day) ? day : null;
}

/** A cell a spreadsheet would run as a formula: refused, never stored. */
export function looksLikeFormula(cell: string): boolean {
	return (
		/^[=+\-@\t\r]/.test(cell.trimStart()) &&
		!/^-?\d+(\.\d+)?$/.test(cell.trim()) &&
		!/^[-–—]$/.test(cell.trim())
	);
}

/** The first-name and surname pairs a row may mean ("Okoye, Tomos"; "Tomos Okoye"; "Mary Jane Lewis-Evans"). */
export function nameCandidates(
	cell: (field: FieldName) => string,
	columns: ImportColumns
): { first: string; last: string }[] {
	const out: { first: string; last: string }[] = [];
	if (columns.firstName && columns.lastName) {
		out.push({ first: cell('firstName'), last: cell('lastName') });
		if (columns.preferredName && cell('preferredName'))
			out.push({ first: cell('preferredName'), last: cell('lastName') });
	} else if (columns.name) {
		out.push(...splitWholeName(cell('name')));
		if (columns.preferredName && cell('preferredName'))
			out.push(...out.map((c) => ({ first: cell('preferredName'), last: c.last })));
	}
	return out.filter((c) => c.first.trim() !== '' && c.last.trim() !== '');
}

const pupilLabel = (p: ImportPupil) => `${p.firstName} ${p.lastInitial}. (${p.className})`;

export interface ReadResult {
	problems: ImportProblem[];
	answers: FileAnswer[];
	blanks: FileBlank[];
	people: ReadPerson[];
	/** Columns (wide) or consent types (long) left out: listed as "not used". */
	notUsed: string[];
	unknownWords: string[];
}

/**
 * Reads every row: the pupil it names (first name + surname initial, within the class the
 * registration group is mapped to), and each answer with who gave it and when.
 */
export function readConsentFile(
	headers: readonly string[],
	rows: readonly { line: number; cells: string[] }[],
	settings: ImportSettings,
	pupils: readonly ImportPupil[],
	today: string
): ReadResult {
	const problems: ImportProblem[] = [];
	const answers: FileAnswer[] = [];
	const people: ReadPerson[] = [];
	const done = (extra: Partial<ReadResult> = {}): ReadResult => ({
		problems,
		answers: [],
		blanks: [],
		people: [],
		notUsed: [],
		unknownWords: [],
		...extra
	});
	const { columns } = settings;
	const index = (column: string | null) => (column ? headers.indexOf(column) : -1);
	for (const column of Object.values(columns))
		if (column !== null && !headers.includes(column))
			problems.push({ line: 1, reason: 'consentImport.error.noSuchColumn', detail: column });
	if (!((columns.firstName && columns.lastName) || columns.name))
		problems.push({ line: 1, reason: 'consentImport.error.chooseNames' });
	if (settings.format === 'long' && !(columns.type && columns.status))
		problems.push({ line: 1, reason: 'consentImport.error.chooseTypeStatus' });
	if (!columns.givenOn && !settings.useToday)
		problems.push({ line: 1, reason: 'consentImport.error.noDateColumn' });
	const sources = sourcesOf(headers, rows, settings);
	const mapped = sources.filter((s) => (settings.uses[s] ?? '') !== '');
	if (mapped.length === 0) problems.push({ line: 1, reason: 'consentImport.error.chooseUses' });
	if (rows.length === 0) problems.push({ line: 1, reason: 'consentImport.error.empty' });
	if (rows.length > maxConsentRows)
		problems.push({ line: 1, reason: 'consentImport.error.tooManyRows' });
	if (problems.length > 0) return done();
	const unknownWords = unknownWordsOf(headers, rows, settings);
	const notUsed = sources.filter((s) => (settings.uses[s] ?? '') === '');

	const meaning = (word: string) => settings.words[wordKey(word)] ?? knownWords[wordKey(word)];
	/** Per pupil: the line first naming them, and the uses answered. */
	const seenPupils = new Map<string, number>();
	const answered = new Set<string>();
	const seenAnswers = new Map<string, number>();
	const rowDays = new Map<string, string>();
	const namedCells = [
		columns.name,
		columns.firstName,
		columns.preferredName,
		columns.lastName,
		columns.className,
		columns.givenBy,
		columns.relationship,
		columns.givenOn,
		columns.type,
		columns.status
	];
	for (const row of rows) {
		const { line } = row;
		const cellOf = (column: string | null) => {
			const i = index(column);
			return i >= 0 ? (row.cells[i] ?? '').trim() : '';
		};
		const cell = (field: FieldName) => cellOf(columns[field]);
		const answerCells = settings.format === 'wide' ? mapped.map(cellOf) : [];
		const read = [...namedCells.map(cellOf), ...answerCells];
		if (read.some((c) => c.includes('\uFFFD'))) {
			problems.push({ line, reason: 'consentImport.error.encoding' });
			continue;
		}
		const formula = read.find(looksLikeFormula);
		if (formula !== undefined) {
			problems.push({ line, reason: 'consentImport.error.formula', detail: formula });
			continue;
		}
		const candidates = nameCandidates(cell, columns);
		const asWritten = columns.name
			? cell('name')
			: [cell('firstName'), cell('lastName')].filter((t) => t !== '').join(' ');
		if (candidates.length === 0) {
			problems.push({ line, reason: 'consentImport.error.noName' });
			continue;
		}
		const group = cell('className');
		const classId = group ? (settings.classes[group] ?? '') : '';
		const everywhere = matchPupils(candidates, pupils);
		const inClass = classId ? everywhere.filter((p) => p.classId === classId) : everywhere;
		if (inClass.length === 0) {
			if (everywhere.length > 0)
				problems.push({
					line,
					reason: 'consentImport.error.otherClass',
					detail: `${asWritten} — ${group} → ${everywhere.map(pupilLabel).join(', ')}`
				});
			else problems.push({ line, reason: 'consentImport.error.unknownPupil', detail: asWritten });
			continue;
		}
		if (inClass.length > 1) {
			problems.push({
				line,
				reason: 'consentImport.error.ambiguousPupil',
				detail: `${asWritten} → ${inClass.map(pupilLabel).join(', ')}`
			});
			continue;
		}
		const pupil = inClass[0]!;
		if (!seenPupils.has(pupil.id)) {
			seenPupils.set(pupil.id, line);
			people.push({ line, asWritten, pupilId: pupil.id });
		}
		const carer = readCarer(cell('givenBy'), cell('relationship'));
		const dateText = cell('givenOn');
		let givenOn: string | null = null;
		if (dateText !== '') {
			const read = readDay(dateText);
			// An answer cannot be dated after the day it is imported.
			givenOn = read !== null && read <= today ? read : null;
			if (!givenOn) {
				problems.push({ line, reason: 'consentImport.error.badDate', detail: dateText });
				continue;
			}
		} else if (settings.useToday) givenOn = today;
		if (!rowDays.has(pupil.id) && givenOn) rowDays.set(pupil.id, givenOn);

		const pairs: [string, string][] =
			settings.format === 'wide'
				? mapped.map((column) => [settings.uses[column]!, cellOf(column)])
				: (() => {
						const type = cell('type');
						const useId = settings.uses[type] ?? '';
						return useId ? [[useId, cell('status')] as [string, string]] : [];
					})();
		for (const [useId, word] of pairs) {
			const means = meaning(word);
			if (means === undefined) {
				problems.push({ line, reason: 'consentImport.error.unknownWord', detail: word });
				continue;
			}
			if (means === 'none') continue;
			if (!givenOn) {
				problems.push({ line, reason: 'consentImport.error.noDate' });
				break;
			}
			const key = `${pupil.id} ${useId} ${nameKey(carer.givenBy)} ${givenOn}`;
			const earlier = seenAnswers.get(key);
			if (earlier !== undefined) {
				problems.push({
					line,
					reason: 'consentImport.error.duplicate',
					detail: `${asWritten} (${earlier})`
				});
				break;
			}
			seenAnswers.set(key, line);
			answered.add(`${pupil.id} ${useId}`);
			answers.push({ line, pupilId: pupil.id, useId, answer: means, ...carer, givenOn });
		}
	}
	if (problems.length > 0) return done({ unknownWords, notUsed });
	const useIds = [...new Set(mapped.map((s) => settings.uses[s]!))];
	const blanks: FileBlank[] = [];
	for (const [pupilId, line] of seenPupils)
		for (const useId of useIds)
			if (!answered.has(`${pupilId} ${useId}`))
				blanks.push({ line, pupilId, useId, givenOn: rowDays.get(pupilId) ?? today });
	return { problems, answers, blanks, people, notUsed, unknownWords };
}
