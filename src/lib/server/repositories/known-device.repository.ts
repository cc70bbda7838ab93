import type { Db } from '../context';

export interface KnownDeviceRow {
	staffId: string;
	lastUsedAt: string;
	failures: number;
}

export async function insertKnownDevice(
	db: Db,
	schoolId: string,
	staffId: string,
	idHash: string,
	now: Date
): Promise<void> {
	const at = now.toISOString();
	await db
		.insertInto('known_device')
		.values({
			id_hash: idHash,
			school_id: schoolId,
			staff_id: staffId,
			created_at: at,
			last_used_at: at
		})
		.execute();
}

/** The device row for this cookie hash, if it belongs to this member of staff. */
export async function findKnownDevice(
	db: Db,
	schoolId: string,
	staffId: string,
	idHash: string
): Promise<KnownDeviceRow | undefined> {
	const row = await db
		.selectFrom('known_device')
		.select(['staff_id', 'last_used_at', 'failures'])
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.where('id_hash', '=', idHash)
		.executeTakeFirst();
	return row && { staffId: row.staff_id, lastUsedAt: row.last_used_at, failures: row.failures };
}

export async function countKnownDeviceFailure(
	db: Db,
	schoolId: string,
	idHash: string
): Promise<void> {
	await db
		.updateTable('known_device')
		.set((eb) => ({ failures: eb('failures', '+', 1) }))
		.where('school_id', '=', schoolId)
		.where('id_hash', '=', idHash)
		.execute();
}

export async function markKnownDeviceUsed(
	db: Db,
	schoolId: string,
	idHash: string,
	now: Date
): Promise<void> {
	await db
		.updateTable('known_device')
		.set({ failures: 0, last_used_at: now.toISOString() })
		.where('school_id', '=', schoolId)
		.where('id_hash', '=', idHash)
		.execute();
}

/**
 * Keeps a person's devices few: drops those not used since `before`, and all but the
 * `keep` most recently used.
 */
export async function pruneKnownDevices(
	db: Db,
	schoolId: string,
	staffId: string,
	before: Date,
	keep: number
): Promise<void> {
	await db
		.deleteFrom('known_device')
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.where('last_used_at', '<', before.toISOString())
		.execute();
	const kept = await db
		.selectFrom('known_device')
		.select('id_hash')
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.orderBy('last_used_at', 'desc')
		.orderBy('id_hash')
		.limit(keep)
		.execute();
	if (kept.length < keep) return;
	await db
		.deleteFrom('known_device')
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.where(
			'id_hash',
			'not in',
			kept.map((k) => k.id_hash)
		)
		.execute();
}
