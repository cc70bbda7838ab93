import type { Db } from '../context';
import { newId } from '../ids';

/** Things about accounts that the DSL is told, so nobody can quietly give themselves sight of reports. */
export type DslNoticeKind =
	| 'staff-added'
	| 'role-changed'
	| 'class-assigned'
	| 'approval-needed'
	| 'second-factor-reset'
	| 'password-reset'
	/** An approved DSL put on the pupils' list of adults (a teacher's needs approval). */
	| 'pupil-contact';

export interface DslNotice {
	schoolId: string;
	at: Date;
	kind: DslNoticeKind;
	/** Who did it (null for the system). */
	actorId: string | null;
	/** Whose account it is about. */
	staffId: string | null;
	detail?: Record<string, unknown>;
}

export interface DslNoticeRow {
	id: string;
	at: string;
	kind: DslNoticeKind;
	actorId: string | null;
	staffId: string | null;
	detail: Record<string, unknown>;
	seenAt: string | null;
}

/** Tells the school's DSL. Call inside the same transaction as the change it is about. */
export async function tellDsl(trx: Db, notice: DslNotice): Promise<string> {
	const id = newId();
	await trx
		.insertInto('dsl_notice')
		.values({
			id,
			school_id: notice.schoolId,
			at: notice.at.toISOString(),
			kind: notice.kind,
			actor_id: notice.actorId,
			staff_id: notice.staffId,
			detail: JSON.stringify(notice.detail ?? {}),
			seen_at: null
		})
		.execute();
	return id;
}

export async function listDslNotices(
	db: Db,
	schoolId: string,
	limit = 50
): Promise<DslNoticeRow[]> {
	const rows = await db
		.selectFrom('dsl_notice')
		.selectAll()
		.where('school_id', '=', schoolId)
		.orderBy('at', 'desc')
		.orderBy('id')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		at: r.at,
		kind: r.kind as DslNoticeKind,
		actorId: r.actor_id,
		staffId: r.staff_id,
		detail: JSON.parse(r.detail) as Record<string, unknown>,
		seenAt: r.seen_at
	}));
}

export async function markDslNoticesSeen(db: Db, schoolId: string, now: Date): Promise<void> {
	await db
		.updateTable('dsl_notice')
		.set({ seen_at: now.toISOString() })
		.where('school_id', '=', schoolId)
		.where('seen_at', 'is', null)
		.execute();
}

export interface DslNoticeView extends DslNoticeRow {
	/** Who made the change, and whose account it is about, by name. */
	actorName: string | null;
	staffName: string | null;
	staffRole: string | null;
}

/**
 * Notices the DSL has not yet marked as seen, newest first, with the names they are about.
 * Every one of them: a flood of new notices must never push an older one out of sight.
 */
export async function listUnseenDslNotices(db: Db, schoolId: string): Promise<DslNoticeView[]> {
	const rows = await db
		.selectFrom('dsl_notice')
		.leftJoin('staff as actor', (join) =>
			join.onRef('actor.id', '=', 'dsl_notice.actor_id').on('actor.school_id', '=', schoolId)
		)
		.leftJoin('staff as subject', (join) =>
			join.onRef('subject.id', '=', 'dsl_notice.staff_id').on('subject.school_id', '=', schoolId)
		)
		.select([
			'dsl_notice.id',
			'dsl_notice.at',
			'dsl_notice.kind',
			'dsl_notice.actor_id',
			'dsl_notice.staff_id',
			'dsl_notice.detail',
			'dsl_notice.seen_at',
			'actor.name as actor_name',
			'subject.name as staff_name',
			'subject.role as staff_role'
		])
		.where('dsl_notice.school_id', '=', schoolId)
		.where('dsl_notice.seen_at', 'is', null)
		.orderBy('dsl_notice.at', 'desc')
		.orderBy('dsl_notice.id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		at: r.at,
		kind: r.kind as DslNoticeKind,
		actorId: r.actor_id,
		staffId: r.staff_id,
		detail: JSON.parse(r.detail) as Record<string, unknown>,
		seenAt: r.seen_at,
		actorName: r.actor_name,
		staffName: r.staff_name,
		staffRole: r.staff_role
	}));
}

export async function getDslNotice(
	db: Db,
	schoolId: string,
	noticeId: string
): Promise<DslNoticeRow | undefined> {
	const r = await db
		.selectFrom('dsl_notice')
		.selectAll()
		.where('school_id', '=', schoolId)
		.where('id', '=', noticeId)
		.executeTakeFirst();
	return (
		r && {
			id: r.id,
			at: r.at,
			kind: r.kind as DslNoticeKind,
			actorId: r.actor_id,
			staffId: r.staff_id,
			detail: JSON.parse(r.detail) as Record<string, unknown>,
			seenAt: r.seen_at
		}
	);
}

export async function markDslNoticeSeen(
	db: Db,
	schoolId: string,
	noticeId: string,
	now: Date
): Promise<void> {
	await db
		.updateTable('dsl_notice')
		.set({ seen_at: now.toISOString() })
		.where('school_id', '=', schoolId)
		.where('id', '=', noticeId)
		.where('seen_at', 'is', null)
		.execute();
}
