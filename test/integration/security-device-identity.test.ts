import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportSubmission } from '$lib/domain/report';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import { issueCards } from '$lib/server/services/card.service';
import type { DeviceActor } from '$lib/server/services/device.service';
import {
	makePicturePasswords,
	setClassPictures
} from '$lib/server/services/picture-password.service';
import { inboxFor, openReport, submitReport } from '$lib/server/services/report.service';
import type { StaffActor } from '$lib/server/context';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { enrolClassDevice, makeClass, makeSchool, makeStaff } from './factories';

/**
 * A class iPad (or anyone holding its token) names the pupil a worry is from. The worry is
 * always kept; when nothing backs the name, staff are told so.
 */
describe(`security: who sent a report (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let dsl: StaffActor;
	let classA: string;
	let classB: string;
	let device: DeviceActor;
	let pupilA: string;
	let pupilB: string;

	const report = (over: Partial<ReportSubmission> = {}): ReportSubmission => ({
		id: randomUUID(),
		createdAt: ctx.clock.now().toISOString(),
		classId: classA,
		pupilId: pupilA,
		cardId: null,
		pictures: false,
		feeling: 'worried',
		topic: 'unkind',
		words: 'Someone keeps being unkind',
		drawing: null,
		voice: null,
		talkTo: null,
		lang: 'en',
		...over
	});
	const cardOf = async (classId: string, pupilId: string) => {
		const issued = await issueCards(ctx, admin, classId, { kind: 'pupil', pupilId });
		if (!issued.ok) throw new Error(issued.error);
		return issued.cards[0]!.token.split(':')[1]!;
	};
	const doubtOf = async (id: string) =>
		(await inboxFor(ctx, dsl)).items.find((i) => i.id === id)?.identityDoubt;

	beforeEach(async () => {
		ctx = await freshDatabase();
		({ admin } = await makeSchool(ctx));
		classA = await makeClass(ctx, admin, 4, ['Nia R', 'Ola K']);
		classB = await makeClass(ctx, admin, 6, ['Tomos P']);
		dsl = (await makeStaff(ctx, admin, 'dsl', 'Dee Lead')).actor;
		device = await enrolClassDevice(ctx, admin, [classA]);
		pupilA = (await listPupilsOfClass(ctx.db, admin.schoolId, classA))[0]!.id;
		pupilB = (await listPupilsOfClass(ctx.db, admin.schoolId, classB))[0]!.id;
	});
	afterEach(() => ctx.close());

	it('keeps a worry named for a pupil of another class, with no card, and flags it', async () => {
		const forged = report({ classId: classB, pupilId: pupilB });
		expect((await submitReport(ctx, device, forged)).status).toBe(201);
		expect(await doubtOf(forged.id)).toBe('pupil-not-in-device-classes');
		expect((await openReport(ctx, dsl, forged.id))?.identityDoubt).toBe(
			'pupil-not-in-device-classes'
		);
	});

	it('flags a pupil of another class even with that pupil’s own live card', async () => {
		const card = await cardOf(classB, pupilB);
		const forged = report({ classId: classB, pupilId: pupilB, cardId: card });
		expect((await submitReport(ctx, device, forged)).status).toBe(201);
		expect(await doubtOf(forged.id)).toBe('pupil-not-in-device-classes');
	});

	it('flags a name with no card and no picture sign-in behind it', async () => {
		const named = report();
		expect((await submitReport(ctx, device, named)).status).toBe(201);
		expect(await doubtOf(named.id)).toBe('no-card-or-picture-sign-in');
		// Saying "pictures" for a class that does not use picture passwords backs nothing.
		const claimed = report({ pictures: true });
		expect((await submitReport(ctx, device, claimed)).status).toBe(201);
		expect(await doubtOf(claimed.id)).toBe('no-card-or-picture-sign-in');
	});

	it('takes a picture sign-in as backing where the class uses them and the pupil has one', async () => {
		expect(await setClassPictures(ctx, admin, classA, true)).toEqual({ ok: true });
		const made = await makePicturePasswords(ctx, admin, classA, { kind: 'missing' });
		expect(made.ok).toBe(true);
		const signedIn = report({ pictures: true });
		expect((await submitReport(ctx, device, signedIn)).status).toBe(201);
		expect(await doubtOf(signedIn.id)).toBeNull();
	});

	it('leaves a normal card sign-in, and a worry from nobody named, without doubt', async () => {
		const card = await cardOf(classA, pupilA);
		const normal = report({ cardId: card });
		expect((await submitReport(ctx, device, normal)).status).toBe(201);
		expect(await doubtOf(normal.id)).toBeNull();
		const anonymous = report({ pupilId: null });
		expect((await submitReport(ctx, device, anonymous)).status).toBe(201);
		expect(await doubtOf(anonymous.id)).toBeNull();
	});

	it('still takes a worry from an older iPad that does not say how the pupil signed in', async () => {
		const { pictures: _unused, ...older } = report();
		void _unused;
		expect((await submitReport(ctx, device, older)).status).toBe(201);
		expect(await doubtOf(older.id)).toBe('no-card-or-picture-sign-in');
	});
});
