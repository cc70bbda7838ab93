import { sql, type ExpressionBuilder } from 'kysely';
import type {
	Audience,
	Feeling,
	IdentityDoubt,
	ReportEvent,
	ReportEventBody,
	WorryTopic
} from '$lib/domain/report';
import type { StaffRole } from '$lib/domain/roles';
import type { Db } from '../context';
import type { Database } from '../db/schema';

export interface NewReport {
	id: string;
	deviceId: string;
	pupilId: string | null;
	createdOnDevice: string;
	topic: WorryTopic;
	feeling: Feeling | null;
	words: string | null;
	drawing: string | null;
	voice: { mime: string; data: string; seconds: number } | null;
	talkTo: string | null;
	audience: Audience;
	urgent: boolean;
	lang: string;
	bodyHash: string;
	identityDoubt: IdentityDoubt | null;
	classIds: readonly string[];
}

/**
 * Stores a report once. Returns false when a report with this id is already there (a retry,
 * or two copies of one request racing): the caller then compares bodies.
 */
export async function insertReport(
	db: Db,
	schoolId: string,
	report: NewReport,
	receivedAt: string
): Promise<boolean> {
	const inserted = await db
		.insertInto('report')
		.values({
			id: report.id,
			school_id: schoolId,
			device_id: report.deviceId,
			pupil_id: report.pupilId,
			created_on_device: report.createdOnDevice,
			received_at: receivedAt,
			topic: report.topic,
			feeling: report.feeling,
			words: report.words,
			has_drawing: report.drawing ? 1 : 0,
			has_voice: report.voice ? 1 : 0,
			talk_to: report.talkTo,
			audience: report.audience,
			urgent: report.urgent ? 1 : 0,
			lang: report.lang,
			body_hash: report.bodyHash,
			identity_doubt: report.identityDoubt
		})
		.onConflict((oc) => oc.column('id').doNothing())
		.executeTakeFirst();
	if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
	await db
		.insertInto('report_class')
		.values(
			report.classIds.map((classId) => ({
				report_id: report.id,
				class_id: classId,
				school_id: schoolId,
				received_at: receivedAt
			}))
		)
		.execute();
	const attachments = [
		...(report.drawing
			? [
					{
						report_id: report.id,
						kind: 'drawing' as const,
						mime: 'image/png',
						data: report.drawing,
						seconds: null
					}
				]
			: []),
		...(report.voice
			? [
					{
						report_id: report.id,
						kind: 'voice' as const,
						mime: report.voice.mime,
						data: report.voice.data,
						seconds: report.voice.seconds
					}
				]
			: [])
	];
	if (attachments.length > 0)
		await db.insertInto('report_attachment').values(attachments).execute();
	return true;
}

/** Whatever school it belongs to: used only to tell a replay from a clash of ids. */
export async function findReportHash(
	db: Db,
	id: string
): Promise<
	{ schoolId: string; deviceId: string; bodyHash: string; receivedAt: string } | undefined
> {
	const row = await db
		.selectFrom('report')
		.select(['school_id', 'device_id', 'body_hash', 'received_at'])
		.where('id', '=', id)
		.executeTakeFirst();
	return (
		row && {
			schoolId: row.school_id,
			deviceId: row.device_id,
			bodyHash: row.body_hash,
			receivedAt: row.received_at
		}
	);
}

export interface ReportRow {
	id: string;
	deviceId: string;
	pupilId: string | null;
	createdOnDevice: string;
	receivedAt: string;
	topic: WorryTopic;
	feeling: Feeling | null;
	words: string | null;
	hasDrawing: boolean;
	hasVoice: boolean;
	talkTo: string | null;
	audience: Audience;
	urgent: boolean;
	lang: string;
	identityDoubt: IdentityDoubt | null;
	classIds: string[];
}

/** Who may see which reports, as a query: see `canSeeReport` in $lib/domain/report.ts. */
export interface InboxScope {
	schoolId: string;
	/** null: every report of the school (the DSL). */
	teacher: { staffId: string; classIds: readonly string[] } | null;
}

export interface InboxQuery {
	/** The next page: reports after this one in newest-first order (time, then id). */
	before?: { at: string; id: string } | undefined;
	from?: string | undefined;
	to?: string | undefined;
	limit: number;
}

/**
 * The inbox query's time limits and page cursor as one condition on a received-at column and
 * its id column: within from/to, and past `before` in newest-first order (time, then id).
 */
function inWindow(
	eb: ExpressionBuilder<Database, 'report' | 'report_class'>,
	at: 'report.received_at' | 'report_class.received_at',
	id: 'report.id' | 'report_class.report_id',
	query: InboxQuery
) {
	const parts = [];
	if (query.from) parts.push(eb(at, '>=', query.from));
	if (query.to) parts.push(eb(at, '<', query.to));
	if (query.before) {
		parts.push(eb(at, '<=', query.before.at));
		parts.push(eb.or([eb(at, '<', query.before.at), eb(id, '<', query.before.id)]));
	}
	return eb.and(parts);
}

const reportColumns = [
	'report.id',
	'report.device_id',
	'report.pupil_id',
	'report.created_on_device',
	'report.received_at',
	'report.topic',
	'report.feeling',
	'report.words',
	'report.has_drawing',
	'report.has_voice',
	'report.talk_to',
	'report.audience',
	'report.urgent',
	'report.lang',
	'report.identity_doubt'
] as const;

/**
 * A report a pupil sent to a chosen adult reaches that adult only while a DSL's approval of
 * them on the pupils' list stands (it waits again after someone else resets their account).
 */
function chosenAdultApproved(
	eb: ExpressionBuilder<Database, 'report'>,
	schoolId: string,
	staffId: string
) {
	return eb.exists(
		eb
			.selectFrom('staff')
			.select(sql.lit(1).as('one'))
			.where('staff.school_id', '=', schoolId)
			.where('staff.id', '=', staffId)
			.where('staff.pupil_contact', '=', 'yes')
			.where('staff.pending_approval', 'is', null)
	);
}

function scoped(db: Db, scope: InboxScope) {
	let query = db.selectFrom('report').where('report.school_id', '=', scope.schoolId);
	const teacher = scope.teacher;
	if (teacher) {
		query = query.where('report.audience', '=', 'class').where((eb) =>
			eb.or([
				eb.and([
					eb('report.talk_to', '=', teacher.staffId),
					chosenAdultApproved(eb as never, scope.schoolId, teacher.staffId)
				]),
				// Asked of each report ("is it one of theirs?", by its primary key), never as
				// "list every report of their classes", which grows with the school's history.
				...(teacher.classIds.length > 0
					? [
							eb.exists(
								eb
									.selectFrom('report_class')
									.select(sql.lit(1).as('one'))
									.whereRef('report_class.report_id', '=', 'report.id')
									.where('report_class.class_id', 'in', teacher.classIds)
							)
						]
					: [])
			])
		);
	}
	return query;
}

type Selected = Omit<Database['report'], 'school_id' | 'body_hash'>;

async function withClasses(db: Db, schoolId: string, rows: Selected[]): Promise<ReportRow[]> {
	const classes = await classIdsOf(
		db,
		schoolId,
		rows.map((r) => r.id)
	);
	return rows.map((r) => ({
		id: r.id,
		deviceId: r.device_id,
		pupilId: r.pupil_id,
		createdOnDevice: r.created_on_device,
		receivedAt: r.received_at,
		topic: r.topic,
		feeling: r.feeling,
		words: r.words,
		hasDrawing: Number(r.has_drawing) === 1,
		hasVoice: Number(r.has_voice) === 1,
		talkTo: r.talk_to,
		audience: r.audience,
		urgent: Number(r.urgent) === 1,
		lang: r.lang,
		identityDoubt: r.identity_doubt,
		classIds: classes.get(r.id) ?? []
	}));
}

/** The report is closed now: it has a 'closed' event with no 'reopened' after it. */
function isClosed(eb: ExpressionBuilder<Database, 'report'>) {
	return eb.exists(
		eb
			.selectFrom('report_event as closing')
			.select(sql.lit(1).as('one'))
			.whereRef('closing.report_id', '=', 'report.id')
			.where('closing.kind', '=', 'closed')
			.where((inner) =>
				inner.not(
					inner.exists(
						inner
							.selectFrom('report_event as reopening')
							.select(sql.lit(1).as('one'))
							.whereRef('reopening.report_id', '=', 'report.id')
							.where('reopening.kind', '=', 'reopened')
							.whereRef('reopening.seq', '>', 'closing.seq')
					)
				)
			)
	);
}

/** Urgent and not closed: pinned to the top of the inbox until it is closed. */
function isPinned(eb: ExpressionBuilder<Database, 'report'>) {
	return eb.and([eb('report.urgent', '=', 1), eb.not(isClosed(eb))]);
}

/** Everything else, in its place by time (a closed urgent report among them). */
function notPinned(eb: ExpressionBuilder<Database, 'report'>) {
	return eb.or([eb('report.urgent', '=', 0), isClosed(eb)]);
}

/** At most this many reports are pinned; more than a handful at once would be unusual. */
const pinnedLimit = 100;

export interface InboxPage {
	/** Urgent reports not yet closed, newest first: only on the first page. */
	pinned: ReportRow[];
	/** The rest, newest first, up to the query's limit. */
	rest: ReportRow[];
}

/**
 * One page of the inbox: on the first page the urgent reports not yet closed, then the rest
 * newest first; later pages (`before`) go on through the rest only, so a pinned report is
 * never shown twice. For the DSL it is one query (two index walks joined by UNION ALL).
 */
export async function listInbox(db: Db, scope: InboxScope, query: InboxQuery): Promise<InboxPage> {
	const firstPage = !query.before;
	if (scope.teacher) {
		const [pinned, rest] = await Promise.all([
			firstPage ? pinnedReports(db, scope) : Promise.resolve([]),
			listTeacherReports(db, scope.schoolId, scope.teacher, query, true)
		]);
		return { pinned, rest };
	}
	const rest = scoped(db, scope)
		.select(reportColumns)
		.select(sql<number>`0`.as('pinned'))
		.where(notPinned)
		.where((eb) => inWindow(eb as never, 'report.received_at', 'report.id', query))
		.orderBy('report.received_at', 'desc')
		.orderBy('report.id', 'desc')
		.limit(query.limit);
	if (!firstPage) {
		const rows = await rest.execute();
		return { pinned: [], rest: await withClasses(db, scope.schoolId, rows) };
	}
	const pinned = scoped(db, scope)
		.select(reportColumns)
		.select(sql<number>`1`.as('pinned'))
		.where(isPinned)
		.orderBy('report.received_at', 'desc')
		.orderBy('report.id', 'desc')
		.limit(pinnedLimit);
	const rows = await db
		.selectFrom(pinned.as('p'))
		.selectAll()
		.unionAll(db.selectFrom(rest.as('r')).selectAll())
		.orderBy('pinned', 'desc')
		.orderBy('received_at', 'desc')
		.orderBy('id', 'desc')
		.execute();
	const all = await withClasses(db, scope.schoolId, rows);
	const isPinnedRow = new Set(rows.filter((r) => Number(r.pinned) === 1).map((r) => r.id));
	return {
		pinned: all.filter((r) => isPinnedRow.has(r.id)),
		rest: all.filter((r) => !isPinnedRow.has(r.id))
	};
}

/** Urgent reports not yet closed in this scope, newest first (by the urgent-report index). */
async function pinnedReports(db: Db, scope: InboxScope): Promise<ReportRow[]> {
	const rows = await scoped(db, scope)
		.select(reportColumns)
		.where(isPinned)
		.orderBy('report.received_at', 'desc')
		.orderBy('report.id', 'desc')
		.limit(pinnedLimit)
		.execute();
	return withClasses(db, scope.schoolId, rows);
}

/** How many urgent reports in this scope are not yet closed. */
export async function countUrgentOpen(db: Db, scope: InboxScope): Promise<number> {
	const row = await scoped(db, scope)
		.where(isPinned)
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function listReports(
	db: Db,
	scope: InboxScope,
	query: InboxQuery
): Promise<ReportRow[]> {
	if (scope.teacher) return listTeacherReports(db, scope.schoolId, scope.teacher, query);
	const rows = await scoped(db, scope)
		.select(reportColumns)
		.where((eb) => inWindow(eb as never, 'report.received_at', 'report.id', query))
		.orderBy('report.received_at', 'desc')
		.orderBy('report.id', 'desc')
		.limit(query.limit)
		.execute();
	return withClasses(db, scope.schoolId, rows);
}

/**
 * A teacher's reports, read from their classes' side (report_class, by class and time) and
 * from the reports pupils asked to bring to them, merged. Asking "which of all the school's
 * reports is theirs?" instead walks the whole school's history once it is large.
 */
async function listTeacherReports(
	db: Db,
	schoolId: string,
	teacher: { staffId: string; classIds: readonly string[] },
	query: InboxQuery,
	withoutPinned = false
): Promise<ReportRow[]> {
	const viaClasses =
		teacher.classIds.length === 0
			? []
			: await (() => {
					const q = db
						.selectFrom('report_class')
						.innerJoin('report', 'report.id', 'report_class.report_id')
						.select(reportColumns)
						.where('report_class.school_id', '=', schoolId)
						.where('report_class.class_id', 'in', teacher.classIds)
						.where('report.audience', '=', 'class')
						.where((eb) => (withoutPinned ? notPinned(eb as never) : eb.and([])))
						.where((eb) =>
							inWindow(eb as never, 'report_class.received_at', 'report_class.report_id', query)
						);
					// A report shared by two of this teacher's classes comes once for each.
					return q
						.orderBy('report_class.received_at', 'desc')
						.orderBy('report_class.report_id', 'desc')
						.limit(query.limit * teacher.classIds.length)
						.execute();
				})();
	const viaChoice = await db
		.selectFrom('report')
		.select(reportColumns)
		.where('report.school_id', '=', schoolId)
		.where('report.talk_to', '=', teacher.staffId)
		.where((eb) => chosenAdultApproved(eb as never, schoolId, teacher.staffId))
		.where('report.audience', '=', 'class')
		.where((eb) => (withoutPinned ? notPinned(eb) : eb.and([])))
		.where((eb) => inWindow(eb as never, 'report.received_at', 'report.id', query))
		.orderBy('report.received_at', 'desc')
		.orderBy('report.id', 'desc')
		.limit(query.limit)
		.execute();
	const byId = new Map([...viaClasses, ...viaChoice].map((r) => [r.id, r]));
	const rows = [...byId.values()]
		.sort((a, b) => b.received_at.localeCompare(a.received_at) || b.id.localeCompare(a.id))
		.slice(0, query.limit);
	return withClasses(db, schoolId, rows);
}

/** One report, if it is in the scope; undefined otherwise (as if it did not exist). */
export async function getReport(
	db: Db,
	scope: InboxScope,
	id: string
): Promise<ReportRow | undefined> {
	const rows = await scoped(db, scope).select(reportColumns).where('report.id', '=', id).execute();
	return (await withClasses(db, scope.schoolId, rows))[0];
}

async function classIdsOf(
	db: Db,
	schoolId: string,
	reportIds: readonly string[]
): Promise<Map<string, string[]>> {
	const out = new Map<string, string[]>();
	const rows = [];
	for (const ids of inChunks(reportIds))
		rows.push(
			...(await db
				.selectFrom('report_class')
				.select(['report_id', 'class_id'])
				.where('school_id', '=', schoolId)
				.where('report_id', 'in', ids)
				.execute())
		);
	for (const r of rows) out.set(r.report_id, [...(out.get(r.report_id) ?? []), r.class_id]);
	return out;
}

/**
 * "Nobody (or this person) has opened it": no `seen` event for the report in `column`.
 * Used by the unseen counts, the alerts and the inbox badge.
 */
function notSeen<T extends 'report' | 'report_alert'>(
	eb: ExpressionBuilder<Database, T>,
	column: 'report.id' | 'report_alert.report_id',
	staffId?: string
) {
	let seen = (eb as unknown as ExpressionBuilder<Database, 'report'>)
		.selectFrom('report_event')
		.select(sql.lit(1).as('one'))
		.whereRef('report_event.report_id', '=', column as 'report.id')
		.where('report_event.kind', '=', 'seen');
	if (staffId) seen = seen.where('report_event.actor_id', '=', staffId);
	return eb.not(eb.exists(seen));
}

/** Reports in scope that this member of staff has not opened, received since `since`. */
export async function countUnseenBy(
	db: Db,
	scope: InboxScope,
	staffId: string,
	since: string
): Promise<number> {
	const notSeenByMe = (eb: ExpressionBuilder<Database, 'report'>) =>
		notSeen(eb, 'report.id', staffId);
	const teacher = scope.teacher;
	if (!teacher) {
		const row = await scoped(db, scope)
			.where('report.received_at', '>=', since)
			.where(notSeenByMe)
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return Number(row.n);
	}
	// A teacher: the unseen ones from each side, counted once (usually a handful).
	const viaClasses =
		teacher.classIds.length === 0
			? []
			: await db
					.selectFrom('report_class')
					.innerJoin('report', 'report.id', 'report_class.report_id')
					.select('report.id')
					.where('report_class.school_id', '=', scope.schoolId)
					.where('report_class.class_id', 'in', teacher.classIds)
					.where('report_class.received_at', '>=', since)
					.where('report.audience', '=', 'class')
					.where((eb) => notSeenByMe(eb as unknown as ExpressionBuilder<Database, 'report'>))
					.execute();
	const viaChoice = await db
		.selectFrom('report')
		.select('report.id')
		.where('report.school_id', '=', scope.schoolId)
		.where('report.talk_to', '=', staffId)
		.where((eb) => chosenAdultApproved(eb as never, scope.schoolId, staffId))
		.where('report.audience', '=', 'class')
		.where('report.received_at', '>=', since)
		.where(notSeenByMe)
		.execute();
	return new Set([...viaClasses, ...viaChoice].map((r) => r.id)).size;
}

export async function attachmentsOf(
	db: Db,
	reportId: string
): Promise<{ kind: 'drawing' | 'voice'; mime: string; data: string; seconds: number | null }[]> {
	return db
		.selectFrom('report_attachment')
		.select(['kind', 'mime', 'data', 'seconds'])
		.where('report_id', '=', reportId)
		.execute();
}

export interface StoredEvent extends ReportEvent {
	id: string;
	reportId: string;
}

export async function eventsOf(
	db: Db,
	schoolId: string,
	reportIds: readonly string[]
): Promise<Map<string, StoredEvent[]>> {
	const out = new Map<string, StoredEvent[]>();
	const rows = [];
	for (const ids of inChunks(reportIds))
		rows.push(
			...(await db
				.selectFrom('report_event')
				.select(['id', 'report_id', 'at', 'actor_id', 'actor_role', 'body'])
				.where('school_id', '=', schoolId)
				.where('report_id', 'in', ids)
				.orderBy('seq')
				.execute())
		);
	for (const r of rows) {
		const event: StoredEvent = {
			id: r.id,
			reportId: r.report_id,
			at: r.at,
			actorId: r.actor_id,
			actorRole: r.actor_role,
			body: JSON.parse(r.body) as ReportEventBody
		};
		out.set(r.report_id, [...(out.get(r.report_id) ?? []), event]);
	}
	return out;
}

export async function insertEvent(
	db: Db,
	schoolId: string,
	event: {
		id: string;
		reportId: string;
		at: string;
		actorId: string | null;
		actorRole: StaffRole | null;
		body: ReportEventBody;
	}
): Promise<void> {
	await db
		.insertInto('report_event')
		.values({
			id: event.id,
			report_id: event.reportId,
			school_id: schoolId,
			at: event.at,
			actor_id: event.actorId,
			actor_role: event.actorRole,
			kind: event.body.kind,
			body: JSON.stringify(event.body)
		})
		.execute();
}

/** PostgreSQL only: holds the report's row until the transaction ends. */
export async function lockReport(db: Db, schoolId: string, id: string): Promise<void> {
	await db
		.selectFrom('report')
		.select('id')
		.where('school_id', '=', schoolId)
		.where('id', '=', id)
		.forUpdate()
		.execute();
}

/** Splits a long list of ids so no query passes more parameters than a database takes. */
export function inChunks<T>(items: readonly T[], size = 500): T[][] {
	const chunks: T[][] = [];
	for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
	return chunks;
}

export async function hasSeen(db: Db, reportId: string, staffId: string): Promise<boolean> {
	const row = await db
		.selectFrom('report_event')
		.select('id')
		.where('report_id', '=', reportId)
		.where('kind', '=', 'seen')
		.where('actor_id', '=', staffId)
		.executeTakeFirst();
	return row !== undefined;
}

/** Reports nobody has opened, not yet alerted, received since `since`: every school. */
export async function unseenUnalerted(
	db: Db,
	since: string
): Promise<{ id: string; schoolId: string; receivedAt: string; urgent: boolean }[]> {
	const rows = await db
		.selectFrom('report')
		.select(['report.id', 'report.school_id', 'report.received_at', 'report.urgent'])
		.where('report.received_at', '>=', since)
		.where((eb) => notSeen(eb, 'report.id'))
		.where((eb) =>
			eb.not(
				eb.exists(
					eb
						.selectFrom('report_alert')
						.select(sql.lit(1).as('one'))
						.whereRef('report_alert.report_id', '=', 'report.id')
				)
			)
		)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		schoolId: r.school_id,
		receivedAt: r.received_at,
		urgent: Number(r.urgent) === 1
	}));
}

/** True for the one process that records the alert; false when another got there first. */
export async function claimAlert(
	db: Db,
	alert: { reportId: string; schoolId: string; at: string; minutes: number }
): Promise<boolean> {
	const inserted = await db
		.insertInto('report_alert')
		.values({
			report_id: alert.reportId,
			school_id: alert.schoolId,
			alerted_at: alert.at,
			minutes: alert.minutes
		})
		.onConflict((oc) => oc.column('report_id').doNothing())
		.executeTakeFirst();
	return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Reports of the school the DSL was alerted about and nobody has opened since. */
export async function openAlerts(db: Db, schoolId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('report_alert')
		.select('report_alert.report_id')
		.where('report_alert.school_id', '=', schoolId)
		.where((eb) => notSeen(eb, 'report_alert.report_id'))
		.execute();
	return rows.map((r) => r.report_id);
}

/** The same reports with when each was received, oldest first: for links to each one. */
export async function overdueReportsOf(
	db: Db,
	schoolId: string
): Promise<{ id: string; receivedAt: string }[]> {
	const rows = await db
		.selectFrom('report_alert')
		.innerJoin('report', 'report.id', 'report_alert.report_id')
		.select(['report.id', 'report.received_at'])
		.where('report_alert.school_id', '=', schoolId)
		.where('report.school_id', '=', schoolId)
		.where((eb) => notSeen(eb, 'report_alert.report_id'))
		.orderBy('report.received_at')
		.orderBy('report.id')
		.execute();
	return rows.map((r) => ({ id: r.id, receivedAt: r.received_at }));
}

export async function parkSubmission(
	db: Db,
	parked: {
		id: string;
		schoolId: string;
		deviceId: string;
		itemId: string | null;
		receivedAt: string;
		reason: string;
		body: string;
	}
): Promise<void> {
	await db
		.insertInto('parked_submission')
		.values({
			id: parked.id,
			school_id: parked.schoolId,
			device_id: parked.deviceId,
			item_id: parked.itemId,
			received_at: parked.receivedAt,
			reason: parked.reason,
			body: parked.body
		})
		.execute();
}

/** How many submissions one device has had parked since then, and their size in characters. */
export async function parkedSince(
	db: Db,
	schoolId: string,
	deviceId: string,
	since: string
): Promise<{ count: number; bytes: number }> {
	const row = await db
		.selectFrom('parked_submission')
		.select((eb) => [
			eb.fn.countAll<string | number>().as('n'),
			eb.fn.sum<string | number | null>(sql`length(body)`).as('bytes')
		])
		.where('school_id', '=', schoolId)
		.where('device_id', '=', deviceId)
		.where('received_at', '>=', since)
		.executeTakeFirst();
	return { count: Number(row?.n ?? 0), bytes: Number(row?.bytes ?? 0) };
}

/** What the server refused from these devices, newest first (the reasons, not the bodies). */
export async function listParked(
	db: Db,
	schoolId: string,
	deviceIds: readonly string[],
	limit = 100
): Promise<
	{ id: string; deviceId: string; itemId: string | null; receivedAt: string; reason: string }[]
> {
	if (deviceIds.length === 0) return [];
	const rows = await db
		.selectFrom('parked_submission')
		.select(['id', 'device_id', 'item_id', 'received_at', 'reason'])
		.where('school_id', '=', schoolId)
		.where('device_id', 'in', deviceIds)
		.orderBy('received_at', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		deviceId: r.device_id,
		itemId: r.item_id,
		receivedAt: r.received_at,
		reason: r.reason
	}));
}

/** Every parked submission of the school with what arrived, newest first: for the DSL. */
export async function parkedWithBodies(
	db: Db,
	schoolId: string,
	limit = 100
): Promise<
	{
		id: string;
		deviceId: string;
		itemId: string | null;
		receivedAt: string;
		reason: string;
		body: string;
	}[]
> {
	const rows = await db
		.selectFrom('parked_submission')
		.select(['id', 'device_id', 'item_id', 'received_at', 'reason', 'body'])
		.where('school_id', '=', schoolId)
		.orderBy('received_at', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		deviceId: r.device_id,
		itemId: r.item_id,
		receivedAt: r.received_at,
		reason: r.reason,
		body: r.body
	}));
}
