import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	addPupils,
	archivePupilOfClass,
	assignTeacher,
	classDetail,
	classesFor
} from '$lib/server/services/class.service';
import { setDisabled, staffOfSchool, unlock } from '$lib/server/services/staff.service';
import { lookUpSession } from '$lib/server/services/auth.service';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { makeClass, makeSchool, makeStaff, teach } from './factories';

describe(`every query is scoped to its school on ${dialectUnderTest}`, () => {
	let ctx: TestContext;
	beforeEach(async () => (ctx = await freshDatabase()));
	afterEach(async () => ctx.close());

	it('shows a second school nothing of the first', async () => {
		const a = await makeSchool(ctx);
		const b = await makeSchool(ctx);
		const classA = await makeClass(ctx, a.admin);
		const teacherA = await makeStaff(ctx, a.admin, 'teacher');

		expect(await classesFor(ctx, b.admin)).toEqual([]);
		expect((await staffOfSchool(ctx, b.admin)).map((s) => s.email)).toEqual([b.admin.email]);
		expect(await classDetail(ctx, b.admin, classA)).toBeUndefined();
		expect(
			await addPupils(ctx, b.admin, classA, [{ firstName: 'Zed', lastInitial: 'Q' }], 'hand')
		).toEqual({
			ok: false,
			error: 'class.error.notFound'
		});
		const pupilA = (await classDetail(ctx, a.admin, classA))!.pupils[0]!;
		expect(await archivePupilOfClass(ctx, b.admin, classA, pupilA.id)).toMatchObject({ ok: false });
		expect(await setDisabled(ctx, b.admin, teacherA.id, true)).toEqual({
			ok: false,
			error: 'staff.error.notFound'
		});
		expect(await unlock(ctx, b.admin, teacherA.id)).toEqual({
			ok: false,
			error: 'staff.error.notFound'
		});
		expect(await assignTeacher(ctx, b.admin, classA, teacherA.id, null)).toEqual({
			ok: false,
			error: 'class.error.notFound'
		});
		// And school A is untouched.
		expect((await classDetail(ctx, a.admin, classA))!.pupils).toHaveLength(2);
		expect(await lookUpSession(ctx, teacherA.token)).toMatchObject({ status: 'active' });
	});

	it('shows a teacher only the classes they teach, and the DSL every class', async () => {
		const { admin } = await makeSchool(ctx);
		const mine = await makeClass(ctx, admin, 1);
		const theirs = await makeClass(ctx, admin, 6);
		const teacher = await makeStaff(ctx, admin, 'teacher');
		const dsl = await makeStaff(ctx, admin, 'dsl');
		await teach(ctx, admin, mine, teacher.id);

		const session = await lookUpSession(ctx, teacher.token);
		if (session.status !== 'active') throw new Error('not signed in');
		expect((await classesFor(ctx, session.actor)).map((c) => c.id)).toEqual([mine]);
		expect(await classDetail(ctx, session.actor, theirs)).toBeUndefined();
		expect(await classDetail(ctx, session.actor, mine)).toMatchObject({
			id: mine,
			keyStage: 'KS1'
		});
		expect((await classesFor(ctx, dsl.actor)).map((c) => c.id).sort()).toEqual(
			[mine, theirs].sort()
		);
	});

	it('gives cover staff a class only during their cover', async () => {
		const { admin } = await makeSchool(ctx);
		const classId = await makeClass(ctx, admin);
		const cover = await makeStaff(ctx, admin, 'teacher');
		const now = ctx.clock.now();
		const from = new Date(now.getTime() + 60 * 60_000).toISOString();
		const until = new Date(now.getTime() + 3 * 60 * 60_000).toISOString();
		await teach(ctx, admin, classId, cover.id, { from, until });

		const classesNow = async () => {
			const s = await lookUpSession(ctx, cover.token);
			return s.status === 'active' ? s.actor.classIds : 'signed out';
		};
		// Time passes in steps shorter than the idle limit, as for someone at work.
		const after = async (minutes: number) => {
			for (let spent = 0; spent < minutes; spent += 9) {
				ctx.clock.advanceMinutes(9);
				await classesNow();
			}
			return classesNow();
		};
		expect(await classesNow()).toEqual([]);
		expect(await after(63)).toEqual([classId]);
		expect(await after(126)).toEqual([]);
	});

	it('only lets a teacher or the DSL be given a class', async () => {
		const { admin } = await makeSchool(ctx);
		const classId = await makeClass(ctx, admin);
		const trip = await makeStaff(ctx, admin, 'trip');
		expect(await assignTeacher(ctx, admin, classId, trip.id, null)).toEqual({
			ok: false,
			error: 'class.error.notATeacher'
		});
	});
});
