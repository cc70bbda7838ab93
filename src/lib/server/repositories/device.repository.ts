import type { Db } from '../context';

export interface DeviceRecord {
	id: string;
	name: string;
	kind: 'class' | 'trip';
	enrolledAt: string;
	lastSeenAt: string | null;
	appVersion: string | null;
	queuedItems: number | null;
	parkedItems: number | null;
	storagePersisted: 'yes' | 'no' | null;
	signedInPupilId: string | null;
	revokedAt: string | null;
	classIds: string[];
}

export interface NewDevice {
	id: string;
	name: string;
	kind: 'class' | 'trip';
	tokenHash: string;
	enrolledBy: string;
	classIds: readonly string[];
}

export async function insertDevice(
	db: Db,
	schoolId: string,
	device: NewDevice,
	now: Date
): Promise<void> {
	await db
		.insertInto('device')
		.values({
			id: device.id,
			school_id: schoolId,
			name: device.name,
			kind: device.kind,
			token_hash: device.tokenHash,
			enrolled_by: device.enrolledBy,
			enrolled_at: now.toISOString(),
			last_seen_at: null,
			app_version: null,
			queued_items: null,
			storage_persisted: null,
			signed_in_pupil_id: null,
			revoked_at: null
		})
		.execute();
	if (device.classIds.length > 0) {
		await db
			.insertInto('device_class')
			.values(
				device.classIds.map((classId) => ({
					device_id: device.id,
					class_id: classId,
					school_id: schoolId
				}))
			)
			.execute();
	}
}

/** The device a token belongs to (revoked or not: a revoked device is told to wipe itself). */
export async function findDeviceByToken(
	db: Db,
	tokenHash: string
): Promise<
	{ id: string; schoolId: string; kind: 'class' | 'trip'; revokedAt: string | null } | undefined
> {
	const row = await db
		.selectFrom('device')
		.select(['id', 'school_id', 'kind', 'revoked_at'])
		.where('token_hash', '=', tokenHash)
		.executeTakeFirst();
	return row && { id: row.id, schoolId: row.school_id, kind: row.kind, revokedAt: row.revoked_at };
}

export async function listDevices(db: Db, schoolId: string): Promise<DeviceRecord[]> {
	const [devices, links] = await Promise.all([
		db.selectFrom('device').selectAll().where('school_id', '=', schoolId).orderBy('name').execute(),
		db
			.selectFrom('device_class')
			.select(['device_id', 'class_id'])
			.where('school_id', '=', schoolId)
			.execute()
	]);
	return devices.map((d) => ({
		id: d.id,
		name: d.name,
		kind: d.kind,
		enrolledAt: d.enrolled_at,
		lastSeenAt: d.last_seen_at,
		appVersion: d.app_version,
		queuedItems: d.queued_items === null ? null : Number(d.queued_items),
		parkedItems: d.parked_items === null ? null : Number(d.parked_items),
		storagePersisted: d.storage_persisted,
		signedInPupilId: d.signed_in_pupil_id,
		revokedAt: d.revoked_at,
		classIds: links.filter((l) => l.device_id === d.id).map((l) => l.class_id)
	}));
}

export async function getDevice(
	db: Db,
	schoolId: string,
	deviceId: string
): Promise<DeviceRecord | undefined> {
	return (await listDevices(db, schoolId)).find((d) => d.id === deviceId);
}

export async function revokeDevice(
	db: Db,
	schoolId: string,
	deviceId: string,
	now: Date
): Promise<boolean> {
	const result = await db
		.updateTable('device')
		.set({ revoked_at: now.toISOString() })
		.where('school_id', '=', schoolId)
		.where('id', '=', deviceId)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export interface DeviceContact {
	appVersion: string;
	queuedItems: number;
	parkedItems: number;
	storagePersisted: boolean | null;
	signedInPupilId: string | null;
}

export async function recordContact(
	db: Db,
	schoolId: string,
	deviceId: string,
	contact: DeviceContact,
	now: Date
): Promise<void> {
	await db
		.updateTable('device')
		.set({
			last_seen_at: now.toISOString(),
			app_version: contact.appVersion,
			queued_items: contact.queuedItems,
			parked_items: contact.parkedItems,
			storage_persisted:
				contact.storagePersisted === null ? null : contact.storagePersisted ? 'yes' : 'no',
			signed_in_pupil_id: contact.signedInPupilId
		})
		.where('school_id', '=', schoolId)
		.where('id', '=', deviceId)
		.execute();
}

export async function deviceClassIds(
	db: Db,
	schoolId: string,
	deviceId: string
): Promise<string[]> {
	const rows = await db
		.selectFrom('device_class')
		.select('class_id')
		.where('school_id', '=', schoolId)
		.where('device_id', '=', deviceId)
		.execute();
	return rows.map((r) => r.class_id);
}

export interface DeviceEventRow {
	id: string;
	deviceId: string;
	at: string;
	kind: 'signed-in' | 'scan-failed' | 'other-class-card' | 'picture-locked' | 'replaced-card-used';
	pupilId: string | null;
	detail: string;
}

export async function insertDeviceEvents(
	db: Db,
	schoolId: string,
	events: readonly DeviceEventRow[]
): Promise<void> {
	if (events.length === 0) return;
	await db
		.insertInto('device_event')
		.values(
			events.map((e) => ({
				id: e.id,
				school_id: schoolId,
				device_id: e.deviceId,
				at: e.at,
				kind: e.kind,
				pupil_id: e.pupilId,
				detail: e.detail
			}))
		)
		.onConflict((oc) => oc.column('id').doNothing())
		.execute();
}

export async function recentDeviceEvents(
	db: Db,
	schoolId: string,
	deviceIds: readonly string[],
	limit = 50
) {
	if (deviceIds.length === 0) return [];
	const rows = await db
		.selectFrom('device_event')
		.select(['id', 'device_id', 'at', 'kind', 'pupil_id', 'detail'])
		.where('school_id', '=', schoolId)
		.where('device_id', 'in', deviceIds)
		.orderBy('at', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		deviceId: r.device_id,
		at: r.at,
		kind: r.kind,
		pupilId: r.pupil_id,
		detail: r.detail
	}));
}

export interface EnrolmentCode {
	schoolId: string;
	createdBy: string;
	deviceName: string;
	classIds: string[];
	expiresAt: string;
	usedAt: string | null;
}

export async function insertEnrolmentCode(
	db: Db,
	codeHash: string,
	code: EnrolmentCode,
	now: Date
): Promise<void> {
	await db
		.insertInto('enrolment_code')
		.values({
			code_hash: codeHash,
			school_id: code.schoolId,
			created_by: code.createdBy,
			device_name: code.deviceName,
			class_ids: JSON.stringify(code.classIds),
			created_at: now.toISOString(),
			expires_at: code.expiresAt,
			used_at: null
		})
		.execute();
}

/** The unscoped lookup a new device makes: the code itself names the school. */
export async function findEnrolmentCode(
	db: Db,
	codeHash: string
): Promise<EnrolmentCode | undefined> {
	const row = await db
		.selectFrom('enrolment_code')
		.selectAll()
		.where('code_hash', '=', codeHash)
		.executeTakeFirst();
	return (
		row && {
			schoolId: row.school_id,
			createdBy: row.created_by,
			deviceName: row.device_name,
			classIds: JSON.parse(row.class_ids) as string[],
			expiresAt: row.expires_at,
			usedAt: row.used_at
		}
	);
}

/** Marks a code used; false if someone used it first (single use, even under a race). */
export async function useEnrolmentCode(db: Db, codeHash: string, now: Date): Promise<boolean> {
	const result = await db
		.updateTable('enrolment_code')
		.set({ used_at: now.toISOString() })
		.where('code_hash', '=', codeHash)
		.where('used_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** PostgreSQL only: holds the device's row until the transaction ends (one at a time per device). */
export async function lockDevice(db: Db, schoolId: string, deviceId: string): Promise<void> {
	await db
		.selectFrom('device')
		.select('id')
		.where('school_id', '=', schoolId)
		.where('id', '=', deviceId)
		.forUpdate()
		.execute();
}
