import { z } from 'zod';

/**
 * Photo consent: the school's list of uses, the parents' and carers' answers, and the one
 * function that says whether a pupil may be photographed for a use today. Pure: the server's
 * overview, the trip snapshot and the tests all ask `consentVerdict`.
 *
 * The school's policies ask for written consent per use, withdrawable at any time, a "no
 * photos" list, and nothing taken or published without consent: so an unanswered use is
 * "not allowed" unless the school has chosen otherwise for that use, an objection from any
 * carer wins over a grant from another, and "no photos" wins over everything.
 */

/** The uses a school starts with (it can rename, add and retire them). */
export const defaultUses = [
	{ key: 'in-school', name: 'Records and displays inside school' },
	{ key: 'website', name: 'School website' },
	{ key: 'social-media', name: 'School social media' },
	{ key: 'print', name: 'Printed materials (prospectus, newsletter)' },
	{ key: 'press', name: 'Local or national press' },
	{ key: 'video', name: 'Video, webcam and livestream' },
	{ key: 'outside-displays', name: 'Displays outside school' },
	{ key: 'photographer', name: 'School photographer' },
	{ key: 'named', name: 'Named together with a photo' }
] as const;

export const decisions = ['granted', 'refused', 'withdrawn'] as const;
export type Decision = (typeof decisions)[number];

export const consentSources = ['paper-form', 'email', 'imported', 'in-person'] as const;
export type ConsentSource = (typeof consentSources)[number];

/** A calendar day, `YYYY-MM-DD`: consent is given and runs out by the day, not the minute. */
export type Day = string;
/** The years a consent date may fall in: a typing slip (`9999`, `1066`) is not a date. */
export const plausibleYears = { from: 2000, to: 2099 } as const;

/** Whether `text` is a real calendar day (`2026-02-30` is not) in a plausible year. */
export function isPlausibleDay(text: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
	if (!m) return false;
	const year = Number(m[1]);
	if (year < plausibleYears.from || year > plausibleYears.to) return false;
	const date = new Date(`${text}T12:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** A day on the form; the message names the field it is for. */
const day = (message: string) => z.string().refine(isPlausibleDay, { message });

/** The day `days` after (or before) a day. */
export function addDays(dayText: Day, days: number): Day {
	const d = new Date(`${dayText}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

/** One answer from one parent or carer about one use. Records are never changed: a new answer is a new record. */
export interface ConsentRecord {
	useId: string;
	decision: Decision;
	/** Who answered, as written on the form ("Sam Jones"). */
	givenBy: string;
	/** Their relationship to the pupil ("mother", "foster carer"). */
	relationship: string;
	/** The day they answered. */
	givenOn: Day;
	validFrom: Day;
	/** The last day a grant counts; null for as long as the pupil is at the school. */
	validUntil: Day | null;
	source: ConsentSource;
	/** When it was recorded (ISO time): orders two answers from one carer on one day. */
	recordedAt: string;
}

export const consentEntrySchema = z
	.object({
		useId: z.string().min(1),
		decision: z.enum(decisions, { error: 'consent.error.decision' }),
		givenBy: z.string().trim().min(1, 'consent.error.givenBy').max(80, 'consent.error.givenBy'),
		relationship: z
			.string()
			.trim()
			.min(1, 'consent.error.relationship')
			.max(40, 'consent.error.relationship'),
		givenOn: day('consent.error.givenOn'),
		validFrom: day('consent.error.validFrom'),
		validUntil: day('consent.error.validUntil').nullable(),
		source: z.enum(consentSources, { error: 'consent.error.source' })
	})
	.refine((r) => r.validUntil === null || r.validUntil >= r.validFrom, {
		message: 'consent.error.untilBeforeFrom',
		path: ['validUntil']
	});
export type ConsentEntry = z.output<typeof consentEntrySchema>;

/**
 * 'check' is neither: a yes that does not yet count (the school needs every carer with
 * parental responsibility to say yes, and not all have). It is never shown as allowed.
 */
export type Verdict = 'allowed' | 'not-allowed' | 'check';
/**
 * Why, for office staff and the DSL only. It never goes to a trip device: the trip sees the
 * verdict alone (and, for a use the school never allows, that the use is never allowed).
 */
export type VerdictReason =
	'no-photos' | 'school-rule' | 'objection' | 'granted' | 'other-carers' | 'expired' | 'unanswered';

export interface VerdictInput {
	/** This pupil's records for this use (any order). */
	records: readonly ConsentRecord[];
	noPhotos: boolean;
	/** What holds for this use when nobody has answered (or every grant has run out). */
	allowedWhenUnanswered: boolean;
	today: Day;
	/** The school's policy never allows this use, whatever carers say (for example, names with photos). */
	neverAllowed?: boolean;
	/**
	 * With the school's rule "consent needs every carer with parental responsibility who is
	 * recorded": how many carers' yeses this pupil needs. Absent or null when the rule is off.
	 */
	carersNeeded?: number | null;
}

export interface VerdictResult {
	verdict: Verdict;
	reason: VerdictReason;
	/** For 'other-carers': how many carers' yeses are in force, and how many are needed. */
	carers?: { granted: number; needed: number };
}

const titles = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr']);

/**
 * The same carer however the name was typed: case, spaces, punctuation, a bracketed part
 * ("(Mother)") and a title (Mr, Mrs, Ms, Miss, Mx, Dr) do not matter.
 */
export function carerKey(givenBy: string): string {
	return givenBy
		.toLowerCase()
		.replace(/\([^)]*\)/g, ' ')
		.replace(/[\u2019']/g, '')
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.split(' ')
		.filter((word) => word !== '' && !titles.has(word))
		.join(' ');
}

const unknownRelationships = new Set(['', 'parent or carer', 'parent', 'carer']);
const sameRelationship: Record<string, string> = {
	mum: 'mother',
	mom: 'mother',
	mam: 'mother',
	dad: 'father'
};

/** A carer's relationship, tidied; null when it does not say which carer ("parent", blank). */
export function relationshipKey(relationship: string): string | null {
	const key = relationship.toLowerCase().replace(/\s+/g, ' ').trim();
	if (unknownRelationships.has(key)) return null;
	return sameRelationship[key] ?? key;
}

/**
 * How many different carers said yes: the smaller of how many names and how many
 * relationships, since one carer may be typed two ways ("Amara Okoye", "Mrs Okoye"). A
 * relationship that does not say which carer never adds one. Errs toward "check".
 */
function distinctCarers(grants: readonly ConsentRecord[]): number {
	if (grants.length === 0) return 0;
	const relationships = new Set<string>();
	for (const grant of grants) {
		const key = relationshipKey(grant.relationship);
		if (key !== null) relationships.add(key);
	}
	return Math.min(grants.length, Math.max(1, relationships.size));
}

/**
 * Whether `a` is a carer's later answer than `b`: by day, then by when it was recorded. Two
 * answers recorded at the same moment are ordered by what they say, so the order records
 * arrive in never matters: an objection counts as later than a grant, and of two grants the
 * one that lasts longer.
 */
const later = (a: ConsentRecord, b: ConsentRecord) => {
	if (a.givenOn !== b.givenOn) return a.givenOn > b.givenOn;
	if (a.recordedAt !== b.recordedAt) return a.recordedAt > b.recordedAt;
	const objects = (r: ConsentRecord) => r.decision !== 'granted';
	if (objects(a) !== objects(b)) return objects(a);
	return (a.validUntil ?? '9999-12-31') > (b.validUntil ?? '9999-12-31');
};

/**
 * May this pupil be photographed for this use today?
 * 1. "No photos" wins over everything.
 * 2. A use the school never allows is never allowed ("school rule").
 * 3. Each carer's latest answer in force today counts (a record counts from its `validFrom`).
 * 4. Any carer's refusal or withdrawal wins over any grant.
 * 5. A grant counts until its `validUntil`. When the school needs every carer with parental
 *    responsibility (`carersNeeded`), fewer carers' grants in force than needed is "check" (carers
 *    counted as the smaller of distinct names and distinct relationships) —
 *    unless the use is allowed when nobody has answered, so the carers yet to answer are.
 * 6. Otherwise the use's own rule for "nobody has answered".
 */
export function consentVerdict(input: VerdictInput): VerdictResult {
	if (input.noPhotos) return { verdict: 'not-allowed', reason: 'no-photos' };
	if (input.neverAllowed === true) return { verdict: 'not-allowed', reason: 'school-rule' };
	const latest = new Map<string, ConsentRecord>();
	for (const record of input.records) {
		if (record.validFrom > input.today) continue;
		const key = carerKey(record.givenBy);
		const known = latest.get(key);
		if (!known || later(record, known)) latest.set(key, record);
	}
	const grants: ConsentRecord[] = [];
	let expired = false;
	for (const record of latest.values()) {
		if (record.decision !== 'granted') return { verdict: 'not-allowed', reason: 'objection' };
		if (record.validUntil !== null && record.validUntil < input.today) expired = true;
		else grants.push(record);
	}
	const needed = Math.max(1, input.carersNeeded ?? 1);
	const granted = needed > 1 ? distinctCarers(grants) : grants.length;
	if (granted >= needed || (granted > 0 && input.allowedWhenUnanswered))
		return { verdict: 'allowed', reason: 'granted' };
	if (granted > 0) return { verdict: 'check', reason: 'other-carers', carers: { granted, needed } };
	return {
		verdict: input.allowedWhenUnanswered ? 'allowed' : 'not-allowed',
		reason: expired ? 'expired' : 'unanswered'
	};
}

const severity: Record<Verdict, number> = { allowed: 0, check: 1, 'not-allowed': 2 };

/** The worse of two verdicts: "not allowed" is worse than "check", which is worse than "allowed". */
export function worseVerdict(a: Verdict, b: Verdict): Verdict {
	return severity[b] > severity[a] ? b : a;
}

/**
 * What a trip device shows: past the snapshot's safe age, "allowed" becomes "check"; a
 * "check" stays one (it is never allowed).
 */
export type TripAnswer = 'allowed' | 'not-allowed' | 'check';

export function tripAnswer(
	verdict: Verdict,
	snapshotAgeHours: number,
	maxAgeHours: number
): TripAnswer {
	if (verdict === 'not-allowed') return 'not-allowed';
	if (verdict === 'check') return 'check';
	return snapshotAgeHours > maxAgeHours ? 'check' : 'allowed';
}

/** A group photo is allowed only if every pupil in it is; otherwise, who is not (or needs a check). */
export function groupAnswer(answers: readonly { pupilId: string; answer: TripAnswer }[]): {
	answer: TripAnswer;
	notAllowed: string[];
	toCheck: string[];
} {
	const notAllowed = answers.filter((a) => a.answer === 'not-allowed').map((a) => a.pupilId);
	const toCheck = answers.filter((a) => a.answer === 'check').map((a) => a.pupilId);
	return {
		answer: notAllowed.length > 0 ? 'not-allowed' : toCheck.length > 0 ? 'check' : 'allowed',
		notAllowed,
		toCheck
	};
}
