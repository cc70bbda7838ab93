import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TripCheck } from '$lib/domain/trip';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { classIdsForStaff } from '$lib/server/repositories/class.repository';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import { checksOfTrip } from '$lib/server/repositories/trip.repository';
import { consentUses, tripSnapshot } from '$lib/server/services/consent.service';
import {
	authenticateDevice,
	createEnrolmentCode,
	devicesFor,
	enrolDevice
} from '$lib/server/services/device.service';
import { archivePupilOfClass } from '$lib/server/services/class.service';
import {
	authenticateTripDevice,
	endTripFromDevice,
	recordTripCheck,
	revokeTrip,
	tripClassChoices,
	tripsOverview,
	type TripActor
} from '$lib/server/services/trip.service';
import type { StaffActor } from '$lib/server/context';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { makeClass, makeSchool, makeStaff, teach } from './factories';

/** Trip devices after the download: their token, their logged checks, revoke and the end. */
describe(`trip devices (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let dsl: StaffActor;
	let teacherA: StaffActor;
	let teacherB: StaffActor;
	let tripLead: StaffActor;
	let classA: string;
	let classB: string;
	let pupilsA: string[];
	let pupilsB: string[];
	let useId: string;

	const hours = (n: number) => new Date(ctx.clock.now().getTime() + n * 3_600_000).toISOString();

	async function teacherOf(classId: string, name: string): Promise<StaffActor> {
		const t = await makeStaff(ctx, admin, 'teacher', name);
		await teach(ctx, admin, classId, t.id);
		return {
			...t.actor,
			classIds: await classIdsForStaff(ctx.db, admin.schoolId, t.id, ctx.clock.now())
		};
	}

	async function download(actor: StaffActor, classIds: string[], groupName = 'Castle trip') {
		const result = await tripSnapshot(ctx, actor, { classIds, groupName, endsAt: hours(8) });
		if (!result.ok) throw new Error(result.error);
		return result.download;
	}

	async function tripOf(token: string): Promise<TripActor> {
		const found = await authenticateTripDevice(ctx, token);
		if (found.status === 'none') throw new Error('no trip');
		return found.trip;
	}

	const check = (over: Partial<TripCheck> = {}): TripCheck => ({
		id: randomUUID(),
		useId,
		pupilIds: [pupilsA[0]!],
		answer: 'allowed',
		notAllowed: [],
		toCheck: [],
		checkedAt: ctx.clock.now().toISOString(),
		how: 'search',
		group: false,
		...over
	});

	beforeEach(async () => {
		ctx = await freshDatabase();
		ctx.clock.set(new Date('2026-11-22T10:00:00Z'));
		({ admin } = await makeSchool(ctx));
		classA = await makeClass(ctx, admin, 3, ['Nia R', 'Ola K']);
		classB = await makeClass(ctx, admin, 5, ['Ben T']);
		dsl = (await makeStaff(ctx, admin, 'dsl', 'Dee Lead')).actor;
		tripLead = (await makeStaff(ctx, admin, 'trip', 'Tia Trip')).actor;
		teacherA = await teacherOf(classA, 'Teacher A');
		teacherB = await teacherOf(classB, 'Teacher B');
		pupilsA = (await listPupilsOfClass(ctx.db, admin.schoolId, classA)).map((p) => p.id);
		pupilsB = (await listPupilsOfClass(ctx.db, admin.schoolId, classB)).map((p) => p.id);
		useId = (await consentUses(ctx, admin.schoolId))[0]!.id;
	});
	afterEach(() => ctx.close());

	it('makes the downloading device a trip device whose token opens trip APIs only', async () => {
		const got = await download(tripLead, [classA]);
		expect(got.snapshot.pupils.map((p) => p.id).sort()).toEqual([...pupilsA].sort());
		const trip = await tripOf(got.token);
		expect(trip).toMatchObject({
			deviceId: got.deviceId,
			staffId: tripLead.staffId,
			classIds: [classA],
			closedAt: null
		});
		// Not a class device: no roster, no reports, no lesson results with this token.
		expect(await authenticateDevice(ctx, got.token)).toEqual({ status: 'none' });
		expect(await authenticateTripDevice(ctx, 'made-up-token')).toEqual({ status: 'none' });
		expect(await authenticateTripDevice(ctx, null)).toEqual({ status: 'none' });
		// It is on the Devices page of the class's teacher, and of nobody else's class.
		expect((await devicesFor(ctx, teacherA)).map((d) => d.id)).toEqual([got.deviceId]);
		expect(await devicesFor(ctx, teacherB)).toEqual([]);
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(
			audit.find((a) => a.action === 'consent.snapshot-downloaded' && a.subjectId === got.deviceId)
		).toBeTruthy();
	});

	it('offers a teacher their own classes and trip staff every class', async () => {
		expect((await tripClassChoices(ctx, teacherA)).map((c) => c.id)).toEqual([classA]);
		expect((await tripClassChoices(ctx, tripLead)).map((c) => c.id).sort()).toEqual(
			[classA, classB].sort()
		);
	});

	it('stores a check once: a replay gets the first answer, another body with its id is refused', async () => {
		const trip = await tripOf((await download(tripLead, [classA])).token);
		const first = check();
		const stored = await recordTripCheck(ctx, trip, first);
		expect(stored.status).toBe(201);
		ctx.clock.advanceMinutes(1);
		const replay = await recordTripCheck(ctx, trip, first);
		expect(replay).toEqual({ status: 200, body: stored.body });
		const clash = await recordTripCheck(ctx, trip, { ...first, answer: 'not-allowed' });
		expect(clash.status).toBe(422);
		const [two, three] = await Promise.all([
			recordTripCheck(ctx, trip, { ...first, id: randomUUID() }),
			recordTripCheck(ctx, trip, check({ pupilIds: pupilsA, group: true, answer: 'check' }))
		]);
		expect([two.status, three.status]).toEqual([201, 201]);
		const rows = await checksOfTrip(ctx.db, admin.schoolId, trip.deviceId);
		expect(rows).toHaveLength(3);
		expect(rows.every((r) => r.staffId === tripLead.staffId)).toBe(true);
	});

	it('refuses a check naming a pupil not on the trip, an unknown use, or a malformed body, and stores nothing', async () => {
		const trip = await tripOf((await download(teacherA, [classA])).token);
		const refused = [
			[check({ pupilIds: [pupilsB[0]!] }), 403],
			[check({ pupilIds: [pupilsA[0]!, pupilsB[0]!], group: true }), 403],
			[check({ notAllowed: [pupilsB[0]!] }), 403],
			[check({ useId: 'no-such-use' }), 422],
			[{ ...check(), answer: 'maybe' }, 400],
			[{ ...check(), id: 'not-a-uuid' }, 400],
			[null, 400],
			['text', 400]
		] as const;
		for (const [body, status] of refused)
			expect((await recordTripCheck(ctx, trip, body)).status).toBe(status);
		expect(await checksOfTrip(ctx.db, admin.schoolId, trip.deviceId)).toEqual([]);
	});

	it('closes on revoke: earlier checks still arrive, later ones do not, and it is audited', async () => {
		const got = await download(tripLead, [classA]);
		const early = check();
		ctx.clock.advanceMinutes(60);
		expect(await revokeTrip(ctx, dsl, got.deviceId)).toEqual({ ok: true });
		const found = await authenticateTripDevice(ctx, got.token);
		expect(found.status).toBe('closed');
		if (found.status === 'none') return;
		expect((await recordTripCheck(ctx, found.trip, early)).status).toBe(201);
		// An iPad clock a few minutes fast is forgiven; ten minutes after the revoke is not.
		ctx.clock.advanceMinutes(3);
		expect((await recordTripCheck(ctx, found.trip, check())).status).toBe(201);
		ctx.clock.advanceMinutes(7);
		expect((await recordTripCheck(ctx, found.trip, check())).status).toBe(403);
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(
			audit.some(
				(a) =>
					a.action === 'device.revoked' && a.subjectId === got.deviceId && a.actorId === dsl.staffId
			)
		).toBe(true);
		expect((await tripsOverview(ctx, dsl))[0]!.state).toBe('revoked');
	});

	it('closes by itself at the end of the trip plus the grace period', async () => {
		const got = await download(tripLead, [classA]);
		ctx.clock.advanceMinutes((8 + 23) * 60);
		expect((await authenticateTripDevice(ctx, got.token)).status).toBe('ok');
		ctx.clock.advanceMinutes(2 * 60);
		expect((await authenticateTripDevice(ctx, got.token)).status).toBe('closed');
		expect((await tripsOverview(ctx, admin))[0]!.state).toBe('over');
	});

	it('ends from the device itself, once, audited for the member of staff who took it', async () => {
		const got = await download(tripLead, [classA]);
		const trip = await tripOf(got.token);
		await endTripFromDevice(ctx, trip);
		await endTripFromDevice(ctx, trip);
		expect((await authenticateTripDevice(ctx, got.token)).status).toBe('closed');
		const ended = (await listAudit(ctx.db, admin.schoolId)).filter(
			(a) => a.action === 'trip.ended-on-device'
		);
		expect(ended).toHaveLength(1);
		expect(ended[0]!.actorId).toBe(tripLead.staffId);
	});

	it('shows each teacher the trip lists of their classes and their own, and lets only them revoke', async () => {
		const ofA = await download(tripLead, [classA], 'Castle trip');
		const ofB = await download(teacherB, [classB], 'Pond dipping');
		expect((await tripsOverview(ctx, teacherA)).map((t) => t.groupName)).toEqual(['Castle trip']);
		expect((await tripsOverview(ctx, teacherB)).map((t) => t.groupName)).toEqual(['Pond dipping']);
		expect((await tripsOverview(ctx, dsl)).map((t) => t.groupName).sort()).toEqual([
			'Castle trip',
			'Pond dipping'
		]);
		const a = (await tripsOverview(ctx, admin)).find((t) => t.deviceId === ofA.deviceId)!;
		expect(a).toMatchObject({
			takenByName: 'Tia Trip',
			classNames: [expect.any(String)],
			pupilCount: 2,
			checks: 0,
			state: 'active'
		});
		expect(await revokeTrip(ctx, teacherA, ofB.deviceId)).toEqual({
			ok: false,
			error: 'consent.error.tripNotFound'
		});
		expect((await authenticateTripDevice(ctx, ofB.token)).status).toBe('ok');
		expect(await revokeTrip(ctx, teacherB, ofB.deviceId)).toEqual({ ok: true });
		expect((await authenticateTripDevice(ctx, ofB.token)).status).toBe('closed');
	});

	it('shows another school nothing of these trips, and takes none of its classes', async () => {
		const got = await download(tripLead, [classA]);
		const other = (await makeSchool(ctx)).admin;
		expect(await tripsOverview(ctx, other)).toEqual([]);
		expect(await revokeTrip(ctx, other, got.deviceId)).toMatchObject({ ok: false });
		expect((await authenticateTripDevice(ctx, got.token)).status).toBe('ok');
		expect(
			await tripSnapshot(ctx, other, { classIds: [classA], groupName: 'Trip', endsAt: hours(8) })
		).toMatchObject({ ok: false, status: 400 });
	});

	it('takes the grace period and the age limit from the settings', async () => {
		const got = await download(tripLead, [classA]);
		expect(got.snapshot).toMatchObject({ graceHours: 24, maxAgeHours: 48 });
		const other = await freshDatabase({ trip: { graceHours: 2, maxAgeHours: 6 } });
		try {
			const { admin: otherAdmin } = await makeSchool(other);
			const otherClass = await makeClass(other, otherAdmin, 2, ['Kit L']);
			const taken = await tripSnapshot(other, otherAdmin, {
				classIds: [otherClass],
				groupName: 'Short trip',
				endsAt: new Date(other.clock.now().getTime() + 3_600_000).toISOString()
			});
			expect(taken.ok && taken.download.snapshot).toMatchObject({ graceHours: 2, maxAgeHours: 6 });
			if (!taken.ok) return;
			other.clock.advanceMinutes(3 * 60 + 1);
			expect((await authenticateTripDevice(other, taken.download.token)).status).toBe('closed');
		} finally {
			await other.close();
		}
	});

	it('takes a named group: only the pupils chosen, and checks only for them', async () => {
		const result = await tripSnapshot(ctx, teacherA, {
			classIds: [classA],
			groupName: 'Choir',
			endsAt: hours(8),
			pupilIds: [pupilsA[1]!]
		});
		if (!result.ok) throw new Error(result.error);
		expect(result.download.snapshot.pupils.map((p) => p.id)).toEqual([pupilsA[1]]);
		const trip = await tripOf(result.download.token);
		expect((await recordTripCheck(ctx, trip, check({ pupilIds: [pupilsA[0]!] }))).status).toBe(403);
		expect((await recordTripCheck(ctx, trip, check({ pupilIds: [pupilsA[1]!] }))).status).toBe(201);
		expect((await tripsOverview(ctx, teacherA))[0]).toMatchObject({
			groupName: 'Choir',
			pupilCount: 1
		});
		for (const pupilIds of [[pupilsB[0]!], []])
			expect(
				await tripSnapshot(ctx, teacherA, {
					classIds: [classA],
					groupName: 'Choir',
					endsAt: hours(8),
					pupilIds
				})
			).toMatchObject({ ok: false, status: 400 });
	});

	it('still takes the checks of a pupil who left or moved class after the list was taken', async () => {
		const trip = await tripOf((await download(tripLead, [classA])).token);
		expect(await archivePupilOfClass(ctx, admin, classA, pupilsA[0]!)).toMatchObject({ ok: true });
		const stored = await recordTripCheck(ctx, trip, check({ pupilIds: pupilsA, group: true }));
		expect(stored.status).toBe(201);
		const [row] = await checksOfTrip(ctx.db, admin.schoolId, trip.deviceId);
		expect(row).toMatchObject({ group: true, pupilIds: pupilsA });
	});

	it('keeps class devices and trip devices apart: neither token opens the other kind of API', async () => {
		const code = await createEnrolmentCode(ctx, admin, { name: 'Class iPad', classIds: [classA] });
		if (!code.ok) throw new Error(code.error);
		const classDevice = await enrolDevice(ctx, code.code);
		if (!classDevice.ok) throw new Error(classDevice.error);
		expect(await authenticateTripDevice(ctx, classDevice.token)).toEqual({ status: 'none' });
		expect((await authenticateDevice(ctx, classDevice.token)).status).toBe('ok');
		const got = await download(tripLead, [classA]);
		expect(await authenticateDevice(ctx, got.token)).toEqual({ status: 'none' });
	});
});
