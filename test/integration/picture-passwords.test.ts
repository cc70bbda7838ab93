import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	freshPictureLock,
	isLockedAnywhere,
	picturePasswordInput
} from '$lib/domain/picture-password';
import { pbkdf2Hex } from '$lib/shared/pbkdf2';
import { listAudit } from '$lib/server/repositories/audit.repository';
import {
	makePicturePasswords,
	newPicturesForPupil,
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
import { makeClass, makeSchool, makeStaff, teach } from './factories';

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

	it('are replaced one pupil at a time: the old pictures stop working and any lock is cleared', async () => {
		const { admin } = await makeSchool(ctx);
		const classId = await makeClass(ctx, admin, 1, ['Nia R', 'Ola K']);
		const teacher = await makeStaff(ctx, admin, 'teacher');
		await teach(ctx, admin, classId, teacher.id);
		const actor = { ...teacher.actor, classIds: [classId] };
		await setClassPictures(ctx, actor, classId, true);
		const made = await makePicturePasswords(ctx, actor, classId, { kind: 'missing' });
		if (!made.ok) throw new Error(made.error);
		const old = made.slips[0]!;
		const other = made.slips[1]!;
		const device = await enrolClassDeviceFor(admin, classId);
		const entryOf = async (pupilId: string) =>
			(await rosterFor(ctx, device)).picturePasswords.find((p) => p.pupilId === pupilId)!;
		const opens = async (pupilId: string, pictures: readonly string[]) => {
			const entry = await entryOf(pupilId);
			const hash = await pbkdf2Hex(
				picturePasswordInput(pupilId, pictures as never),
				entry.salt,
				entry.iterations
			);
			return hash === entry.hash;
		};
		expect(await opens(old.pupilId, old.pictures)).toBe(true);

		// Five wrong tries on an iPad locked it; the new pictures clear that lock.
		ctx.clock.advanceMinutes(5);
		await recordHeartbeat(ctx, device, heartbeatWithLock(old.pupilId));
		expect(isLockedAnywhere(freshPictureLock, await entryOf(old.pupilId))).toBe(true);
		ctx.clock.advanceMinutes(5);

		const reset = await newPicturesForPupil(ctx, actor, classId, old.pupilId);
		if (!reset.ok) throw new Error(reset.error);
		expect(reset.replaced).toBe(true);
		expect(reset.slip).toMatchObject({ pupilId: old.pupilId, firstName: old.firstName });
		expect(reset.slip.pictures).toHaveLength(3);
		expect(await opens(old.pupilId, reset.slip.pictures)).toBe(true);
		// New pictures are never the old ones again, so the old ones always stop working.
		expect(reset.slip.pictures).not.toEqual(old.pictures);
		expect(await opens(old.pupilId, old.pictures)).toBe(false);
		expect(isLockedAnywhere(freshPictureLock, await entryOf(old.pupilId))).toBe(false);
		// The classmate's pictures are untouched.
		expect(await opens(other.pupilId, other.pictures)).toBe(true);

		const [entry] = await listAudit(ctx.db, admin.schoolId, 1);
		expect(entry).toMatchObject({
			action: 'pupil.picture-password-reset',
			actorId: teacher.id,
			subjectType: 'pupil',
			subjectId: old.pupilId
		});
		expect(JSON.stringify(entry)).not.toContain(reset.slip.pictures.join(','));
	});

	it('are replaced only by a teacher of the pupil’s class, or the admin, in the same school', async () => {
		const { admin } = await makeSchool(ctx);
		const mine = await makeClass(ctx, admin, 1, ['Nia R']);
		const theirs = await makeClass(ctx, admin, 1, ['Ola K']);
		const teacher = await makeStaff(ctx, admin, 'teacher');
		await teach(ctx, admin, mine, teacher.id);
		const actor = { ...teacher.actor, classIds: [mine] };
		const pupilOf = async (classId: string) =>
			(
				await ctx.db
					.selectFrom('pupil')
					.select('id')
					.where('class_id', '=', classId)
					.executeTakeFirstOrThrow()
			).id;
		const theirPupil = await pupilOf(theirs);
		const myPupil = await pupilOf(mine);
		const auditBefore = (await listAudit(ctx.db, admin.schoolId)).length;

		// Another class's pupil, whether named under their own class or slipped under mine.
		expect(await newPicturesForPupil(ctx, actor, theirs, theirPupil)).toEqual({
			ok: false,
			error: 'pupil.error.notFound'
		});
		expect(await newPicturesForPupil(ctx, actor, mine, theirPupil)).toEqual({
			ok: false,
			error: 'pupil.error.notFound'
		});
		// Another school's admin finds no such pupil.
		const elsewhere = await makeSchool(ctx);
		expect(await newPicturesForPupil(ctx, elsewhere.admin, mine, myPupil)).toEqual({
			ok: false,
			error: 'pupil.error.notFound'
		});
		expect(await pictureStatus(ctx, admin, theirs)).toMatchObject({ pupilsWithOne: new Set() });
		expect((await listAudit(ctx.db, admin.schoolId)).length).toBe(auditBefore);

		// A pupil with no pictures yet gets their first ones the same way.
		const first = await newPicturesForPupil(ctx, actor, mine, myPupil);
		expect(first).toMatchObject({ ok: true, replaced: false });
		expect((await listAudit(ctx.db, admin.schoolId, 1))[0]).toMatchObject({
			action: 'pupil.picture-password-made',
			subjectId: myPupil
		});
		expect(await newPicturesForPupil(ctx, admin, theirs, theirPupil)).toMatchObject({ ok: true });
	});

	async function enrolClassDeviceFor(
		admin: Parameters<typeof createEnrolmentCode>[1],
		classId: string
	) {
		const code = await createEnrolmentCode(ctx, admin, { name: 'iPad', classIds: [classId] });
		if (!code.ok) throw new Error(code.error);
		const enrolled = await enrolDevice(ctx, code.code);
		if (!enrolled.ok) throw new Error(enrolled.error);
		const found = await authenticateDevice(ctx, enrolled.token);
		if (found.status !== 'ok') throw new Error('no device');
		return found.device;
	}

	function heartbeatWithLock(pupilId: string) {
		return {
			appVersion: '0.1.0',
			queuedItems: 0,
			parkedItems: 0,
			storagePersisted: null,
			signedInPupilId: null,
			events: [
				{
					id: crypto.randomUUID(),
					at: ctx.clock.now().toISOString(),
					kind: 'picture-locked' as const,
					pupilId,
					cardId: null,
					reason: null
				}
			]
		};
	}
});
