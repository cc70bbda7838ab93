import { seesAllClasses } from '$lib/domain/roles';
import { checkTimeProblem, tripCheckSchema, wipeAt } from '$lib/domain/trip';
import { bodyHash } from '../body-hash';
import type { AppContext, StaffActor } from '../context';
import { appendAudit } from '../repositories/audit.repository';
import { listClasses } from '../repositories/class.repository';
import { listUses } from '../repositories/consent.repository';
import {
	deviceClassIds,
	findDeviceByToken,
	listDevices,
	recordContact,
	revokeDevice
} from '../repositories/device.repository';
import { listPupilsOfClass } from '../repositories/pupil.repository';
import { listStaff } from '../repositories/staff.repository';
import { hashToken } from '../ids';
import {
	findTripCheckHash,
	getTripDevice,
	insertTripCheck,
	listTripDevices
} from '../repositories/trip.repository';
import { audited } from './audited';
import { deviceInScope, type Outcome } from './device.service';

/**
 * Trip devices after the download: they prove themselves with their own token, send the
 * checks they log, and learn at their next contact that they were revoked (or their trip is
 * over), when they wipe themselves. The snapshot itself is made in consent.service.ts.
 */

/** The trip device a request comes from, once its token has been checked. */
export interface TripActor {
	deviceId: string;
	schoolId: string;
	/** Whoever downloaded the snapshot: the checks made on the device are theirs. */
	staffId: string;
	classIds: string[];
	/** The pupils the list held when it was taken: the only ones a check may name. */
	pupilIds: string[];
	/** When the list was downloaded: no check can be older. */
	takenAt: string;
	/** The trip's end plus grace, when the device wipes the list (ms since 1970). */
	wipeAt: number;
	/** Set when the device was revoked, ended by its user, or its trip is over. */
	closedAt: string | null;
}

export type TripLookup = { status: 'ok' | 'closed'; trip: TripActor } | { status: 'none' };

export async function authenticateTripDevice(
	ctx: AppContext,
	token: string | null
): Promise<TripLookup> {
	if (!token) return { status: 'none' };
	const found = await findDeviceByToken(ctx.db, hashToken(token));
	if (!found || found.kind !== 'trip') return { status: 'none' };
	const trip = await getTripDevice(ctx.db, found.schoolId, found.id);
	if (!trip) return { status: 'none' };
	const over = wipeAt(trip);
	const closedAt =
		found.revokedAt ?? (ctx.clock.now().getTime() >= over ? new Date(over).toISOString() : null);
	return {
		status: closedAt ? 'closed' : 'ok',
		trip: {
			deviceId: found.id,
			schoolId: found.schoolId,
			staffId: trip.takenBy,
			classIds: await deviceClassIds(ctx.db, found.schoolId, found.id),
			pupilIds: trip.pupilIds,
			takenAt: trip.takenAt,
			wipeAt: over,
			closedAt
		}
	};
}

/** A trip device's contact: noted for the Devices page. */
export async function tripContact(
	ctx: AppContext,
	trip: TripActor,
	contact: { appVersion: string; queuedItems: number; parkedItems: number }
): Promise<void> {
	await recordContact(
		ctx.db,
		trip.schoolId,
		trip.deviceId,
		{ ...contact, storagePersisted: null, signedInPupilId: null },
		ctx.clock.now()
	);
}

const timeProblems = {
	'before-taken': 'This photo check is dated before the trip list was taken.',
	'after-closed': 'This photo check is dated after the trip list was closed.',
	'in-future': 'This photo check is dated in the future: check the iPad’s clock.'
} as const;

export interface TripCheckResult {
	status: 200 | 201 | 400 | 403 | 422;
	body: { id: string; receivedAt: string } | { error: string };
}

/**
 * Stores one logged check exactly once. A device revoked (or past its trip) may still send
 * the checks it made before then — the record is the school's — but nothing made after, and
 * nothing dated before its list was taken or after now (see `checkTimeProblem`).
 */
export async function recordTripCheck(
	ctx: AppContext,
	trip: TripActor,
	raw: unknown
): Promise<TripCheckResult> {
	const parsed = tripCheckSchema.safeParse(raw);
	if (!parsed.success) {
		const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'body'))];
		return {
			status: 400,
			body: { error: `The photo check was not in the expected shape (${fields.join(', ')}).` }
		};
	}
	const check = parsed.data;
	const hash = bodyHash(check);
	const replay = (earlier: { schoolId: string; bodyHash: string; receivedAt: string }) =>
		earlier.schoolId === trip.schoolId && earlier.bodyHash === hash
			? ({ status: 200, body: { id: check.id, receivedAt: earlier.receivedAt } } as const)
			: ({ status: 422, body: { error: 'A different photo check already has this id.' } } as const);

	const earlier = await findTripCheckHash(ctx.db, check.id);
	if (earlier) return replay(earlier);
	// Only checks made while the list was on the device (a few minutes allowed for its clock):
	// a token kept after a revoke cannot date checks into the past or the future.
	const problem = checkTimeProblem(check.checkedAt, trip, ctx.clock.now().getTime());
	if (problem) return { status: 403, body: { error: timeProblems[problem] } };

	const uses = await listUses(ctx.db, trip.schoolId, { withRetired: true });
	if (!uses.some((u) => u.id === check.useId))
		return { status: 422, body: { error: 'There is no such photo use.' } };
	// Only the pupils this device downloaded (even if they have since moved class or left).
	const onTrip = new Set(trip.pupilIds);
	const named = [...check.pupilIds, ...check.notAllowed, ...check.toCheck];
	if (!named.every((id) => onTrip.has(id)))
		return { status: 403, body: { error: 'A pupil in this check is not on this trip list.' } };

	const receivedAt = ctx.clock.now().toISOString();
	const stored = await insertTripCheck(ctx.db, {
		check,
		schoolId: trip.schoolId,
		deviceId: trip.deviceId,
		staffId: trip.staffId,
		receivedAt,
		bodyHash: hash
	});
	if (!stored) {
		const first = await findTripCheckHash(ctx.db, check.id);
		if (first) return replay(first);
	}
	return { status: 201, body: { id: check.id, receivedAt } };
}

/** "End the trip" on the device: its token stops working, as if revoked, and it is audited. */
export async function endTripFromDevice(ctx: AppContext, trip: TripActor): Promise<void> {
	if (trip.closedAt) return;
	const now = ctx.clock.now();
	await ctx.db.transaction().execute(async (trx) => {
		if (!(await revokeDevice(trx, trip.schoolId, trip.deviceId, now))) return;
		await appendAudit(trx, {
			schoolId: trip.schoolId,
			at: now,
			actorId: trip.staffId,
			action: 'trip.ended-on-device',
			subjectType: 'device',
			subjectId: trip.deviceId
		});
	});
}

/**
 * The classes a member of staff may take on a trip (their own, or all for trip staff, DSL and
 * admin), each with its pupils' names, to choose a named group from.
 */
export async function tripClassChoices(ctx: AppContext, actor: StaffActor) {
	const all = actor.role === 'trip' || seesAllClasses(actor);
	const classes = await listClasses(ctx.db, actor.schoolId, all ? undefined : actor.classIds);
	return Promise.all(
		classes.map(async (c) => ({
			id: c.id,
			name: c.name,
			yearGroup: c.yearGroup,
			pupils: (await listPupilsOfClass(ctx.db, actor.schoolId, c.id)).map((p) => ({
				id: p.id,
				firstName: p.firstName,
				lastInitial: p.lastInitial
			}))
		}))
	);
}

export type TripState = 'active' | 'revoked' | 'over';

/**
 * Every trip snapshot taken, newest first, for the consent overview: who took it, for which
 * classes, how many pupils, until when, and whether it is still open. Teachers see the ones
 * of their classes and the ones they took; the DSL and the admin see all.
 */
export async function tripsOverview(ctx: AppContext, actor: StaffActor) {
	const now = ctx.clock.now().getTime();
	const [trips, devices, classes, staff] = await Promise.all([
		listTripDevices(ctx.db, actor.schoolId),
		listDevices(ctx.db, actor.schoolId),
		listClasses(ctx.db, actor.schoolId),
		listStaff(ctx.db, actor.schoolId)
	]);
	const classNames = new Map(classes.map((c) => [c.id, c.name]));
	return trips.flatMap((t) => {
		const device = devices.find((d) => d.id === t.deviceId);
		if (!device || !(t.takenBy === actor.staffId || deviceInScope(actor, device))) return [];
		const state: TripState = device.revokedAt ? 'revoked' : now >= wipeAt(t) ? 'over' : 'active';
		return [
			{
				...t,
				takenByName: staff.find((s) => s.id === t.takenBy)?.name ?? '',
				classNames: device.classIds.map((id) => classNames.get(id) ?? '').filter(Boolean),
				lastSeenAt: device.lastSeenAt,
				revokedAt: device.revokedAt,
				state
			}
		];
	});
}

/**
 * Revokes a trip list from the office: the device wipes it at its next contact. Whoever sees
 * the list on the trip lists page (its classes' teachers, whoever took it, the DSL and admin)
 * may revoke it.
 */
export async function revokeTrip(
	ctx: AppContext,
	actor: StaffActor,
	deviceId: string
): Promise<Outcome> {
	const trip = (await tripsOverview(ctx, actor)).find((t) => t.deviceId === deviceId);
	if (!trip) return { ok: false, error: 'consent.error.tripNotFound' };
	if (trip.state !== 'active') return { ok: true };
	const now = ctx.clock.now();
	await audited(
		ctx,
		actor,
		{ action: 'device.revoked', subjectType: 'device', subjectId: deviceId },
		(trx) => revokeDevice(trx, actor.schoolId, deviceId, now)
	);
	return { ok: true };
}
