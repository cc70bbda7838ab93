import type { Db } from '../context';

export interface DeviceKeyRow {
	id: string;
	schoolId: string;
	createdAt: string;
	publicJwk: string;
	privateSealed: string;
}

const columns = [
	'id',
	'school_id as schoolId',
	'created_at as createdAt',
	'public_jwk as publicJwk',
	'private_sealed as privateSealed'
] as const;

/** The school's newest key, which devices are given. */
export async function newestDeviceKey(db: Db, schoolId: string): Promise<DeviceKeyRow | undefined> {
	return db
		.selectFrom('device_key')
		.select(columns)
		.where('school_id', '=', schoolId)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.executeTakeFirst();
}

/** One of the school's keys, by its id (what a sealed item names). */
export async function findDeviceKey(
	db: Db,
	schoolId: string,
	id: string
): Promise<DeviceKeyRow | undefined> {
	return db
		.selectFrom('device_key')
		.select(columns)
		.where('school_id', '=', schoolId)
		.where('id', '=', id)
		.executeTakeFirst();
}

/** Adds a key unless one with this id is there already (two processes making the first at once). */
export async function insertDeviceKey(db: Db, row: DeviceKeyRow): Promise<void> {
	await db
		.insertInto('device_key')
		.values({
			id: row.id,
			school_id: row.schoolId,
			created_at: row.createdAt,
			public_jwk: row.publicJwk,
			private_sealed: row.privateSealed
		})
		.onConflict((oc) => oc.column('id').doNothing())
		.execute();
}
