import { randomBytes, randomUUID } from 'node:crypto';
import {
	enrolmentMinutes,
	formatEnrolmentCode,
	type Heartbeat,
	type Roster
} from '$lib/domain/device';
import { base32 } from '$lib/domain/pupil-card';
import { canUseClass, seesAllClasses } from '$lib/domain/roles';
import { finishedLessons } from '../repositories/lesson.repository';
import type { AppContext, StaffActor } from '../context';
import { appendAudit } from '../repositories/audit.repository';
import { audited } from './audited';
import { hashToken, newId, newSecret } from '../ids';
import { findCard, liveCardsOfClasses } from '../repositories/card.repository';
import {
	classSignOutTimes,
	getClass,
	listClasses,
	markClassSignedOut
} from '../repositories/class.repository';
import {
	deviceClassIds,
	findDeviceByToken,
	findEnrolmentCode,
	getDevice,
	insertDevice,
	insertDeviceEvents,
	insertEnrolmentCode,
	listDevices,
	recentDeviceEvents,
	recordContact,
	revokeDevice,
	useEnrolmentCode,
	type DeviceRecord
} from '../repositories/device.repository';
import { listPupilsOfClass, pupilNames } from '../repositories/pupil.repository';
import { picturesForRoster, recordPictureLock } from './picture-password.service';
import { listParked } from '../repositories/report.repository';
import { pupilContacts } from './report.service';
import { schoolSealKey } from './device-key.service';

/** The class device a request comes from, once its token has been checked. */
export interface DeviceActor {
	deviceId: string;
	schoolId: string;
	classIds: string[];
}

export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; error: string };

/** A device is the actor's to see or change when the actor sees all classes or one of its classes. */
export function deviceInScope(actor: StaffActor, device: DeviceRecord): boolean {
	return seesAllClasses(actor) || device.classIds.some((id) => actor.classIds.includes(id));
}

export async function createEnrolmentCode(
	ctx: AppContext,
	actor: StaffActor,
	input: { name: string; classIds: string[] }
): Promise<Outcome<{ code: string; qrText: string; expiresAt: string }>> {
	if (input.classIds.length === 0) return { ok: false, error: 'devices.error.chooseClass' };
	for (const classId of input.classIds) {
		if (!canUseClass(actor, classId) || !(await getClass(ctx.db, actor.schoolId, classId))) {
			return { ok: false, error: 'class.error.notFound' };
		}
	}
	const now = ctx.clock.now();
	const code = base32(randomBytes(15));
	const expiresAt = new Date(now.getTime() + enrolmentMinutes * 60_000).toISOString();
	await audited(
		ctx,
		actor,
		{
			action: 'device.enrolment-code-made',
			subjectType: 'device',
			subjectId: null,
			detail: { name: input.name, classIds: input.classIds }
		},
		async (trx) => {
			await insertEnrolmentCode(
				trx,
				hashToken(code),
				{
					schoolId: actor.schoolId,
					createdBy: actor.staffId,
					deviceName: input.name,
					classIds: input.classIds,
					expiresAt,
					usedAt: null
				},
				now
			);
		}
	);
	return { ok: true, code, qrText: formatEnrolmentCode(code), expiresAt };
}

/** A new device redeems a one-time code for its long-lived token. */
export async function enrolDevice(
	ctx: AppContext,
	code: string
): Promise<Outcome<{ token: string; deviceId: string }>> {
	const now = ctx.clock.now();
	const codeHash = hashToken(code);
	const found = await findEnrolmentCode(ctx.db, codeHash);
	if (!found) return { ok: false, error: 'enrol.error.unknown' };
	if (found.usedAt) return { ok: false, error: 'enrol.error.used' };
	if (new Date(found.expiresAt) <= now) return { ok: false, error: 'enrol.error.expired' };

	const token = newSecret(32);
	const deviceId = newId();
	const done = await ctx.db.transaction().execute(async (trx) => {
		if (!(await useEnrolmentCode(trx, codeHash, now))) return false;
		await insertDevice(
			trx,
			found.schoolId,
			{
				id: deviceId,
				name: found.deviceName,
				kind: 'class',
				tokenHash: hashToken(token),
				enrolledBy: found.createdBy,
				classIds: found.classIds
			},
			now
		);
		await appendAudit(trx, {
			schoolId: found.schoolId,
			at: now,
			actorId: found.createdBy,
			action: 'device.enrolled',
			subjectType: 'device',
			subjectId: deviceId,
			detail: { name: found.deviceName, classIds: found.classIds }
		});
		return true;
	});
	return done ? { ok: true, token, deviceId } : { ok: false, error: 'enrol.error.used' };
}

export type DeviceLookup = { status: 'ok'; device: DeviceActor } | { status: 'revoked' | 'none' };

export async function authenticateDevice(
	ctx: AppContext,
	token: string | null
): Promise<DeviceLookup> {
	if (!token) return { status: 'none' };
	const found = await findDeviceByToken(ctx.db, hashToken(token));
	// A trip device's token opens the trip APIs only (see trip.service.ts), never a roster.
	if (!found || found.kind !== 'class') return { status: 'none' };
	if (found.revokedAt) return { status: 'revoked' };
	const classIds = await deviceClassIds(ctx.db, found.schoolId, found.id);
	return { status: 'ok', device: { deviceId: found.id, schoolId: found.schoolId, classIds } };
}

/** Everything a class device needs to sign its pupils in offline. */
export async function rosterFor(ctx: AppContext, device: DeviceActor): Promise<Roster> {
	const now = ctx.clock.now();
	const [record, classes, cards] = await Promise.all([
		getDevice(ctx.db, device.schoolId, device.deviceId),
		listClasses(ctx.db, device.schoolId, device.classIds),
		liveCardsOfClasses(ctx.db, device.schoolId, device.classIds, now)
	]);
	const signedOut = await classSignOutTimes(ctx.db, device.schoolId, device.classIds);
	const pupils = (
		await Promise.all(classes.map((c) => listPupilsOfClass(ctx.db, device.schoolId, c.id)))
	).flat();
	const pictures = await picturesForRoster(ctx, device.schoolId, device.classIds);
	return {
		device: { id: device.deviceId, name: record?.name ?? '' },
		classes: classes.map((c) => ({
			id: c.id,
			name: c.name,
			keyStage: c.keyStage,
			signedOutAt: signedOut.get(c.id) ?? null,
			picturePasswords: pictures.classesOn.has(c.id)
		})),
		picturePasswords: pictures.hashes,
		pupils: pupils.map((p) => ({
			id: p.id,
			classId: p.classId,
			firstName: p.firstName,
			lastInitial: p.lastInitial,
			avatar: p.avatar,
			yearGroup: p.yearGroup
		})),
		finished: await finishedLessons(
			ctx.db,
			device.schoolId,
			pupils.map((p) => p.id)
		),
		cards,
		adults: (await pupilContacts(ctx, device.schoolId)).map((a) => ({ id: a.id, name: a.name })),
		pupilIdle: ctx.config.pupilIdle,
		sealKey: await schoolSealKey(ctx, device.schoolId),
		fetchedAt: now.toISOString()
	};
}

/** A device says how it is: version, waiting items, storage, who is signed in, and what happened. */
export async function recordHeartbeat(
	ctx: AppContext,
	device: DeviceActor,
	beat: Heartbeat
): Promise<void> {
	const now = ctx.clock.now();
	const ownPupils = new Set(
		(await Promise.all(device.classIds.map((c) => listPupilsOfClass(ctx.db, device.schoolId, c))))
			.flat()
			.map((p) => p.id)
	);
	const signedIn =
		beat.signedInPupilId && ownPupils.has(beat.signedInPupilId) ? beat.signedInPupilId : null;
	// What the server knows and the device could not: a failed card from another class, and
	// a sign-in (made offline) with a card replaced since — kept, and flagged for the teacher.
	const flagged = new Map<string, 'other-class-card' | 'replaced-card-used'>();
	for (const event of beat.events) {
		if (!event.cardId) continue;
		const card = await findCard(ctx.db, device.schoolId, event.cardId);
		if (event.kind === 'scan-failed' && card && !ownPupils.has(card.pupilId))
			flagged.set(event.id, 'other-class-card');
		// Only a card replaced before the sign-in: one replaced afterwards was fine at the time.
		if (
			event.kind === 'signed-in' &&
			(!card || (card.revokedAt !== null && card.revokedAt <= event.at))
		) {
			flagged.set(event.id, 'replaced-card-used');
		}
	}
	for (const event of beat.events) {
		if (event.kind === 'picture-locked' && event.pupilId && ownPupils.has(event.pupilId)) {
			await recordPictureLock(ctx, device.schoolId, event.pupilId, event.at);
		}
	}
	await ctx.db.transaction().execute(async (trx) => {
		await recordContact(
			trx,
			device.schoolId,
			device.deviceId,
			{
				appVersion: beat.appVersion,
				queuedItems: beat.queuedItems,
				parkedItems: beat.parkedItems,
				storagePersisted: beat.storagePersisted,
				signedInPupilId: signedIn
			},
			now
		);
		await insertDeviceEvents(
			trx,
			device.schoolId,
			beat.events.map((e) => ({
				id: e.id,
				deviceId: device.deviceId,
				at: e.at,
				kind: flagged.get(e.id) ?? e.kind,
				pupilId: e.pupilId && ownPupils.has(e.pupilId) ? e.pupilId : null,
				detail: JSON.stringify({ reason: e.reason, cardId: e.cardId })
			}))
		);
	});
}

export async function devicesFor(ctx: AppContext, actor: StaffActor): Promise<DeviceRecord[]> {
	return (await listDevices(ctx.db, actor.schoolId)).filter((d) => deviceInScope(actor, d));
}

export async function deviceEventsFor(ctx: AppContext, actor: StaffActor) {
	const devices = await devicesFor(ctx, actor);
	return recentDeviceEvents(
		ctx.db,
		actor.schoolId,
		devices.map((d) => d.id)
	);
}

/** The Devices page: each device with its classes' and signed-in pupil's names, and recent events. */
export async function deviceOverview(ctx: AppContext, actor: StaffActor) {
	const [devices, events, classes] = await Promise.all([
		devicesFor(ctx, actor),
		deviceEventsFor(ctx, actor),
		listClasses(ctx.db, actor.schoolId)
	]);
	const parked = await listParked(
		ctx.db,
		actor.schoolId,
		devices.map((d) => d.id)
	);
	const pupilIds = [
		...new Set([...devices.map((d) => d.signedInPupilId), ...events.map((e) => e.pupilId)])
	];
	const names = await pupilNames(
		ctx.db,
		actor.schoolId,
		pupilIds.filter((id): id is string => id !== null)
	);
	const pupilName = (id: string | null) => (id ? (names.get(id) ?? null) : null);
	const classNames = new Map(classes.map((c) => [c.id, c.name]));
	return {
		devices: devices.map((d) => ({
			...d,
			classNames: d.classIds.map((id) => classNames.get(id) ?? '').filter(Boolean),
			signedInName: pupilName(d.signedInPupilId)
		})),
		events: events.map((e) => ({
			...e,
			deviceName: devices.find((d) => d.id === e.deviceId)?.name ?? '',
			pupilName: pupilName(e.pupilId)
		})),
		// What the server refused from these devices: the reason only, never a pupil's words.
		parked: parked.map((p) => ({
			...p,
			deviceName: devices.find((d) => d.id === p.deviceId)?.name ?? ''
		}))
	};
}

export async function revokeDeviceOf(
	ctx: AppContext,
	actor: StaffActor,
	deviceId: string
): Promise<Outcome> {
	const device = await getDevice(ctx.db, actor.schoolId, deviceId);
	if (!device || !deviceInScope(actor, device))
		return { ok: false, error: 'devices.error.notFound' };
	const now = ctx.clock.now();
	await audited(
		ctx,
		actor,
		{
			action: 'device.revoked',
			subjectType: 'device',
			subjectId: deviceId
		},
		async (trx) => {
			await revokeDevice(trx, actor.schoolId, deviceId, now);
		}
	);
	return { ok: true };
}

/** "Sign everyone out" for a class: each device signs out its pupil at its next contact. */
export async function signOutClass(
	ctx: AppContext,
	actor: StaffActor,
	classId: string
): Promise<Outcome> {
	if (!canUseClass(actor, classId)) return { ok: false, error: 'class.error.notFound' };
	const now = ctx.clock.now();
	await audited(
		ctx,
		actor,
		{
			action: 'class.everyone-signed-out',
			subjectType: 'class',
			subjectId: classId
		},
		async (trx) => {
			await markClassSignedOut(trx, actor.schoolId, classId, now);
		}
	);
	return { ok: true };
}

export const newEventId = (): string => randomUUID();
