import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tripCheckSkewMs, type TripCheck } from '$lib/domain/trip';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import { checksOfTrip } from '$lib/server/repositories/trip.repository';
import { consentUses, tripSnapshot } from '$lib/server/services/consent.service';
import {
	authenticateTripDevice,
	recordTripCheck,
	revokeTrip,
	type TripActor
} from '$lib/server/services/trip.service';
import type { StaffActor } from '$lib/server/context';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { makeClass, makeSchool, makeStaff } from './factories';

/**
 * A trip token in the wrong hands (or kept after a revoke) writes photo checks into the
 * school's record. Only checks made while the list was open are taken.
 */
describe(`security: trip tokens (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let dsl: StaffActor;
	let lead: StaffActor;
	let classA: string;
	let pupils: string[];
	let useId: string;
	let takenAt: number;

	const at = (ms: number) => new Date(ms).toISOString();
	const minutes = (n: number) => n * 60_000;
	const check = (checkedAt: string): TripCheck => ({
		id: randomUUID(),
		useId,
		pupilIds: [pupils[0]!],
		answer: 'allowed',
		notAllowed: [],
		toCheck: [],
		checkedAt,
		how: 'search',
		group: false
	});

	async function download(hoursLong = 8) {
		const endsAt = at(ctx.clock.now().getTime() + hoursLong * 3_600_000);
		const result = await tripSnapshot(ctx, lead, {
			classIds: [classA],
			groupName: 'Castle trip',
			endsAt
		});
		if (!result.ok) throw new Error(result.error);
		takenAt = Date.parse(result.download.snapshot.takenAt);
		return result.download;
	}
	async function tripOf(token: string): Promise<TripActor> {
		const found = await authenticateTripDevice(ctx, token);
		if (found.status === 'none') throw new Error('no trip');
		return found.trip;
	}
	const stored = async (deviceId: string) =>
		(await checksOfTrip(ctx.db, admin.schoolId, deviceId)).length;

	beforeEach(async () => {
		ctx = await freshDatabase();
		ctx.clock.set(new Date('2026-11-22T10:00:00Z'));
		({ admin } = await makeSchool(ctx));
		classA = await makeClass(ctx, admin, 3, ['Nia R', 'Ola K']);
		dsl = (await makeStaff(ctx, admin, 'dsl', 'Dee Lead')).actor;
		lead = (await makeStaff(ctx, admin, 'trip', 'Tia Trip')).actor;
		pupils = (await listPupilsOfClass(ctx.db, admin.schoolId, classA)).map((p) => p.id);
		useId = (await consentUses(ctx, admin.schoolId))[0]!.id;
	});
	afterEach(() => ctx.close());

	it('refuses a revoked token’s checks dated before the list was taken or after the revoke', async () => {
		const got = await download();
		ctx.clock.advanceMinutes(60);
		expect(await revokeTrip(ctx, dsl, got.deviceId)).toEqual({ ok: true });
		const revokedAt = ctx.clock.now().getTime();
		ctx.clock.advanceMinutes(30);
		const trip = await tripOf(got.token);
		// The attack: 23 checks, one dated a year before the list existed.
		const forged = [
			check(at(takenAt - 365 * 86_400_000)),
			...Array.from({ length: 22 }, (_, i) => check(at(revokedAt + minutes(10 + i))))
		];
		for (const c of forged) {
			const answer = await recordTripCheck(ctx, trip, c);
			expect(answer.status).toBe(403);
			expect('error' in answer.body && answer.body.error).toMatch(/\w/);
		}
		expect(await stored(got.deviceId)).toBe(0);
		// Checks really made while the list was open still reach the school's record.
		expect((await recordTripCheck(ctx, trip, check(at(takenAt + minutes(30))))).status).toBe(201);
		expect(await stored(got.deviceId)).toBe(1);
	});

	it('refuses a check dated before the list was taken, even on an open list', async () => {
		const got = await download();
		const trip = await tripOf(got.token);
		const early = await recordTripCheck(ctx, trip, check(at(takenAt - tripCheckSkewMs - 1000)));
		expect(early.status).toBe(403);
		expect('error' in early.body && early.body.error).toContain('before');
		expect(await stored(got.deviceId)).toBe(0);
	});

	it('refuses a check dated after the end of the trip and its grace period', async () => {
		const got = await download();
		const trip = await tripOf(got.token);
		const wipe = Date.parse(got.snapshot.endsAt) + got.snapshot.graceHours * 3_600_000;
		// Sent from an open list, dated after it must be gone.
		const later = await recordTripCheck(ctx, trip, check(at(wipe + tripCheckSkewMs + 1000)));
		expect(later.status).toBe(403);
		// And sent once the list has closed by itself.
		ctx.clock.set(new Date(wipe + minutes(60)));
		const closed = await tripOf(got.token);
		expect((await recordTripCheck(ctx, closed, check(at(wipe + minutes(30))))).status).toBe(403);
		expect(await stored(got.deviceId)).toBe(0);
		// A check made on the last evening arrives late and is kept.
		expect((await recordTripCheck(ctx, closed, check(at(wipe - minutes(30))))).status).toBe(201);
	});

	it('refuses a check dated in the future', async () => {
		const got = await download();
		const trip = await tripOf(got.token);
		const now = ctx.clock.now().getTime();
		expect((await recordTripCheck(ctx, trip, check(at(now + minutes(60))))).status).toBe(403);
		expect(await stored(got.deviceId)).toBe(0);
	});

	it('accepts checks within the documented clock skew of the list’s start and its revoke', async () => {
		const got = await download();
		const trip = await tripOf(got.token);
		expect(
			(await recordTripCheck(ctx, trip, check(at(takenAt - tripCheckSkewMs + 1000)))).status
		).toBe(201);
		ctx.clock.advanceMinutes(60);
		await revokeTrip(ctx, dsl, got.deviceId);
		const revokedAt = ctx.clock.now().getTime();
		const closed = await tripOf(got.token);
		ctx.clock.advanceMinutes(10);
		expect(
			(await recordTripCheck(ctx, closed, check(at(revokedAt + tripCheckSkewMs - 1000)))).status
		).toBe(201);
		expect(await stored(got.deviceId)).toBe(2);
	});
});
