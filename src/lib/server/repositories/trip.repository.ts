import type { TripCheck } from '$lib/domain/trip';
import type { Db } from '../context';

export interface TripDeviceRecord {
	deviceId: string;
	groupName: string;
	takenBy: string;
	takenAt: string;
	endsAt: string;
	graceHours: number;
	pupilCount: number;
	pupilIds: string[];
}

export async function insertTripDevice(
	db: Db,
	schoolId: string,
	trip: TripDeviceRecord
): Promise<void> {
	await db
		.insertInto('trip_device')
		.values({
			device_id: trip.deviceId,
			school_id: schoolId,
			group_name: trip.groupName,
			taken_by: trip.takenBy,
			taken_at: trip.takenAt,
			ends_at: trip.endsAt,
			grace_hours: trip.graceHours,
			pupil_count: trip.pupilCount,
			pupil_ids: JSON.stringify(trip.pupilIds)
		})
		.execute();
}

const toRecord = (r: {
	device_id: string;
	group_name: string;
	taken_by: string;
	taken_at: string;
	ends_at: string;
	grace_hours: number;
	pupil_count: number;
	pupil_ids: string;
}): TripDeviceRecord => ({
	deviceId: r.device_id,
	groupName: r.group_name,
	takenBy: r.taken_by,
	takenAt: r.taken_at,
	endsAt: r.ends_at,
	graceHours: Number(r.grace_hours),
	pupilCount: Number(r.pupil_count),
	pupilIds: JSON.parse(r.pupil_ids) as string[]
});

export async function getTripDevice(
	db: Db,
	schoolId: string,
	deviceId: string
): Promise<TripDeviceRecord | undefined> {
	const row = await db
		.selectFrom('trip_device')
		.selectAll()
		.where('school_id', '=', schoolId)
		.where('device_id', '=', deviceId)
		.executeTakeFirst();
	return row && toRecord(row);
}

/** The school's trip snapshots, newest first, with how many checks each has sent. */
export async function listTripDevices(
	db: Db,
	schoolId: string
): Promise<(TripDeviceRecord & { checks: number; lastCheckAt: string | null })[]> {
	const [trips, counts] = await Promise.all([
		db
			.selectFrom('trip_device')
			.selectAll()
			.where('school_id', '=', schoolId)
			.orderBy('taken_at', 'desc')
			.execute(),
		db
			.selectFrom('trip_check')
			.select((eb) => [
				'device_id',
				eb.fn.countAll<string | number>().as('n'),
				eb.fn.max('checked_at').as('last')
			])
			.where('school_id', '=', schoolId)
			.groupBy('device_id')
			.execute()
	]);
	return trips.map((t) => {
		const count = counts.find((c) => c.device_id === t.device_id);
		return {
			...toRecord(t),
			checks: count ? Number(count.n) : 0,
			lastCheckAt: count?.last ?? null
		};
	});
}

export interface NewTripCheck {
	check: TripCheck;
	schoolId: string;
	deviceId: string;
	staffId: string;
	receivedAt: string;
	bodyHash: string;
}

/** Stores a check once: false when a row with its id is already there. */
export async function insertTripCheck(db: Db, c: NewTripCheck): Promise<boolean> {
	const result = await db
		.insertInto('trip_check')
		.values({
			id: c.check.id,
			school_id: c.schoolId,
			device_id: c.deviceId,
			staff_id: c.staffId,
			use_id: c.check.useId,
			pupil_ids: JSON.stringify(c.check.pupilIds),
			answer: c.check.answer,
			not_allowed: JSON.stringify(c.check.notAllowed),
			to_check: JSON.stringify(c.check.toCheck),
			how: c.check.how,
			is_group: c.check.group ? 1 : 0,
			checked_at: c.check.checkedAt,
			received_at: c.receivedAt,
			body_hash: c.bodyHash
		})
		.onConflict((oc) => oc.column('id').doNothing())
		.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function findTripCheckHash(
	db: Db,
	id: string
): Promise<{ schoolId: string; bodyHash: string; receivedAt: string } | undefined> {
	const row = await db
		.selectFrom('trip_check')
		.select(['school_id', 'body_hash', 'received_at'])
		.where('id', '=', id)
		.executeTakeFirst();
	return row && { schoolId: row.school_id, bodyHash: row.body_hash, receivedAt: row.received_at };
}

export interface TripCheckRow {
	id: string;
	deviceId: string;
	staffId: string;
	useId: string;
	pupilIds: string[];
	answer: TripCheck['answer'];
	notAllowed: string[];
	toCheck: string[];
	how: TripCheck['how'];
	group: boolean;
	checkedAt: string;
}

export async function checksOfTrip(
	db: Db,
	schoolId: string,
	deviceId: string
): Promise<TripCheckRow[]> {
	const rows = await db
		.selectFrom('trip_check')
		.selectAll()
		.where('school_id', '=', schoolId)
		.where('device_id', '=', deviceId)
		.orderBy('checked_at', 'desc')
		.orderBy('id')
		.execute();
	const ids = (text: string) => JSON.parse(text) as string[];
	return rows.map((r) => ({
		id: r.id,
		deviceId: r.device_id,
		staffId: r.staff_id,
		useId: r.use_id,
		pupilIds: ids(r.pupil_ids),
		answer: r.answer,
		notAllowed: ids(r.not_allowed),
		toCheck: ids(r.to_check),
		how: r.how,
		group: Number(r.is_group) === 1,
		checkedAt: r.checked_at
	}));
}
