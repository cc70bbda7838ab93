import { csvDocument, csvLine } from './csv';
import type { Translate } from './report-words';
import { schoolDateTime } from './school-time';

/**
 * The audit page: what the DSL reads to see who saw and did what. Pure decisions only: which
 * kind an action is, what the filters say, how an entry reads in words. Never the content of a
 * worry: an entry names who and what, not what a child said.
 */

export const auditKinds = ['view', 'action', 'export', 'sign-in', 'failed-sign-in'] as const;
export type AuditKind = (typeof auditKinds)[number];

/**
 * Actions that are not "actions" (changes). Anything not listed here is a change someone made;
 * a new sign-in or export action should be added here so its filter finds it.
 */
export const actionsByKind: Record<Exclude<AuditKind, 'action'>, readonly string[]> = {
	view: [
		'report.view',
		'report.view-refused',
		'report.parked-view',
		'report.summary',
		'audit.view'
	],
	export: [
		'report.export',
		'lesson.results-exported',
		'consent.snapshot-downloaded',
		'consent.exported',
		'audit.export'
	],
	'sign-in': [
		'staff.signed-in',
		'staff.password-accepted',
		'staff.second-factor-passed',
		'staff.signed-out'
	],
	'failed-sign-in': [
		'staff.sign-in-failed',
		'staff.second-factor-failed',
		'staff.current-password-wrong',
		'staff.locked-out'
	]
};

export function kindOf(action: string): AuditKind {
	for (const kind of ['view', 'export', 'sign-in', 'failed-sign-in'] as const) {
		if (actionsByKind[kind].includes(action)) return kind;
	}
	return 'action';
}

/** Every action listed under some kind other than "action" (for the "actions" filter). */
export function notPlainActions(): string[] {
	return Object.values(actionsByKind).flat();
}

export interface AuditFilter {
	/** A member of staff's id: entries they made, and entries about them. */
	person: string | null;
	/** A pupil's id: entries about the pupil, and about the pupil's reports. */
	pupil: string | null;
	/** A report's id, or the start of it (its reference, as shown). */
	report: string | null;
	/** The school's days, inclusive. */
	from: string | null;
	to: string | null;
	kind: AuditKind | null;
	/** Paging: entries older than this one. */
	before: number | null;
}

export const emptyFilter: AuditFilter = {
	person: null,
	pupil: null,
	report: null,
	from: null,
	to: null,
	kind: null,
	before: null
};

export const auditPageSize = 100;

/** How a report is referred to on screen: the start of its id. */
export function reportRef(id: string): string {
	return id.slice(0, 8);
}

const idPattern = /^[A-Za-z0-9-]{1,64}$/;
const refPattern = /^[0-9a-f-]{4,36}$/;

function realDay(text: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
	const [y = 0, m = 0, d = 0] = text.split('-').map(Number);
	const date = new Date(Date.UTC(y, m - 1, d));
	return (
		y >= 2000 &&
		y <= 2200 &&
		date.getUTCFullYear() === y &&
		date.getUTCMonth() === m - 1 &&
		date.getUTCDate() === d
	);
}

export type FilterProblem = 'dates' | 'report' | null;

/** The filters from the page's address (a GET form, so a search can be bookmarked). */
export function readAuditFilter(params: URLSearchParams): {
	filter: AuditFilter;
	problem: FilterProblem;
} {
	const text = (name: string) => (params.get(name) ?? '').trim();
	let problem: FilterProblem = null;
	const id = (name: string) => {
		const value = text(name);
		return idPattern.test(value) ? value : null;
	};
	const reportText = text('report').toLowerCase();
	let report: string | null = null;
	if (reportText !== '') {
		if (refPattern.test(reportText)) report = reportText;
		else problem = 'report';
	}
	const day = (name: string) => {
		const value = text(name);
		if (value === '') return null;
		if (realDay(value)) return value;
		problem = 'dates';
		return null;
	};
	let from = day('from');
	let to = day('to');
	if (from && to && from > to) {
		problem = 'dates';
		from = null;
		to = null;
	}
	const kindText = text('kind');
	const kind = (auditKinds as readonly string[]).includes(kindText)
		? (kindText as AuditKind)
		: null;
	const beforeText = text('before');
	const before = /^\d{1,15}$/.test(beforeText) ? Number(beforeText) : null;
	return {
		filter: { person: id('person'), pupil: id('pupil'), report, from, to, kind, before },
		problem
	};
}

/** The address of the same search, at another page (or the first, with `before` null). */
export function filterSearch(filter: AuditFilter, before: number | null = null): string {
	const params = new URLSearchParams();
	const add = (name: string, value: string | number | null) => {
		if (value !== null && value !== '') params.set(name, String(value));
	};
	add('person', filter.person);
	add('pupil', filter.pupil);
	add('report', filter.report);
	add('from', filter.from);
	add('to', filter.to);
	add('kind', filter.kind);
	add('before', before);
	const query = params.toString();
	return query ? `?${query}` : '';
}

/** Who did it. */
export type AuditWho =
	| { kind: 'staff'; name: string }
	/** An id no longer on the staff list (should not happen: staff are disabled, not deleted). */
	| { kind: 'unknown-staff' }
	/** A sign-in that failed: nobody was signed in. */
	| { kind: 'signing-in' }
	| { kind: 'device' }
	| { kind: 'system' };

/** About whom or what. */
export type AuditAbout =
	| { kind: 'pupil'; name: string }
	| { kind: 'report'; ref: string; id: string; pupilName: string | null }
	| { kind: 'reports' }
	| { kind: 'staff'; name: string }
	| { kind: 'class'; name: string }
	| { kind: 'device'; name: string }
	| { kind: 'school' }
	| { kind: 'other'; type: string }
	| null;

export interface DescribedEntry {
	seq: number;
	at: string;
	action: string;
	kind: AuditKind;
	who: AuditWho;
	about: AuditAbout;
}

/** Whose entry this is, from its actor and action. */
export function whoOf(
	actorId: string | null,
	action: string,
	subjectType: string,
	staffName: (id: string) => string | undefined
): AuditWho {
	if (actorId) {
		const name = staffName(actorId);
		return name === undefined ? { kind: 'unknown-staff' } : { kind: 'staff', name };
	}
	if (kindOf(action) === 'failed-sign-in') return { kind: 'signing-in' };
	if (subjectType === 'device' || action.startsWith('device.')) return { kind: 'device' };
	return { kind: 'system' };
}

/** The label key of an action; `readableAction` when the locale has none. */
export function actionKey(action: string): string {
	return `auditLog.action.${action}`;
}

/** An action nobody has written words for yet, still readable: "consent.use-added" → "consent: use added". */
export function readableAction(action: string): string {
	const [area = '', ...rest] = action.split('.');
	const what = rest.join(' ').replaceAll('-', ' ').trim();
	return what ? `${area}: ${what}` : area;
}

/** An action in words, in the language of `t`, falling back to a readable form. */
export function actionWords(action: string, t: Translate): string {
	const words = t(actionKey(action), { defaultValue: '' });
	return words && words !== actionKey(action) ? words : readableAction(action);
}

export function whoWords(who: AuditWho, t: Translate): string {
	return who.kind === 'staff' ? who.name : t(`auditLog.whoDid.${who.kind}`);
}

export function aboutWords(about: AuditAbout, t: Translate): string {
	if (!about) return '';
	switch (about.kind) {
		case 'pupil':
		case 'staff':
		case 'class':
		case 'device':
			return t(`auditLog.aboutIs.${about.kind}`, { name: about.name });
		case 'report':
			return about.pupilName
				? t('auditLog.aboutIs.reportOf', { ref: about.ref, name: about.pupilName })
				: t('auditLog.aboutIs.report', { ref: about.ref });
		case 'reports':
		case 'school':
			return t(`auditLog.aboutIs.${about.kind}`);
		case 'other': {
			// A kind of record with its own words ("Photo consent use"), else its code as stored.
			const key = `auditLog.aboutKind.${about.type}`;
			const words = t(key, { defaultValue: '' });
			return words && words !== key ? words : about.type;
		}
	}
}

/** The filtered entries as CSV, in the same safe form as the incident log (see csv.ts). */
export function auditLogCsv(
	entries: readonly DescribedEntry[],
	t: Translate,
	timeZone: string
): string {
	const header = [
		t('auditLog.csv.number'),
		t('auditLog.csv.when', { zone: timeZone }),
		t('auditLog.csv.who'),
		t('auditLog.csv.kind'),
		t('auditLog.csv.what'),
		t('auditLog.csv.about'),
		t('auditLog.csv.action')
	];
	const lines = [csvLine(header)];
	for (const e of entries) {
		lines.push(
			csvLine([
				e.seq,
				schoolDateTime(e.at, timeZone),
				whoWords(e.who, t),
				t(`auditLog.kind.${e.kind}`),
				actionWords(e.action, t),
				aboutWords(e.about, t),
				e.action
			])
		);
	}
	return csvDocument(lines);
}
