import type { Db } from '../context';
import { newId } from '../ids';

/** Things about accounts that the DSL is told, so nobody can quietly give themselves sight of reports. */
export type DslNoticeKind =
	| 'staff-added'
	| 'role-changed'
	| 'class-assigned'
	| 'approval-needed'
	| 'second-factor-reset'
	| 'password-reset';

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
