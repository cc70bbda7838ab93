import { z } from 'zod';
import type { StaffRole } from './roles';

/**
 * "Tell an adult": what a pupil can send, who it goes to, and how a report's state follows
 * from the append-only list of what staff did with it. Pure, so every rule has a unit test.
 */

/** The picture cards a pupil chooses from: what the worry is about. */
export const worryTopics = [
	'unkind',
	'upsetting',
	'stranger',
	'pictures',
	'grown-up',
	'not-safe',
	'something-else'
] as const;
export type WorryTopic = (typeof worryTopics)[number];

/** The faces: how the pupil feels. */
export const feelings = ['sad', 'worried', 'scared', 'angry', 'confused', 'okay'] as const;
export type Feeling = (typeof feelings)[number];

/** Who sees a report, besides the DSL, who sees every report. */
export type Audience = 'class' | 'dsl-only';

export interface Routing {
	audience: Audience;
	urgent: boolean;
}

/**
 * The school's escalation rules: a worry about a grown-up goes to the DSL alone (the grown-up
 * may be the teacher); "I'm not safe right now" goes to the teacher and the DSL at once,
 * marked urgent; everything else to the class teacher(s).
 */
export function routeReport(topic: WorryTopic): Routing {
	if (topic === 'grown-up') return { audience: 'dsl-only', urgent: false };
	if (topic === 'not-safe') return { audience: 'class', urgent: true };
	return { audience: 'class', urgent: false };
}

// ---- What a device sends ----

/** A drawing is a PNG data URL; a voice note base64 audio. Both are capped before queuing. */
export const drawingMaxLength = 400_000;
export const voiceMaxLength = 1_000_000;
export const voiceMaxSeconds = 60;
export const wordsMaxLength = 2000;

/**
 * What one device may have parked (refused and kept for the DSL) in any 24 hours: a device
 * sending junk is answered 429 beyond this, and its junk waits on the device. A well-formed
 * worry is never parked, so it is never held back by this.
 */
export const parkedQuota = { count: 20, bytes: 8_000_000 } as const;
/** The largest report body read: a drawing and a minute's voice note fit with room to spare. */
export const reportMaxBytes = 3_000_000;
const pngDataUrl = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;
const base64 = /^[A-Za-z0-9+/]+={0,2}$/;

export const reportLanguages = ['en', 'cy', 'pl', 'ur'] as const;

export const reportSubmissionSchema = z.object({
	id: z.string().uuid(),
	createdAt: z.string().datetime({ offset: true }),
	classId: z.string().uuid(),
	pupilId: z.string().uuid().nullable(),
	/** The card the pupil signed in with (never its secret), or null (name picked, or not signed in). */
	cardId: z
		.string()
		.regex(/^[A-Z2-7]{8}$/)
		.nullable()
		.default(null),
	/** The pupil signed in with their picture password on the iPad (older iPads do not say). */
	pictures: z.boolean().optional(),
	feeling: z.enum(feelings).nullable(),
	topic: z.enum(worryTopics),
	words: z.string().trim().max(wordsMaxLength).nullable(),
	drawing: z.string().max(drawingMaxLength).regex(pngDataUrl).nullable(),
	voice: z
		.object({
			mime: z.string().regex(/^audio\/[a-z0-9.+-]+(;[ a-z0-9=.,-]*)?$/i),
			data: z.string().max(voiceMaxLength).regex(base64),
			seconds: z
				.number()
				.min(0)
				.max(voiceMaxSeconds + 1)
		})
		.nullable(),
	/** The adult the pupil would like to talk to; null is "my class teacher". */
	talkTo: z.string().uuid().nullable(),
	lang: z.enum(reportLanguages)
});
export type ReportSubmission = z.output<typeof reportSubmissionSchema>;

/**
 * Why the name on a report may not be the child's, kept with the report and shown to staff:
 * a card replaced before the worry was written (or another pupil's card); a pupil who is not
 * in the classes of the iPad that sent it; or a name with neither a card nor a picture
 * password behind it (chosen from the list, or claimed by whoever holds the iPad's token).
 */
export const identityDoubts = [
	'replaced-card',
	'pupil-not-in-device-classes',
	'no-card-or-picture-sign-in'
] as const;
export type IdentityDoubt = (typeof identityDoubts)[number];

/** The first doubt that holds about who sent a named report, or null when its name is backed. */
export function identityDoubtOf(facts: {
	/** The pupil's class now, and the classes of the device that sent it. */
	pupilClassId: string;
	deviceClassIds: readonly string[];
	/** Null when no card was sent; else whether it is this pupil's and was live when written. */
	cardGood: boolean | null;
	/** The device says the pupil signed in with pictures, their class uses them, and they have one. */
	picturesBacked: boolean;
}): IdentityDoubt | null {
	if (!facts.deviceClassIds.includes(facts.pupilClassId)) return 'pupil-not-in-device-classes';
	if (facts.cardGood === false) return 'replaced-card';
	if (facts.cardGood === null && !facts.picturesBacked) return 'no-card-or-picture-sign-in';
	return null;
}

/** Why a worry cannot be queued on the device (checked again by the server). */
export function tooBigToSend(
	report: Pick<ReportSubmission, 'drawing' | 'voice' | 'words'>
): 'drawing' | 'voice' | 'words' | null {
	if (report.drawing && report.drawing.length > drawingMaxLength) return 'drawing';
	if (
		report.voice &&
		(report.voice.data.length > voiceMaxLength || report.voice.seconds > voiceMaxSeconds + 1)
	)
		return 'voice';
	if (report.words && report.words.length > wordsMaxLength) return 'words';
	return null;
}

// ---- What staff record ----

export const incidentCategories = [
	'bullying',
	'hate',
	'harmful-content',
	'unknown-contact',
	'image-sharing',
	'gambling',
	'bypassing-security',
	'other'
] as const;
export type IncidentCategory = (typeof incidentCategories)[number];

export const referralTargets = ['social-care', 'police', 'ceop'] as const;
export const outcomes = [
	'resolved-in-school',
	'referred-on',
	'no-further-action',
	'not-a-concern'
] as const;
export const involvedRoles = ['pupil', 'staff', 'parent-carer', 'unknown-adult', 'other'] as const;

/** What staff can add from the report page (besides "seen", which opening it records). */
export const staffEventSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('note'), text: z.string().trim().min(1).max(4000) }),
	z.object({ kind: z.literal('talked-with-child'), text: z.string().trim().max(4000) }),
	z.object({ kind: z.literal('parents-informed'), text: z.string().trim().max(4000) }),
	z.object({ kind: z.literal('escalated-to-dsl'), text: z.string().trim().max(4000) }),
	z.object({
		kind: z.literal('referred'),
		to: z.enum(referralTargets),
		/** The reference the agency gave, if any (older entries have none). */
		reference: z.string().trim().max(120).optional(),
		text: z.string().trim().max(4000)
	}),
	z.object({ kind: z.literal('reported-for-filtering'), text: z.string().trim().max(4000) }),
	z.object({
		kind: z.literal('person-involved'),
		name: z.string().trim().min(1).max(120),
		role: z.enum(involvedRoles)
	}),
	z.object({ kind: z.literal('incident-category'), category: z.enum(incidentCategories) }),
	z.object({
		kind: z.literal('closed'),
		outcome: z.enum(outcomes),
		text: z.string().trim().min(1).max(4000)
	}),
	z.object({ kind: z.literal('reopened'), text: z.string().trim().min(1).max(4000) })
]);
export type StaffEvent = z.output<typeof staffEventSchema>;
export type StaffEventKind = StaffEvent['kind'];

/** The choices on the report page's forms: each starts empty until staff choose. */
const choiceFields = {
	to: 'referral',
	role: 'role',
	category: 'category',
	outcome: 'outcome'
} as const;

export type EventProblem =
	'incomplete' | `choose.${(typeof choiceFields)[keyof typeof choiceFields] | 'action'}`;

/**
 * Why a staff entry cannot be saved, in the words staff need: a choice left empty is named
 * ("choose an outcome") before anything typed is, because it is what they are most likely to
 * miss. A value no form offers (a tampered or out-of-date form) is just "incomplete".
 */
export function eventProblem(input: unknown): EventProblem | null {
	const parsed = staffEventSchema.safeParse(input);
	if (parsed.success) return null;
	const given = (input ?? {}) as Record<string, unknown>;
	const empty = (field: string) => given[field] === undefined || given[field] === '';
	const fields = parsed.error.issues.map((issue) => String(issue.path[0] ?? ''));
	if (fields.includes('kind')) return empty('kind') ? 'choose.action' : 'incomplete';
	for (const [field, choice] of Object.entries(choiceFields))
		if (fields.includes(field) && empty(field)) return `choose.${choice}`;
	return 'incomplete';
}

/** An event as stored: staff events, plus "seen" and the system's "DSL alerted". */
export type ReportEventBody =
	StaffEvent | { kind: 'seen' } | { kind: 'dsl-alerted'; minutes: number };

export interface ReportEvent {
	at: string;
	actorId: string | null;
	actorRole: StaffRole | null;
	body: ReportEventBody;
}

export type ReportStatus = 'new' | 'seen' | 'in-progress' | 'closed';

export interface ReportState {
	status: ReportStatus;
	/** Urgent, or ever escalated or referred: only the DSL may close it. */
	escalated: boolean;
	firstSeenAt: string | null;
	category: IncidentCategory | null;
	closed: {
		at: string;
		by: string | null;
		outcome: (typeof outcomes)[number];
		text: string;
	} | null;
	dslAlerted: boolean;
}

/** The state of a report is never stored: it is read from its events, oldest first. */
export function reportState(
	report: { urgent: boolean },
	events: readonly ReportEvent[]
): ReportState {
	const state: ReportState = {
		status: 'new',
		escalated: report.urgent,
		firstSeenAt: null,
		category: null,
		closed: null,
		dslAlerted: false
	};
	for (const event of events) {
		const body = event.body;
		switch (body.kind) {
			case 'seen':
				state.firstSeenAt ??= event.at;
				if (state.status === 'new') state.status = 'seen';
				break;
			case 'dsl-alerted':
				state.dslAlerted = true;
				break;
			case 'closed':
				state.status = 'closed';
				state.closed = { at: event.at, by: event.actorId, outcome: body.outcome, text: body.text };
				break;
			case 'reopened':
				state.status = 'in-progress';
				state.closed = null;
				break;
			default:
				if (body.kind === 'escalated-to-dsl' || body.kind === 'referred') state.escalated = true;
				if (body.kind === 'incident-category') state.category = body.category;
				// A note on a closed report corrects the record; it does not reopen it.
				if (state.status !== 'closed') state.status = 'in-progress';
				state.firstSeenAt ??= event.at;
		}
	}
	return state;
}

export type EventRefusal = 'closed' | 'dsl-must-close' | 'not-closed' | 'dsl-must-reopen';

/**
 * May this role add this event now? Nothing is ever edited: on a closed report only a note
 * (a correction) may be added, or the DSL may reopen it.
 */
export function refuseEvent(
	role: StaffRole,
	state: ReportState,
	kind: StaffEventKind
): EventRefusal | null {
	if (kind === 'reopened') {
		if (state.status !== 'closed') return 'not-closed';
		return role === 'dsl' ? null : 'dsl-must-reopen';
	}
	if (state.status === 'closed') return kind === 'note' ? null : 'closed';
	if (kind === 'closed' && state.escalated && role !== 'dsl') return 'dsl-must-close';
	return null;
}

// ---- Who sees what ----

export interface ReportViewer {
	role: StaffRole;
	staffId: string;
	/** The classes the viewer teaches right now (cover only during the cover period). */
	classIds: readonly string[];
}

export interface ReportScope {
	audience: Audience;
	classIds: readonly string[];
	talkTo: string | null;
}

/**
 * Teachers see their classes' reports, and reports a pupil asked to bring to them; the DSL
 * sees every report; admins and trip staff none. A worry about a grown-up is the DSL's alone.
 */
export function canSeeReport(viewer: ReportViewer, report: ReportScope): boolean {
	if (viewer.role === 'dsl') return true;
	if (viewer.role !== 'teacher') return false;
	if (report.audience === 'dsl-only') return false;
	return (
		report.talkTo === viewer.staffId || report.classIds.some((c) => viewer.classIds.includes(c))
	);
}

// ---- When nobody has looked ----

export interface SchoolHours {
	/** Minutes after local midnight. */
	start: number;
	end: number;
	/** ISO weekdays, Monday = 1. */
	days: readonly number[];
	timeZone: string;
}

export const defaultSchoolHours: SchoolHours = {
	start: 8 * 60 + 30,
	end: 15 * 60 + 30,
	days: [1, 2, 3, 4, 5],
	timeZone: 'Europe/London'
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, timeZone: string): { weekday: number; minute: number } {
	let format = formatters.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-GB', {
			timeZone,
			weekday: 'short',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23'
		});
		formatters.set(timeZone, format);
	}
	const parts = format.formatToParts(at);
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
	return { weekday, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/**
 * School minutes between two moments: only minutes inside school hours count, so a worry
 * sent at 3.25 pm on a Friday is "30 minutes unseen" at 9 am on Monday, not at 3.55 pm.
 * Counted minute by minute, looking at most a fortnight ahead, and stopping at `cap`.
 */
export function schoolMinutesBetween(
	from: Date,
	to: Date,
	hours: SchoolHours,
	cap = Infinity
): number {
	let count = 0;
	const step = 60_000;
	const limit = Math.min(to.getTime(), from.getTime() + 14 * 24 * 60 * step);
	for (let t = Math.ceil(from.getTime() / step) * step; t < limit; t += step) {
		const { weekday, minute } = localParts(new Date(t), hours.timeZone);
		if (hours.days.includes(weekday) && minute >= hours.start && minute < hours.end) count++;
		if (count >= cap) break;
	}
	return count;
}
