import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	freshPictureLock,
	isLockedAnywhere,
	picturePasswordInput
} from '$lib/domain/picture-password';
import { pbkdf2Hex } from '$lib/shared/pbkdf2';
import {
	makePicturePasswords,
	pictureStatus,
	setClassPictures,
	unlockPictures
} from '$lib/server/services/picture-password.service';
import {
	createEnrolmentCode,
	enrolDevice,
	recordHeartbeat,
	authenticateDevice,
	rosterFor
} from '$lib/server/services/device.service';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { makeClass, makeSchool, makeStaff } from './factories';

describe(`picture passwords on ${dialectUnderTest}`, () => {
	let ctx: TestContext;
	beforeEach(async () => (ctx = await freshDatabase()));
	afterEach(async () => ctx.close());

	it('are turned on per class, made once, kept only as a slow hash, and reach the device', async () => {
		const { admin } = await makeSchool(ctx);
		const classId = await makeClass(ctx, admin, 1, ['Nia R', 'Ola K']);
		expect((await pictureStatus(ctx, admin, classId)).on).toBe(false);
		expect(await setClassPictures(ctx, admin, classId, true)).toEqual({ ok: true });

		const made = await makePicturePasswords(ctx, admin, classId, { kind: 'missing' });
		if (!made.ok) throw new Error(made.error);
		expect(made.slips).toHaveLength(2);
		expect(await makePicturePasswords(ctx, admin, classId, { kind: 'missing' })).toEqual({
			ok: false,
			error: 'pictures.error.everyoneHasOne'
		});

		const code = await createEnrolmentCode(ctx, admin, { name: 'iPad', classIds: [classId] });
		if (!code.ok) throw new Error(code.error);
		const enrolled = await enrolDevice(ctx, code.code);
		if (!enrolled.ok) throw new Error(enrolled.error);
		const found = await authenticateDevice(ctx, enrolled.token);
		if (found.status !== 'ok') throw new Error('no device');
		const roster = await rosterFor(ctx, found.device);
		expect(roster.classes[0]!.picturePasswords).toBe(true);
		const slip = made.slips[0]!;
		const entry = roster.picturePasswords.find((p) => p.pupilId === slip.pupilId)!;
		expect(entry.iterations).toBeGreaterThanOrEqual(100_000);
		expect(
			await pbkdf2Hex(
				picturePasswordInput(slip.pupilId, slip.pictures),
				entry.salt,
				entry.iterations
			)
		).toBe(entry.hash);
		expect(JSON.stringify(roster)).not.toContain(slip.pictures.join(','));

		// A device reports a lock: every iPad of the class learns it from the roster.
		ctx.clock.advanceMinutes(5);
		await recordHeartbeat(ctx, found.device, {
			appVersion: '0.1.0',
			queuedItems: 0,
			parkedItems: 0,
			storagePersisted: null,
			signedInPupilId: null,
			events: [
				{
					id: crypto.randomUUID(),
					at: ctx.clock.now().toISOString(),
					kind: 'picture-locked',
					pupilId: slip.pupilId,
					cardId: null,
					reason: null
				}
			]
		});
		const locked = (await rosterFor(ctx, found.device)).picturePasswords.find(
			(p) => p.pupilId === slip.pupilId
		)!;
		expect(isLockedAnywhere(freshPictureLock, locked)).toBe(true);

		// A teacher's unlock moves the unlock time on, which the device compares with its lock.
		ctx.clock.advanceMinutes(5);
		expect(await unlockPictures(ctx, admin, slip.pupilId)).toEqual({ ok: true });
		const after = (await rosterFor(ctx, found.device)).picturePasswords.find(
			(p) => p.pupilId === slip.pupilId
		)!;
		expect(after.unlockedAt! > entry.unlockedAt!).toBe(true);
		expect(isLockedAnywhere(freshPictureLock, after)).toBe(false);
	});

	it('are only a teacher’s own classes’ to change', async () => {
		const { admin } = await makeSchool(ctx);
		const classId = await makeClass(ctx, admin);
		const teacher = await makeStaff(ctx, admin, 'teacher');
		const pupilId = (await ctx.db.selectFrom('pupil').select('id').executeTakeFirstOrThrow()).id;
		expect(await setClassPictures(ctx, teacher.actor, classId, true)).toEqual({
			ok: false,
			error: 'class.error.notFound'
		});
		expect(
			await makePicturePasswords(ctx, teacher.actor, classId, { kind: 'missing' })
		).toMatchObject({ ok: false });
		expect(await unlockPictures(ctx, teacher.actor, pupilId)).toEqual({
			ok: false,
			error: 'pupil.error.notFound'
		});
	});
});
