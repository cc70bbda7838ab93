import { createHash } from 'node:crypto';
import type { Db } from '../context';

export interface AuditEntry {
	schoolId: string;
	at: Date;
	actorId: string | null;
	action: string;
	subjectType: string;
	subjectId: string | null;
	detail?: Record<string, unknown>;
}

/** Failed sign-ins for an email nobody has are kept in a chain of their own. */
export const noSchool = '-';
const genesis = '0'.repeat(64);

interface ChainedFields {
	school_id: string;
	at: string;
	actor_id: string | null;
	action: string;
	subject_type: string;
	subject_id: string | null;
	detail: string;
}

function hashOf(prev: string, r: ChainedFields): string {
	// A fixed field order, so the hash does not depend on how a driver orders columns.
	const fields = [r.school_id, r.at, r.actor_id, r.action, r.subject_type, r.subject_id, r.detail];
	return createHash('sha256').update(prev).update(JSON.stringify(fields)).digest('hex');
}

/**
 * Appends to the school's hash chain. Must run inside a transaction: the head row is
 * updated with a compare-and-set, so two processes writing at once cannot fork the chain.
 */
export async function appendAudit(trx: Db, entry: AuditEntry): Promise<void> {
	for (let attempt = 0; attempt < 20; attempt++) {
		const head = await trx
			.selectFrom('audit_head')
			.select('last_hash')
			.where('school_id', '=', entry.schoolId)
			.executeTakeFirst();
		const prev = head?.last_hash ?? genesis;
		const row = {
			school_id: entry.schoolId,
			at: entry.at.toISOString(),
			actor_id: entry.actorId,
			action: entry.action,
			subject_type: entry.subjectType,
			subject_id: entry.subjectId,
			detail: JSON.stringify(entry.detail ?? {})
		};
		const hash = hashOf(prev, row);
		if (head) {
			const moved = await trx
				.updateTable('audit_head')
				.set({ last_hash: hash })
				.where('school_id', '=', entry.schoolId)
				.where('last_hash', '=', prev)
				.executeTakeFirst();
			if (Number(moved.numUpdatedRows) !== 1) continue;
		} else {
			const inserted = await trx
				.insertInto('audit_head')
				.values({ school_id: entry.schoolId, last_hash: hash })
				.onConflict((oc) => oc.column('school_id').doNothing())
				.executeTakeFirst();
			if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) continue;
		}
		await trx
			.insertInto('audit')
			.values({ ...row, prev_hash: prev, hash })
			.execute();
		return;
	}
	throw new Error('Could not append to the audit log: too many writers at once');
}

export interface AuditRow {
	at: string;
	actorId: string | null;
	action: string;
	subjectType: string;
	subjectId: string | null;
	detail: string;
}

export async function listAudit(db: Db, schoolId: string, limit = 200): Promise<AuditRow[]> {
	const rows = await db
		.selectFrom('audit')
		.select(['at', 'actor_id', 'action', 'subject_type', 'subject_id', 'detail'])
		.where('school_id', '=', schoolId)
		.orderBy('seq', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		at: r.at,
		actorId: r.actor_id,
		action: r.action,
		subjectType: r.subject_type,
		subjectId: r.subject_id,
		detail: r.detail
	}));
}

export type ChainCheck =
	| { ok: true; entries: number }
	| {
			ok: false;
			entries: number;
			/** The first entry that does not follow from the one before (null: the head is off). */
			brokenAt: { seq: number; at: string; action: string } | null;
			why: 'changed' | 'removed-or-reordered' | 'head-mismatch';
	  };

/**
 * Walks a school's chain from the start and names the first broken link: an entry whose
 * contents no longer match its hash (changed), or whose link to the one before is off
 * (an entry removed or reordered), or a head that is not the last entry (removed at the end).
 */
export async function verifyAuditChain(db: Db, schoolId: string): Promise<ChainCheck> {
	const rows = await db
		.selectFrom('audit')
		.selectAll()
		.where('school_id', '=', schoolId)
		.orderBy('seq')
		.execute();
	let prev = genesis;
	for (const r of rows) {
		const brokenAt = { seq: Number(r.seq), at: r.at, action: r.action };
		if (r.prev_hash !== prev)
			return { ok: false, entries: rows.length, brokenAt, why: 'removed-or-reordered' };
		if (hashOf(prev, r) !== r.hash)
			return { ok: false, entries: rows.length, brokenAt, why: 'changed' };
		prev = r.hash;
	}
	const head = await db
		.selectFrom('audit_head')
		.select('last_hash')
		.where('school_id', '=', schoolId)
		.executeTakeFirst();
	if ((head?.last_hash ?? genesis) !== prev)
		return { ok: false, entries: rows.length, brokenAt: null, why: 'head-mismatch' };
	return { ok: true, entries: rows.length };
}

/** Every chain in the database: each school's, and the one for sign-ins to unknown emails. */
export async function auditChains(db: Db): Promise<string[]> {
	const rows = await db.selectFrom('audit_head').select('school_id').orderBy('school_id').execute();
	return rows.map((r) => r.school_id);
}
