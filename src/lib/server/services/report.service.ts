import { randomUUID } from 'node:crypto';
import {
	eventProblem,
	identityDoubtOf,
	parkedQuota,
	reportMaxBytes,
	reportState,
	reportSubmissionSchema,
	refuseEvent,
	routeReport,
	schoolMinutesBetween,
	staffEventSchema,
	type IdentityDoubt,
	type ReportState,
	type StaffEvent
} from '$lib/domain/report';
import { incidentLogCsv, type LogReport } from '$lib/domain/incident-log';
import type { Translate } from '$lib/domain/report-words';
import { looksSealed } from '$lib/shared/sealed-outbox';
import { bodyHash } from '../body-hash';
import { readJsonBody } from '../json-body';
import type { DayRange } from '../report-range';
import type { AppContext, StaffActor } from '../context';
import { seesEveryReport } from '$lib/domain/roles';
import { appendAudit } from '../repositories/audit.repository';
import { findCard } from '../repositories/card.repository';
import { getClass, listClasses } from '../repositories/class.repository';
import { lockDevice } from '../repositories/device.repository';
import { classUsesPictures, pictureHashOf } from '../repositories/picture-password.repository';
import { getPupil, pupilNames } from '../repositories/pupil.repository';
import {
	attachmentsOf,
	claimAlert,
	countUnseenBy,
	eventsOf,
	findReportHash,
	getReport,
	hasSeen,
	insertEvent,
	insertReport,
	inChunks,
	listInbox,
	listReports,
	countUrgentOpen,
	overdueReportsOf,
	lockReport,
	openAlerts,
	parkSubmission,
	parkedSince,
	parkedWithBodies,
	unseenUnalerted,
	type InboxScope,
	type ReportRow,
	type StoredEvent
} from '../repositories/report.repository';
import { listStaff } from '../repositories/staff.repository';
import { raiseAlert, wakeAlertSender } from './alert.service';
import { audited } from './audited';
import { openSealedItem } from './device-key.service';
import type { DeviceActor } from './device.service';

// ---- Receiving a report from a class device ----

export type SubmitResult =
	| { status: 201 | 200; body: { id: string; receivedAt: string } }
	/** `parked` with the item's id: the server has kept its own copy, so the device may let its copy go. */
	| { status: 400 | 422; body: { error: string; parked: true; id: string | null } }
	| { status: 413 | 429; body: { error: string; parked: false } };

/**
 * A report as it arrives over HTTP: its size and nesting are checked before it is parsed. A
 * body too big to read is answered 413 and not kept; one that cannot be read as JSON (or nests
 * absurdly deep) is parked as text like any malformed report.
 */
export async function receiveReport(
	ctx: AppContext,
	device: DeviceActor,
	request: Request
): Promise<SubmitResult> {
	const read = await readJsonBody(request, { maxBytes: reportMaxBytes });
	if (read.ok) return submitReport(ctx, device, read.value);
	if (read.status === 413) return { status: 413, body: { error: read.error, parked: false } };
	return parkOrRefuse(ctx, device, {
		itemId: null,
		reason: read.reason === 'too-deep' ? 'malformed: nested too deeply' : 'malformed: body',
		body: (read.text ?? '').slice(0, reportMaxBytes),
		status: 400,
		error: read.error
	});
}

/**
 * Keeps a refused submission for the DSL, within the device's daily quota: past it (a device
 * sending junk) the answer is 429 and nothing is kept; the item waits on the device.
 */
async function parkOrRefuse(
	ctx: AppContext,
	device: DeviceActor,
	parked: { itemId: string | null; reason: string; body: string; status: 400 | 422; error: string }
): Promise<SubmitResult> {
	const now = ctx.clock.now();
	const since = new Date(now.getTime() - 86_400_000).toISOString();
	const kept = await ctx.db.transaction().execute(async (trx) => {
		// One device's refusals are counted one at a time, so racing requests cannot pass the cap.
		if (ctx.dialect === 'postgres') await lockDevice(trx, device.schoolId, device.deviceId);
		const used = await parkedSince(trx, device.schoolId, device.deviceId, since);
		if (used.count >= parkedQuota.count || used.bytes + parked.body.length > parkedQuota.bytes)
			return false;
		await parkSubmission(trx, {
			id: randomUUID(),
			schoolId: device.schoolId,
			deviceId: device.deviceId,
			itemId: parked.itemId,
			receivedAt: now.toISOString(),
			reason: parked.reason,
			body: parked.body
		});
		return true;
	});
	if (!kept)
		return {
			status: 429,
			body: {
				error: 'This iPad has sent too many reports that could not be read today. Try again later.',
				parked: false
			}
		};
	return { status: parked.status, body: { error: parked.error, parked: true, id: parked.itemId } };
}

/** The JSON of what was sent, for the DSL; something that cannot be written out is said so. */
function asText(raw: unknown): string {
	try {
		return JSON.stringify(raw ?? null).slice(0, reportMaxBytes);
	} catch {
		return '"[could not be written out]"';
	}
}

/**
 * Stores a pupil's report exactly once, whatever the retries: a replay gets the first answer;
 * the same id with a different body is refused (422). Anything refused is parked for staff
 * with its reason, never dropped (within the device's daily quota: 429 beyond it).
 */
export async function submitReport(
	ctx: AppContext,
	device: DeviceActor,
	sent: unknown
): Promise<SubmitResult> {
	// What is parked when refused: the worry as opened, so the DSL can read it.
	let raw = sent;
	const receivedAt = ctx.clock.now().toISOString();
	const park = (status: 400 | 422, reason: string, error: string): Promise<SubmitResult> =>
		parkOrRefuse(ctx, device, {
			itemId:
				raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
					? String((raw as { id: string }).id).slice(0, 64)
					: null,
			reason,
			body: asText(raw),
			status,
			error
		});

	// A sealed worry (see $lib/shared/sealed-outbox.ts) is opened first, then checked and
	// stored like any other; one that does not open is parked as it came.
	if (looksSealed(sent)) {
		const opened = await openSealedItem(ctx, device, sent);
		if (!opened.ok) return park(400, opened.reason, 'The report could not be opened.');
		const inner: unknown = opened.body;
		if ((inner as { id?: unknown } | null)?.id !== (sent as { id?: unknown }).id)
			return park(400, 'sealed: id differs', 'The report could not be opened.');
		raw = inner;
	}

	const parsed = reportSubmissionSchema.safeParse(raw);
	if (!parsed.success) {
		const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'body'))];
		return park(
			400,
			`malformed: ${fields.join(', ')}`,
			'The report was not in the expected shape.'
		);
	}
	const report = parsed.data;
	const hash = bodyHash(report);
	const earlier = await findReportHash(ctx.db, report.id);
	if (earlier) return replay(report.id, earlier, device, hash, park);

	// A worry that no longer matches the device's roster (the pupil moved class or left, the
	// device's classes changed while it was offline) is still a child's worry: it is stored,
	// for the pupil's class as it is now where the pupil is known, and the DSL sees it anyway.
	const pupil = report.pupilId
		? await getPupil(ctx.db, device.schoolId, report.pupilId)
		: undefined;
	const pupilId = pupil ? pupil.id : null;
	let classIds: string[];
	if (pupil) classIds = [pupil.classId];
	else {
		const sentFor = await getClass(ctx.db, device.schoolId, report.classId);
		classIds =
			sentFor && (report.pupilId || !device.classIds.includes(report.classId))
				? [report.classId]
				: device.classIds;
	}
	// Who sent it: a card replaced before the worry was written (or another pupil's card), a
	// pupil outside the iPad's classes, or a name with no card or picture password behind it.
	// The worry is kept and routed as usual, and staff are told the name may not be right.
	let identityDoubt: IdentityDoubt | null = null;
	if (pupil) {
		const card = report.cardId ? await findCard(ctx.db, device.schoolId, report.cardId) : undefined;
		const cardGood = report.cardId
			? !!card &&
				card.pupilId === pupil.id &&
				!(card.revokedAt !== null && new Date(card.revokedAt) <= new Date(report.createdAt))
			: null;
		const picturesBacked =
			report.pictures === true &&
			(await classUsesPictures(ctx.db, device.schoolId, pupil.classId)) &&
			(await pictureHashOf(ctx.db, device.schoolId, pupil.id)) !== undefined;
		identityDoubt = identityDoubtOf({
			pupilClassId: pupil.classId,
			deviceClassIds: device.classIds,
			cardGood,
			picturesBacked
		});
	}
	// A chosen adult who has left the short list does not stop the worry reaching the class.
	const adults = await pupilContacts(ctx, device.schoolId);
	const talkTo = report.talkTo && adults.some((a) => a.id === report.talkTo) ? report.talkTo : null;
	const routing = routeReport(report.topic);

	const stored = await ctx.db.transaction().execute(async (trx) => {
		const inserted = await insertReport(
			trx,
			device.schoolId,
			{
				id: report.id,
				deviceId: device.deviceId,
				pupilId,
				createdOnDevice: report.createdAt,
				topic: report.topic,
				feeling: report.feeling,
				words: report.words || null,
				drawing: report.drawing,
				voice: report.voice,
				talkTo,
				audience: routing.audience,
				urgent: routing.urgent,
				lang: report.lang,
				bodyHash: hash,
				identityDoubt,
				classIds
			},
			receivedAt
		);
		// "I'm not safe right now" e-mails the DSL, deputies and out-of-hours contacts: the alert
		// is written with the report, or not at all.
		if (inserted && routing.urgent)
			await raiseAlert(trx, ctx, device.schoolId, {
				kind: 'not-safe',
				subjectType: 'report',
				subjectId: report.id
			});
		return inserted;
	});
	if (stored && routing.urgent) wakeAlertSender();
	if (!stored) {
		// Another copy of this request got in first.
		const first = await findReportHash(ctx.db, report.id);
		if (first) return replay(report.id, first, device, hash, park);
	}
	await ctx.notifier.publish(device.schoolId).catch(() => undefined);
	return { status: 201, body: { id: report.id, receivedAt } };
}

function replay(
	id: string,
	earlier: { schoolId: string; deviceId: string; bodyHash: string; receivedAt: string },
	device: DeviceActor,
	hash: string,
	park: (status: 422, reason: string, error: string) => Promise<SubmitResult>
): Promise<SubmitResult> | SubmitResult {
	if (earlier.schoolId === device.schoolId && earlier.bodyHash === hash)
		return { status: 200, body: { id, receivedAt: earlier.receivedAt } };
	return park(422, 'id-reused', 'A different report already has this id.');
}

/** The adults a pupil can choose to talk to: the school's short list. */
export async function pupilContacts(
	ctx: AppContext,
	schoolId: string
): Promise<{ id: string; name: string; role: string }[]> {
	const rows = await ctx.db
		.selectFrom('staff')
		.select(['id', 'name', 'role'])
		.where('school_id', '=', schoolId)
		.where('pupil_contact', '=', 'yes')
		// A DSL account waiting for approval is not an adult pupils can choose.
		.where('pending_approval', 'is', null)
		.where('disabled_at', 'is', null)
		.orderBy('name')
		.execute();
	return rows;
}

// ---- What staff see ----

/** The reports this member of staff may see, as a query. Admin and trip staff see none. */
export function inboxScope(actor: StaffActor): InboxScope | null {
	if (seesEveryReport(actor)) return { schoolId: actor.schoolId, teacher: null };
	if (actor.role === 'teacher')
		return {
			schoolId: actor.schoolId,
			teacher: { staffId: actor.staffId, classIds: actor.classIds }
		};
	return null;
}

export interface InboxItem extends ReportRow {
	pupilName: string | null;
	classNames: string[];
	state: ReportState;
	seenByMe: boolean;
	/** Urgent and not closed: kept at the top of the inbox until it is closed. */
	pinned: boolean;
}

async function describe(
	ctx: AppContext,
	actor: StaffActor,
	rows: ReportRow[]
): Promise<InboxItem[]> {
	return (await describeWithEvents(ctx, actor, rows)).items;
}

async function describeWithEvents(
	ctx: AppContext,
	actor: StaffActor,
	rows: ReportRow[]
): Promise<{ items: InboxItem[]; events: Map<string, StoredEvent[]> }> {
	const [events, names, classes] = await Promise.all([
		eventsOf(
			ctx.db,
			actor.schoolId,
			rows.map((r) => r.id)
		),
		pupilNamesOf(
			ctx,
			actor.schoolId,
			rows.flatMap((r) => (r.pupilId ? [r.pupilId] : []))
		),
		listClasses(ctx.db, actor.schoolId)
	]);
	const className = new Map(classes.map((c) => [c.id, c.name]));
	const items = rows.map((r) => {
		const list = events.get(r.id) ?? [];
		const state = reportState(r, list);
		return {
			...r,
			pupilName: r.pupilId ? (names.get(r.pupilId) ?? null) : null,
			classNames: r.classIds.map((id) => className.get(id) ?? ''),
			state,
			seenByMe: list.some((e) => e.body.kind === 'seen' && e.actorId === actor.staffId),
			pinned: r.urgent && state.status !== 'closed'
		};
	});
	return { items, events };
}

async function pupilNamesOf(
	ctx: AppContext,
	schoolId: string,
	pupilIds: string[]
): Promise<Map<string, string>> {
	const names = new Map<string, string>();
	for (const ids of inChunks([...new Set(pupilIds)]))
		for (const [id, name] of await pupilNames(ctx.db, schoolId, ids)) names.set(id, name);
	return names;
}

/** Unseen counts look back this far: older reports are in the inbox, not in the badge. */
const unseenWindowDays = 90;

export async function inboxFor(
	ctx: AppContext,
	actor: StaffActor,
	options: { before?: { at: string; id: string } | undefined; limit?: number } = {}
): Promise<{ items: InboxItem[]; unseen: number; alerts: string[]; more: boolean }> {
	const scope = inboxScope(actor);
	if (!scope) return { items: [], unseen: 0, alerts: [], more: false };
	const limit = options.limit ?? 50;
	// Urgent reports not yet closed come first (first page only), then the rest newest first.
	const page = await listInbox(ctx.db, scope, { before: options.before, limit: limit + 1 });
	const [items, unseen, alerts] = await Promise.all([
		describe(ctx, actor, [...page.pinned, ...page.rest.slice(0, limit)]),
		unseenCount(ctx, actor),
		seesEveryReport(actor) ? openAlerts(ctx.db, actor.schoolId) : Promise.resolve([])
	]);
	return { items, unseen, alerts, more: page.rest.length > limit };
}

/** How many reports the DSL was alerted about and nobody has opened yet (0 for anyone else). */
export async function overdueReports(ctx: AppContext, actor: StaffActor): Promise<number> {
	return (await overdueList(ctx, actor)).length;
}

/**
 * The reports the DSL was alerted about and nobody has opened yet, oldest first, for the
 * banner's links: ids and times only (a banner on every page carries no report content).
 */
export async function overdueList(
	ctx: AppContext,
	actor: StaffActor
): Promise<{ id: string; receivedAt: string }[]> {
	if (!seesEveryReport(actor)) return [];
	return overdueReportsOf(ctx.db, actor.schoolId);
}

/** For the staff home page: urgent reports not yet closed, and reports this person has not opened. */
export async function reportCounts(
	ctx: AppContext,
	actor: StaffActor
): Promise<{ urgentOpen: number; unopened: number }> {
	const scope = inboxScope(actor);
	if (!scope) return { urgentOpen: 0, unopened: 0 };
	const [urgentOpen, unopened] = await Promise.all([
		countUrgentOpen(ctx.db, scope),
		unseenCount(ctx, actor)
	]);
	return { urgentOpen, unopened };
}

export async function unseenCount(ctx: AppContext, actor: StaffActor): Promise<number> {
	const scope = inboxScope(actor);
	if (!scope) return 0;
	const since = new Date(ctx.clock.now().getTime() - unseenWindowDays * 86_400_000).toISOString();
	return countUnseenBy(ctx.db, scope, actor.staffId, since);
}

export interface ReportDetail extends InboxItem {
	drawing: string | null;
	voice: { mime: string; data: string; seconds: number | null } | null;
	timeline: (StoredEvent & { actorName: string | null })[];
	talkToName: string | null;
}

/**
 * Opens a report: records "seen" the first time this person opens it, and an audit entry
 * every time. A report outside the viewer's scope is not found (and the attempt is audited).
 */
export async function openReport(
	ctx: AppContext,
	actor: StaffActor,
	id: string
): Promise<ReportDetail | null> {
	const scope = inboxScope(actor);
	const row = scope ? await getReport(ctx.db, scope, id) : undefined;
	const now = ctx.clock.now().toISOString();
	let firstLook = false;
	await audited(
		ctx,
		actor,
		{ action: row ? 'report.view' : 'report.view-refused', subjectType: 'report', subjectId: id },
		async (trx) => {
			if (!row || (await hasSeen(trx, id, actor.staffId))) return;
			firstLook = true;
			await insertEvent(trx, actor.schoolId, {
				id: randomUUID(),
				reportId: id,
				at: now,
				actorId: actor.staffId,
				actorRole: actor.role,
				body: { kind: 'seen' }
			});
		}
	);
	if (!row) return null;
	if (firstLook) await ctx.notifier.publish(actor.schoolId).catch(() => undefined);
	const [item] = await describe(ctx, actor, [row]);
	const [attachments, events, staff] = await Promise.all([
		attachmentsOf(ctx.db, id),
		eventsOf(ctx.db, actor.schoolId, [id]),
		listStaff(ctx.db, actor.schoolId)
	]);
	const staffName = new Map(staff.map((s) => [s.id, s.name]));
	const drawing = attachments.find((a) => a.kind === 'drawing');
	const voice = attachments.find((a) => a.kind === 'voice');
	return {
		...item!,
		drawing: drawing?.data ?? null,
		voice: voice ? { mime: voice.mime, data: voice.data, seconds: voice.seconds } : null,
		timeline: (events.get(id) ?? []).map((e) => ({
			...e,
			actorName: e.actorId ? (staffName.get(e.actorId) ?? null) : null
		})),
		talkToName: row.talkTo ? (staffName.get(row.talkTo) ?? null) : null
	};
}

export type EventOutcome = { ok: true } | { ok: false; error: string };

/** Adds what a member of staff did. Nothing is edited; corrections are new events. */
export async function addReportEvent(
	ctx: AppContext,
	actor: StaffActor,
	id: string,
	input: unknown
): Promise<EventOutcome> {
	const parsed = staffEventSchema.safeParse(input);
	// Nothing is chosen for staff on a record that can never be changed: a choice left empty
	// is refused with its own plain message, and nothing is written.
	if (!parsed.success) return { ok: false, error: `reports.error.${eventProblem(input)}` };
	const scope = inboxScope(actor);
	const row = scope ? await getReport(ctx.db, scope, id) : undefined;
	if (!row) return { ok: false, error: 'reports.error.notFound' };
	const event: StaffEvent = parsed.data;
	const result = await audited(
		ctx,
		actor,
		{
			action: `report.${event.kind}`,
			subjectType: 'report',
			subjectId: id,
			detail: event.kind === 'incident-category' ? { category: event.category } : {}
		},
		async (trx) => {
			// Two people acting at once must not both pass the close rules: on PostgreSQL the
			// report row is locked until this event is written (SQLite writes one at a time).
			if (ctx.dialect === 'postgres') await lockReport(trx, actor.schoolId, id);
			const events = (await eventsOf(trx, actor.schoolId, [id])).get(id) ?? [];
			const refusal = refuseEvent(actor.role, reportState(row, events), event.kind);
			if (refusal) throw new Refused(`reports.error.${refusal}`);
			await insertEvent(trx, actor.schoolId, {
				id: randomUUID(),
				reportId: id,
				at: ctx.clock.now().toISOString(),
				actorId: actor.staffId,
				actorRole: actor.role,
				body: event
			});
			return { ok: true } as const;
		}
	).catch((error: unknown) => {
		if (error instanceof Refused) return { ok: false, error: error.message } as const;
		throw error;
	});
	if (result.ok) await ctx.notifier.publish(actor.schoolId).catch(() => undefined);
	return result;
}

class Refused extends Error {}

// ---- The DSL's record ----

export async function reportsBetween(
	ctx: AppContext,
	actor: StaffActor,
	from: string,
	to: string
): Promise<InboxItem[]> {
	const scope = inboxScope(actor);
	if (!scope) return [];
	const rows = await listReports(ctx.db, scope, { from, to, limit: 100_000 });
	return describe(ctx, actor, rows);
}

/**
 * The incident log for the school's days in `range`, as a CSV a DSL can hand to an inspector:
 * each report with everything recorded on it, who did it (name and role) and when, in the
 * school's time. The download is audited.
 */
export async function incidentLog(
	ctx: AppContext,
	actor: StaffActor,
	range: DayRange,
	t: Translate
): Promise<{ csv: string; filename: string; rows: number }> {
	const scope = inboxScope(actor);
	const rows = scope
		? await listReports(ctx.db, scope, { from: range.from, to: range.to, limit: 100_000 })
		: [];
	const [{ items, events }, staff] = await Promise.all([
		describeWithEvents(ctx, actor, rows),
		listStaff(ctx.db, actor.schoolId)
	]);
	const staffName = new Map(staff.map((s) => [s.id, s.name]));
	const reports: LogReport[] = [...items].reverse().map((item) => ({
		...item,
		talkToName: item.talkTo ? (staffName.get(item.talkTo) ?? null) : null,
		timeline: (events.get(item.id) ?? []).map((e) => ({
			at: e.at,
			actorName: e.actorId ? (staffName.get(e.actorId) ?? null) : null,
			actorRole: e.actorRole,
			body: e.body
		}))
	}));
	const csv = incidentLogCsv(reports, t, ctx.config.schoolHours.timeZone);
	await auditExport(ctx, actor, { from: range.fromDay, to: range.toDay, rows: reports.length });
	return {
		csv,
		filename: `incident-log-${range.fromDay}-to-${range.toDay}.csv`,
		rows: reports.length
	};
}

/** Records that the incident log was downloaded, and by whom, for which dates. */
async function auditExport(
	ctx: AppContext,
	actor: StaffActor,
	detail: { from: string; to: string; rows: number }
): Promise<void> {
	await audited(
		ctx,
		actor,
		{ action: 'report.export', subjectType: 'report', subjectId: null, detail },
		() => Promise.resolve()
	);
}

export interface SummaryCell {
	month: string;
	category: string;
	count: number;
}

/**
 * Counts for governors: reports by month received and by the category staff gave them.
 * Counts only; no names, no words. Admins may see this, though they see no report.
 */
export async function governorsSummary(
	ctx: AppContext,
	actor: StaffActor,
	from: string,
	to: string
): Promise<SummaryCell[]> {
	const rows = await listReports(
		ctx.db,
		{ schoolId: actor.schoolId, teacher: null },
		{ from, to, limit: 1_000_000 }
	);
	const events = await eventsOf(
		ctx.db,
		actor.schoolId,
		rows.map((r) => r.id)
	);
	// Months as the school counts them (a report at 00:30 on 1 June, British Summer Time, is June's).
	const monthOf = new Intl.DateTimeFormat('en-CA', {
		timeZone: ctx.config.schoolHours.timeZone,
		year: 'numeric',
		month: '2-digit'
	});
	const counts = new Map<string, number>();
	for (const r of rows) {
		const category = reportState(r, events.get(r.id) ?? []).category ?? 'uncategorised';
		const key = `${monthOf.format(new Date(r.receivedAt)).slice(0, 7)}|${category}`;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	await audited(
		ctx,
		actor,
		{ action: 'report.summary', subjectType: 'report', subjectId: null, detail: { from, to } },
		() => Promise.resolve()
	);
	return [...counts]
		.map(([key, count]) => {
			const [month = '', category = ''] = key.split('|');
			return { month, category, count };
		})
		.sort((a, b) => a.month.localeCompare(b.month) || a.category.localeCompare(b.category));
}

// ---- Nobody has looked ----

/**
 * Alerts the DSL to each report nobody has opened within the set school minutes. Safe to run
 * in every app process at once: each alert is claimed by exactly one.
 */
export async function alertUnseen(ctx: AppContext): Promise<number> {
	const now = ctx.clock.now();
	const since = new Date(now.getTime() - 14 * 86_400_000).toISOString();
	const threshold = ctx.config.unseenAlertMinutes;
	let alerted = 0;
	for (const report of await unseenUnalerted(ctx.db, since)) {
		// "I'm not safe right now" cannot wait for Monday: its minutes are counted on the clock.
		const minutes = report.urgent
			? Math.floor((now.getTime() - new Date(report.receivedAt).getTime()) / 60_000)
			: schoolMinutesBetween(new Date(report.receivedAt), now, ctx.config.schoolHours, threshold);
		if (minutes < threshold) continue;
		const claimed = await ctx.db.transaction().execute(async (trx) => {
			if (
				!(await claimAlert(trx, {
					reportId: report.id,
					schoolId: report.schoolId,
					at: now.toISOString(),
					minutes: threshold
				}))
			)
				return false;
			await insertEvent(trx, report.schoolId, {
				id: randomUUID(),
				reportId: report.id,
				at: now.toISOString(),
				actorId: null,
				actorRole: null,
				body: { kind: 'dsl-alerted', minutes: threshold }
			});
			await appendAudit(trx, {
				schoolId: report.schoolId,
				at: now,
				actorId: null,
				action: 'report.dsl-alerted',
				subjectType: 'report',
				subjectId: report.id,
				detail: { minutes: threshold }
			});
			await raiseAlert(trx, ctx, report.schoolId, {
				kind: 'unopened',
				subjectType: 'report',
				subjectId: report.id
			});
			return true;
		});
		if (claimed) {
			alerted++;
			wakeAlertSender();
			await ctx.notifier.publish(report.schoolId).catch(() => undefined);
		}
	}
	return alerted;
}

/**
 * What the server could not accept, as it arrived, for the DSL (a malformed report may still
 * hold a child's words). Drawings and voice notes are summarised, not shown; each look is audited.
 */
export async function parkedForDsl(ctx: AppContext, actor: StaffActor) {
	if (!seesEveryReport(actor)) return [];
	const rows = await parkedWithBodies(ctx.db, actor.schoolId);
	const devices = await ctx.db
		.selectFrom('device')
		.select(['id', 'name'])
		.where('school_id', '=', actor.schoolId)
		.execute();
	await audited(
		ctx,
		actor,
		{ action: 'report.parked-view', subjectType: 'parked_submission', subjectId: null },
		() => Promise.resolve()
	);
	return rows.map((r) => ({
		id: r.id,
		receivedAt: r.receivedAt,
		reason: r.reason,
		deviceName: devices.find((d) => d.id === r.deviceId)?.name ?? '',
		content: readableBody(r.body)
	}));
}

/** The arrived body as indented JSON, with long data (drawings, audio) replaced by its size. */
function readableBody(body: string): string {
	try {
		const value: unknown = JSON.parse(body);
		return JSON.stringify(
			value,
			(_key, v: unknown) =>
				typeof v === 'string' && v.length > 500 ? `[${Math.round(v.length / 1024)} KB of data]` : v,
			2
		).slice(0, 20_000);
	} catch {
		return body.slice(0, 20_000);
	}
}
