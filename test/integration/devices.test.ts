import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cardHashInput, parseCardToken } from '$lib/domain/pupil-card';
import { hashToken } from '$lib/server/ids';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { issueCards, voidClassCards } from '$lib/server/services/card.service';
import { classDetail } from '$lib/server/services/class.service';
import {
	authenticateDevice,
	createEnrolmentCode,
	deviceEventsFor,
	devicesFor,
	enrolDevice,
	recordHeartbeat,
	revokeDeviceOf,
	rosterFor,
	signOutClass
} from '$lib/server/services/device.service';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { makeClass, makeSchool, makeStaff, teach } from './factories';

describe(`class devices and pupil cards on ${dialectUnderTest}`, () => {
	let ctx: TestContext;
	beforeEach(async () => (ctx = await freshDatabase()));
	afterEach(async () => ctx.close());

	async function schoolWithTwoClasses() {
		const { admin } = await makeSchool(ctx);
		const classA = await makeClass(ctx, admin, 1, ['Nia R', 'Ola K']);
		const classB = await makeClass(ctx, admin, 5, ['Ben A', 'Cleo B']);
		return { admin, classA, classB };
	}

	async function enrol(admin: Parameters<typeof createEnrolmentCode>[1], classIds: string[]) {
		const made = await createEnrolmentCode(ctx, admin, { name: 'iPad 1', classIds });
		if (!made.ok) throw new Error(made.error);
		const enrolled = await enrolDevice(ctx, made.code);
		if (!enrolled.ok) throw new Error(enrolled.error);
		const found = await authenticateDevice(ctx, enrolled.token);
		if (found.status !== 'ok') throw new Error('not enrolled');
		return { token: enrolled.token, device: found.device, code: made.code };
	}

	it('enrols a device with a one-time code that expires after ten minutes', async () => {
		const { admin, classA } = await schoolWithTwoClasses();
		const { code, device, token } = await enrol(admin, [classA]);
		expect(device.classIds).toEqual([classA]);
		// Single use: a replay is refused and makes no second device.
		expect(await enrolDevice(ctx, code)).toEqual({ ok: false, error: 'enrol.error.used' });
		expect(await enrolDevice(ctx, 'A'.repeat(24))).toEqual({
			ok: false,
			error: 'enrol.error.unknown'
		});

		const late = await createEnrolmentCode(ctx, admin, { name: 'iPad 2', classIds: [classA] });
		if (!late.ok) throw new Error(late.error);
		ctx.clock.advanceMinutes(10);
		expect(await enrolDevice(ctx, late.code)).toEqual({ ok: false, error: 'enrol.error.expired' });
		expect(await devicesFor(ctx, admin)).toHaveLength(1);

		// Only hashes are kept.
		const row = await ctx.db.selectFrom('device').select('token_hash').executeTakeFirstOrThrow();
		expect(row.token_hash).toBe(hashToken(token));
		const codes = await ctx.db.selectFrom('enrolment_code').select('code_hash').execute();
		expect(codes.map((c) => c.code_hash)).not.toContain(code);
	});

	it('lets only one of two simultaneous redemptions of a code through', async () => {
		const { admin, classA } = await schoolWithTwoClasses();
		const made = await createEnrolmentCode(ctx, admin, { name: 'iPad', classIds: [classA] });
		if (!made.ok) throw new Error(made.error);
		const results = await Promise.all([1, 2, 3].map(() => enrolDevice(ctx, made.code)));
		expect(results.filter((r) => r.ok)).toHaveLength(1);
	});

	it('gives a device only its own classes’ pupils and live cards, as hashes', async () => {
		const { admin, classA, classB } = await schoolWithTwoClasses();
		const issuedA = await issueCards(ctx, admin, classA, { kind: 'missing' });
		await issueCards(ctx, admin, classB, { kind: 'missing' });
		if (!issuedA.ok) throw new Error(issuedA.error);
		const { device } = await enrol(admin, [classA]);

		const roster = await rosterFor(ctx, device);
		expect(roster.classes.map((c) => c.id)).toEqual([classA]);
		expect(roster.pupils.map((p) => p.firstName).sort()).toEqual(['Nia', 'Ola']);
		expect(roster.cards).toHaveLength(2);
		const card = parseCardToken(issuedA.cards[0]!.token);
		if (!card.ok) throw new Error('bad token');
		const inRoster = roster.cards.find((c) => c.cardId === card.cardId)!;
		expect(inRoster.secretHash).toBe(hashToken(cardHashInput(card.cardId, card.secret)));
		expect(JSON.stringify(roster)).not.toContain(card.secret);
		expect(roster.pupilIdle).toEqual({ ks1Minutes: 5, ks2Minutes: 10 });
	});

	it('stops an old card working when it is reissued, and every card when the class is voided', async () => {
		const { admin, classA } = await schoolWithTwoClasses();
		const { device } = await enrol(admin, [classA]);
		const first = await issueCards(ctx, admin, classA, { kind: 'missing' });
		if (!first.ok) throw new Error(first.error);
		expect(await issueCards(ctx, admin, classA, { kind: 'missing' })).toEqual({
			ok: false,
			error: 'cards.error.everyoneHasOne'
		});

		const pupilId = first.cards[0]!.pupilId;
		const again = await issueCards(ctx, admin, classA, { kind: 'pupil', pupilId });
		if (!again.ok) throw new Error(again.error);
		const ids = (await rosterFor(ctx, device)).cards.map((c) => c.cardId);
		const oldId = (parseCardToken(first.cards[0]!.token) as { cardId: string }).cardId;
		const newId = (parseCardToken(again.cards[0]!.token) as { cardId: string }).cardId;
		expect(ids).not.toContain(oldId);
		expect(ids).toContain(newId);

		expect(await voidClassCards(ctx, admin, classA)).toEqual({ ok: true, voided: 2 });
		expect((await rosterFor(ctx, device)).cards).toEqual([]);
		const actions = (await listAudit(ctx.db, admin.schoolId)).map((a) => a.action);
		expect(actions).toEqual(
			expect.arrayContaining(['card.issued', 'card.class-voided', 'device.enrolled'])
		);
	});

	it('lets cards expire at the end of the school year', async () => {
		const { admin, classA } = await schoolWithTwoClasses();
		const { device } = await enrol(admin, [classA]);
		await issueCards(ctx, admin, classA, { kind: 'missing' });
		expect((await rosterFor(ctx, device)).cards).toHaveLength(2);
		ctx.clock.advanceMinutes(365 * 24 * 60);
		expect((await rosterFor(ctx, device)).cards).toHaveLength(0);
	});

	it('refuses a revoked device at once', async () => {
		const { admin, classA } = await schoolWithTwoClasses();
		const { device, token } = await enrol(admin, [classA]);
		expect(await revokeDeviceOf(ctx, admin, device.deviceId)).toEqual({ ok: true });
		expect(await authenticateDevice(ctx, token)).toEqual({ status: 'revoked' });
		expect(await authenticateDevice(ctx, 'made-up-token')).toEqual({ status: 'none' });
	});

	it('records what devices report, and spots a card from another class', async () => {
		const { admin, classA, classB } = await schoolWithTwoClasses();
		const cardsB = await issueCards(ctx, admin, classB, { kind: 'missing' });
		if (!cardsB.ok) throw new Error(cardsB.error);
		const { device } = await enrol(admin, [classA]);
		const pupilA = (await classDetail(ctx, admin, classA))!.pupils[0]!;
		const pupilB = (await classDetail(ctx, admin, classB))!.pupils[0]!;
		const otherCard = (parseCardToken(cardsB.cards[0]!.token) as { cardId: string }).cardId;
		const at = ctx.clock.now().toISOString();
		await recordHeartbeat(ctx, device, {
			appVersion: '0.1.0',
			queuedItems: 3,
			parkedItems: 0,
			storagePersisted: true,
			signedInPupilId: pupilA.id,
			events: [
				{
					id: crypto.randomUUID(),
					at,
					kind: 'signed-in',
					pupilId: pupilA.id,
					cardId: null,
					reason: null
				},
				{
					id: crypto.randomUUID(),
					at,
					kind: 'scan-failed',
					pupilId: null,
					cardId: otherCard,
					reason: 'unknown'
				},
				{
					id: crypto.randomUUID(),
					at,
					kind: 'scan-failed',
					pupilId: null,
					cardId: 'ZZZZZZZZ',
					reason: 'unknown'
				},
				// Signed in offline with a card that has since been replaced: kept, and flagged.
				{
					id: crypto.randomUUID(),
					at,
					kind: 'signed-in',
					pupilId: pupilA.id,
					cardId: 'QQQQQQQQ',
					reason: null
				},
				// A device cannot claim a pupil of another class.
				{
					id: crypto.randomUUID(),
					at,
					kind: 'signed-in',
					pupilId: pupilB.id,
					cardId: null,
					reason: null
				}
			]
		});
		const [listed] = await devicesFor(ctx, admin);
		expect(listed).toMatchObject({
			appVersion: '0.1.0',
			queuedItems: 3,
			parkedItems: 0,
			storagePersisted: 'yes',
			signedInPupilId: pupilA.id
		});
		const events = await deviceEventsFor(ctx, admin);
		expect(events.map((e) => e.kind).sort()).toEqual([
			'other-class-card',
			'replaced-card-used',
			'scan-failed',
			'signed-in',
			'signed-in'
		]);
		expect(events.filter((e) => e.pupilId === pupilB.id)).toEqual([]);
	});

	it('flags a sign-in made with a card replaced before it, but not one replaced afterwards', async () => {
		const { admin, classA } = await schoolWithTwoClasses();
		const { device } = await enrol(admin, [classA]);
		const first = await issueCards(ctx, admin, classA, { kind: 'missing' });
		if (!first.ok) throw new Error(first.error);
		const [one, two] = first.cards;
		const cardOf = (token: string) => (parseCardToken(token) as { cardId: string }).cardId;
		const signedIn = (pupilId: string, cardId: string, at: Date) => ({
			id: crypto.randomUUID(),
			at: at.toISOString(),
			kind: 'signed-in' as const,
			pupilId,
			cardId,
			reason: null
		});
		// Card one is replaced; then the iPad (offline all along) reports a sign-in with it.
		await issueCards(ctx, admin, classA, { kind: 'pupil', pupilId: one!.pupilId });
		ctx.clock.advanceMinutes(1);
		const late = signedIn(one!.pupilId, cardOf(one!.token), ctx.clock.now());
		// Card two was used first and replaced only afterwards.
		const early = signedIn(two!.pupilId, cardOf(two!.token), ctx.clock.now());
		ctx.clock.advanceMinutes(1);
		await issueCards(ctx, admin, classA, { kind: 'pupil', pupilId: two!.pupilId });
		await recordHeartbeat(ctx, device, {
			appVersion: '0.1.0',
			queuedItems: 0,
			parkedItems: 0,
			storagePersisted: null,
			signedInPupilId: null,
			events: [late, early]
		});
		const events = await deviceEventsFor(ctx, admin);
		expect(events.find((e) => e.id === late.id)?.kind).toBe('replaced-card-used');
		expect(events.find((e) => e.id === early.id)?.kind).toBe('signed-in');
	});

	it('tells every device of a class when a teacher signs everyone out', async () => {
		const { admin, classA } = await schoolWithTwoClasses();
		const { device } = await enrol(admin, [classA]);
		const before = await rosterFor(ctx, device);
		expect(before.classes[0]!.signedOutAt).toBeNull();
		ctx.clock.advanceMinutes(1);
		expect(await signOutClass(ctx, admin, classA)).toEqual({ ok: true });
		const after = await rosterFor(ctx, device);
		// A device compares this with the roster time its pupil signed in with: both the server's.
		expect(after.classes[0]!.signedOutAt! > before.fetchedAt).toBe(true);
	});

	it('shows a teacher only the devices of their classes, and lets them act only on those', async () => {
		const { admin, classA, classB } = await schoolWithTwoClasses();
		const teacher = await makeStaff(ctx, admin, 'teacher');
		await teach(ctx, admin, classA, teacher.id);
		const teacherActor = { ...teacher.actor, classIds: [classA] };
		const a = await enrol(admin, [classA]);
		const b = await enrol(admin, [classB]);
		expect((await devicesFor(ctx, teacherActor)).map((d) => d.id)).toEqual([a.device.deviceId]);
		expect(await revokeDeviceOf(ctx, teacherActor, b.device.deviceId)).toEqual({
			ok: false,
			error: 'devices.error.notFound'
		});
		expect(await createEnrolmentCode(ctx, teacherActor, { name: 'x', classIds: [classB] })).toEqual(
			{
				ok: false,
				error: 'class.error.notFound'
			}
		);
		expect(await issueCards(ctx, teacherActor, classB, { kind: 'all' })).toEqual({
			ok: false,
			error: 'class.error.notFound'
		});
		expect(await signOutClass(ctx, teacherActor, classB)).toEqual({
			ok: false,
			error: 'class.error.notFound'
		});
		expect(await signOutClass(ctx, teacherActor, classA)).toEqual({ ok: true });
		const roster = await rosterFor(ctx, a.device);
		expect(roster.classes[0]!.signedOutAt).not.toBeNull();
	});

	it('keeps devices and cards of one school away from another', async () => {
		const one = await schoolWithTwoClasses();
		const other = await makeSchool(ctx);
		const { device } = await enrol(one.admin, [one.classA]);
		expect(await devicesFor(ctx, other.admin)).toEqual([]);
		expect(await revokeDeviceOf(ctx, other.admin, device.deviceId)).toMatchObject({ ok: false });
		expect(await issueCards(ctx, other.admin, one.classA, { kind: 'all' })).toMatchObject({
			ok: false
		});
		expect(
			await createEnrolmentCode(ctx, other.admin, { name: 'x', classIds: [one.classA] })
		).toMatchObject({ ok: false });
		// Another school's iPad never holds this school's cards, so they sign nobody in there.
		const issued = await issueCards(ctx, one.admin, one.classA, { kind: 'missing' });
		if (!issued.ok) throw new Error(issued.error);
		const theirClass = await makeClass(ctx, other.admin, 1, ['Ivy Q']);
		const theirs = await enrol(other.admin, [theirClass]);
		const theirRoster = await rosterFor(ctx, theirs.device);
		const ours = issued.cards.map((c) => (parseCardToken(c.token) as { cardId: string }).cardId);
		expect(theirRoster.cards.map((c) => c.cardId).filter((id) => ours.includes(id))).toEqual([]);
		expect(theirRoster.pupils.map((p) => p.firstName)).toEqual(['Ivy']);
	});
});
