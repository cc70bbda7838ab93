import type { SessionStage } from '$lib/domain/second-factor';
import type { Db } from '../context';

export interface SessionRow {
	staffId: string;
	schoolId: string;
	createdAt: string;
	lastSeenAt: string;
	stage: SessionStage;
}

export async function insertSession(
	db: Db,
	idHash: string,
	staffId: string,
	schoolId: string,
	now: Date,
	stage: SessionStage = 'full'
): Promise<void> {
	const at = now.toISOString();
	await db
		.insertInto('session')
		.values({
			id_hash: idHash,
			staff_id: staffId,
			school_id: schoolId,
			created_at: at,
			last_seen_at: at,
			stage
		})
		.execute();
}

export async function findSession(db: Db, idHash: string): Promise<SessionRow | undefined> {
	const row = await db
		.selectFrom('session')
		.select(['staff_id', 'school_id', 'created_at', 'last_seen_at', 'stage'])
		.where('id_hash', '=', idHash)
		.executeTakeFirst();
	return (
		row && {
			staffId: row.staff_id,
			schoolId: row.school_id,
			createdAt: row.created_at,
			lastSeenAt: row.last_seen_at,
			stage: row.stage
		}
	);
}

export async function touchSession(db: Db, idHash: string, now: Date): Promise<void> {
	await db
		.updateTable('session')
		.set({ last_seen_at: now.toISOString() })
		.where('id_hash', '=', idHash)
		.execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
	await db.deleteFrom('session').where('id_hash', '=', idHash).execute();
}

export async function deleteSessionsOfStaff(
	db: Db,
	schoolId: string,
	staffId: string
): Promise<number> {
	const result = await db
		.deleteFrom('session')
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

export async function countSessionsOfStaff(
	db: Db,
	schoolId: string,
	staffId: string
): Promise<number> {
	const row = await db
		.selectFrom('session')
		.select((eb) => eb.fn.countAll().as('n'))
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Ends every session of the account but the one named (after a change to its second factor). */
export async function deleteOtherSessionsOfStaff(
	db: Db,
	schoolId: string,
	staffId: string,
	keepIdHash: string
): Promise<number> {
	const result = await db
		.deleteFrom('session')
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.where('id_hash', '!=', keepIdHash)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

export async function setSessionStage(db: Db, idHash: string, stage: SessionStage): Promise<void> {
	await db.updateTable('session').set({ stage }).where('id_hash', '=', idHash).execute();
}
