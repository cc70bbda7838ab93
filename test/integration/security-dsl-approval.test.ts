import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportSubmission } from '$lib/domain/report';
import { canAct } from '$lib/domain/roles';
import type { StaffActor } from '$lib/server/context';
import { hashToken } from '$lib/server/ids';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { listDslNotices } from '$lib/server/repositories/dsl-notice.repository';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import { countSessionsOfStaff } from '$lib/server/repositories/session.repository';
import {
	accountNotices,
	decideNotice,
	markNoticesSeen
} from '$lib/server/services/approval.service';
import { auditPage } from '$lib/server/services/audit-log.service';
import { consentOverview, pupilConsent } from '$lib/server/services/consent.service';
import { classResults } from '$lib/server/services/lesson.service';
import { inboxStreamViewer } from '$lib/server/services/inbox-stream.service';
import { resetSecondFactor } from '$lib/server/services/second-factor.service';
import { setDisabled, setPupilContact } from '$lib/server/services/staff.service';
import { tellDsl } from '$lib/server/repositories/dsl-notice.repository';
import { lookUpSession, signIn } from '$lib/server/services/auth.service';
import { assignTeacher, classDetail, classesFor } from '$lib/server/services/class.service';
import {
	newPasswordLink,
	passwordLinkFor,
	setPasswordWithLink
} from '$lib/server/services/password-link.service';
import {
	inboxFor,
	openReport,
	pupilContacts,
	reportCounts,
	submitReport
} from '$lib/server/services/report.service';
import { createSchoolWithAdmin } from '$lib/server/services/setup.service';
import { addStaff } from '$lib/server/services/staff.service';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import {
	enrolClassDevice,
	makeClass,
	makeSchool,
	makeStaff,
	password,
	signInFully,
	teach
} from './factories';

/**
 * The attack: an admin adds a DSL account with a password the admin chose, signs in as it and
 * reads every child's worry. Now new accounts get a one-time link instead of a password, and a
 * new DSL (or a teacher newly put on a class) sees nothing until an existing DSL approves.
 */
describe(`no way round the DSL (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let dsl: { id: string; actor: StaffActor };
	let classA: string;
	let reportId: string;

	const ownPassword = 'Wrens fly past nine windows';

	/** Signs in as someone and gives the actor the app would act for, from their session. */
	const sessionActor = async (email: string, pass = ownPassword): Promise<StaffActor> => {
		// A DSL and an admin need a second factor: sign in all the way, as the app does.
		const signedIn = await signInFully(ctx, email, pass);
		const session = await lookUpSession(ctx, signedIn.token);
		if (session.status !== 'active') throw new Error('no session');
		return session.actor;
	};

	const file = async (classId: string, talkTo: string | null = null): Promise<string> => {
		const device = await enrolClassDevice(ctx, admin, [classId]);
		const pupil = (await listPupilsOfClass(ctx.db, admin.schoolId, classId))[0]!;
		const body: ReportSubmission = {
			id: randomUUID(),
			createdAt: ctx.clock.now().toISOString(),
			classId,
			pupilId: pupil.id,
			cardId: null,
			feeling: 'worried',
			topic: 'unkind',
			words: 'Someone in a game keeps saying mean things',
			drawing: null,
			voice: null,
			talkTo,
			lang: 'en'
		};
		expect((await submitReport(ctx, device, body)).status).toBe(201);
		return body.id;
	};

	beforeEach(async () => {
		ctx = await freshDatabase();
		({ admin } = await makeSchool(ctx));
		const d = await makeStaff(ctx, admin, 'dsl', 'Dee Lead');
		dsl = { id: d.id, actor: d.actor };
		classA = await makeClass(ctx, admin, 4, ['Nia R', 'Ola K']);
		reportId = await file(classA);
	});
	afterEach(async () => ctx.close());

	it('gives an admin-made DSL no report until an existing DSL approves it, then all of them', async () => {
		const added = await addStaff(ctx, admin, {
			name: 'Mallory Newlead',
			email: 'm.newlead@school.example',
			role: 'dsl'
		});
		if (!added.ok) throw new Error(added.error);
		// The admin holds the link, but it sets a password; it never signs anyone in.
		expect(await setPasswordWithLink(ctx, added.token, ownPassword)).toEqual({ ok: true });
		expect(await countSessionsOfStaff(ctx.db, admin.schoolId, added.staffId)).toBe(0);

		const pending = await sessionActor('m.newlead@school.example');
		expect(pending.pendingApproval).toBe(true);
		expect(canAct(pending, 'report.view')).toBe(false);
		expect(canAct(pending, 'report.export')).toBe(false);
		expect(canAct(pending, 'account.approve')).toBe(false);
		expect((await inboxFor(ctx, pending)).items).toEqual([]);
		expect(await openReport(ctx, pending, reportId)).toBeNull();
		expect(await reportCounts(ctx, pending)).toEqual({ urgentOpen: 0, unopened: 0 });

		// The existing DSL sees it waiting, with who did it, and approves it.
		const waiting = (await accountNotices(ctx, dsl.actor)).filter((n) => n.waiting);
		expect(waiting).toEqual([
			expect.objectContaining({
				waiting: 'account',
				staffName: 'Mallory Newlead',
				actorName: 'Ada Admin'
			})
		]);
		// Nobody approves their own account, even by calling the service.
		expect(await decideNotice(ctx, pending, waiting[0]!.id, 'approve')).toEqual({
			ok: false,
			error: 'accountApproval.error.notYourself'
		});
		expect(await decideNotice(ctx, dsl.actor, waiting[0]!.id, 'approve')).toEqual({ ok: true });

		const approved = await sessionActor('m.newlead@school.example');
		expect(approved.pendingApproval).toBeUndefined();
		expect((await inboxFor(ctx, approved)).items.map((i) => i.id)).toEqual([reportId]);
		expect(await openReport(ctx, approved, reportId)).not.toBeNull();

		// The audit shows who approved what; a second decision changes nothing.
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(
			audit.filter((a) => a.action === 'staff.account-approved' && a.subjectId === added.staffId)
		).toEqual([expect.objectContaining({ actorId: dsl.id, subjectId: added.staffId })]);
		expect(await decideNotice(ctx, dsl.actor, waiting[0]!.id, 'refuse')).toMatchObject({
			ok: false
		});
	});

	it('takes the first DSL of a new school from setup, in effect at once, with a link of their own', async () => {
		const made = await createSchoolWithAdmin(
			ctx,
			{
				schoolName: 'Brand New School',
				adminName: 'Ada Admin',
				email: 'ada@new.example',
				password
			},
			{ firstRun: false, dsl: { name: 'Fay First', email: 'fay@new.example' } }
		);
		if (!made.ok || !made.dsl) throw new Error('no school');
		// Nobody knows the DSL's password until they choose it.
		expect(await signIn(ctx, 'fay@new.example', password)).toMatchObject({ ok: false });
		expect(await setPasswordWithLink(ctx, made.dsl.token, ownPassword)).toEqual({ ok: true });
		const first = await sessionActor('fay@new.example');
		expect(first.pendingApproval).toBeUndefined();
		expect(canAct(first, 'report.view')).toBe(true);
		expect(canAct(first, 'account.approve')).toBe(true);
	});

	it('disables a DSL account the DSL refuses, and it stays waiting if enabled again', async () => {
		const added = await addStaff(ctx, admin, {
			name: 'Rhys Refused',
			email: 'rhys@school.example',
			role: 'dsl'
		});
		if (!added.ok) throw new Error(added.error);
		await setPasswordWithLink(ctx, added.token, ownPassword);
		const notice = (await accountNotices(ctx, dsl.actor)).find((n) => n.waiting)!;
		expect(await decideNotice(ctx, dsl.actor, notice.id, 'refuse')).toEqual({ ok: true });
		expect(await signIn(ctx, 'rhys@school.example', ownPassword)).toEqual({
			ok: false,
			reason: 'refused'
		});
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(audit.filter((a) => a.action === 'staff.account-refused')).toEqual([
			expect.objectContaining({ actorId: dsl.id, subjectId: added.staffId })
		]);
	});

	it('gives a teacher newly put on a class no sight of its reports until the DSL approves', async () => {
		const teacher = await makeStaff(ctx, admin, 'teacher', 'Tess Newclass');
		const classB = await makeClass(ctx, admin, 6, ['Tomos P']);
		const reportB = await file(classB);
		expect(await assignTeacher(ctx, admin, classA, teacher.id, null)).toEqual({ ok: true });
		expect(await assignTeacher(ctx, admin, classB, teacher.id, null)).toEqual({ ok: true });

		const before = await sessionActor(teacher.email, password);
		expect(before.classIds).toEqual([]);
		expect((await inboxFor(ctx, before)).items).toEqual([]);
		expect(await openReport(ctx, before, reportId)).toBeNull();
		// The class page shows the assignment as waiting.
		expect((await classDetail(ctx, admin, classA))?.staff).toEqual([
			expect.objectContaining({ staffId: teacher.id, pending: true })
		]);

		const waiting = (await accountNotices(ctx, dsl.actor)).filter((n) => n.waiting === 'class');
		expect(waiting.map((n) => n.staffName)).toEqual(['Tess Newclass', 'Tess Newclass']);
		const classNameA = (await classDetail(ctx, admin, classA))!.name;
		const a = waiting.find((n) => n.className === classNameA)!;
		const b = waiting.find((n) => n.className !== classNameA)!;
		expect(await decideNotice(ctx, dsl.actor, a.id, 'approve')).toEqual({ ok: true });
		expect(await decideNotice(ctx, dsl.actor, b.id, 'refuse')).toEqual({ ok: true });

		const after = await sessionActor(teacher.email, password);
		expect(after.classIds).toEqual([classA]);
		expect((await inboxFor(ctx, after)).items.map((i) => i.id)).toEqual([reportId]);
		expect(await openReport(ctx, after, reportB)).toBeNull();
		// The refused assignment is gone from the class.
		expect((await classDetail(ctx, admin, classB))?.staff).toEqual([]);
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(audit.filter((x) => x.action === 'class.assignment-approved')).toEqual([
			expect.objectContaining({ actorId: dsl.id, subjectId: classA })
		]);
		expect(audit.filter((x) => x.action === 'class.assignment-refused')).toEqual([
			expect.objectContaining({ actorId: dsl.id, subjectId: classB })
		]);
	});

	it('tells the DSL of every new account, class assignment and password reset', async () => {
		const teacher = await addStaff(ctx, admin, {
			name: 'Tom New',
			email: 'tom.new@school.example',
			role: 'teacher'
		});
		const lead = await addStaff(ctx, admin, {
			name: 'Lee New',
			email: 'lee.new@school.example',
			role: 'dsl'
		});
		const office = await addStaff(ctx, admin, {
			name: 'Olu Office',
			email: 'olu@school.example',
			role: 'admin'
		});
		if (!teacher.ok || !lead.ok || !office.ok) throw new Error('not added');
		await assignTeacher(ctx, admin, classA, teacher.staffId, null);
		await newPasswordLink(ctx, admin, office.staffId);

		const ours = new Set([teacher.staffId, lead.staffId, office.staffId]);
		const notices = (await listDslNotices(ctx.db, admin.schoolId)).filter(
			(n) => n.staffId && ours.has(n.staffId)
		);
		const told = notices.map((n) => [n.kind, n.staffId, n.actorId]);
		expect(told).toEqual(
			expect.arrayContaining([
				['staff-added', teacher.staffId, admin.staffId],
				['approval-needed', lead.staffId, admin.staffId],
				['staff-added', office.staffId, admin.staffId],
				['approval-needed', teacher.staffId, admin.staffId],
				['password-reset', office.staffId, admin.staffId]
			])
		);
		expect(notices).toHaveLength(5);
	});

	it('makes set-password links of 128 random bits, kept only as a hash, used once, for 60 minutes', async () => {
		const added = await addStaff(ctx, admin, {
			name: 'Lynn Link',
			email: 'lynn@school.example',
			role: 'teacher'
		});
		if (!added.ok) throw new Error(added.error);
		expect(Buffer.from(added.token, 'base64url')).toHaveLength(16);
		const rows = await ctx.db
			.selectFrom('password_link')
			.selectAll()
			.where('staff_id', '=', added.staffId)
			.execute();
		expect(rows.map((r) => r.token_hash)).toEqual([hashToken(added.token)]);
		expect(JSON.stringify(rows)).not.toContain(added.token);
		// Nobody knows the new account's password before the link is used.
		expect(await signIn(ctx, 'lynn@school.example', '')).toMatchObject({ ok: false });

		// 59 minutes on it still works; it works once.
		ctx.clock.advanceMinutes(59);
		expect(await passwordLinkFor(ctx, added.token)).toMatchObject({ ok: true, name: 'Lynn Link' });
		expect(await setPasswordWithLink(ctx, added.token, ownPassword)).toEqual({ ok: true });
		expect(await setPasswordWithLink(ctx, added.token, 'another long password')).toEqual({
			ok: false,
			error: 'password.linkGone'
		});
		expect(await signIn(ctx, 'lynn@school.example', ownPassword)).toMatchObject({ ok: true });

		// A reset link ends the person's sessions and old password, and lasts 60 minutes only.
		const session = await signIn(ctx, 'lynn@school.example', ownPassword);
		if (!session.ok) throw new Error('not signed in');
		const reset = await newPasswordLink(ctx, admin, added.staffId);
		if (!reset.ok) throw new Error(reset.error);
		expect(await lookUpSession(ctx, session.sessionToken)).toEqual({ status: 'none' });
		expect(await signIn(ctx, 'lynn@school.example', ownPassword)).toMatchObject({ ok: false });
		ctx.clock.advanceMinutes(60);
		expect(await passwordLinkFor(ctx, reset.token)).toEqual({
			ok: false,
			error: 'password.linkGone'
		});
		expect(await setPasswordWithLink(ctx, reset.token, ownPassword)).toEqual({
			ok: false,
			error: 'password.linkGone'
		});
		// An unknown token is the same answer.
		expect(await setPasswordWithLink(ctx, 'not-a-token', ownPassword)).toEqual({
			ok: false,
			error: 'password.linkGone'
		});

		const audit = await listAudit(ctx.db, admin.schoolId);
		const linkEntries = audit.filter((a) => a.subjectId === added.staffId).map((a) => a.action);
		expect(linkEntries).toEqual(
			expect.arrayContaining([
				'staff.password-link-made',
				'staff.password-link-used',
				'staff.password-link-made'
			])
		);
		expect(linkEntries.filter((a) => a === 'staff.password-link-made')).toHaveLength(2);
	});

	// ---- Review of the merged work: ways round the DSL that were still open ----

	/** The notices about one person still waiting for a DSL's decision, as the DSL sees them. */
	const waitingFor = async (name: string) =>
		(await accountNotices(ctx, dsl.actor)).filter((n) => n.waiting && n.staffName === name);

	const emptyFilter = {
		person: null,
		pupil: null,
		report: null,
		from: null,
		to: null,
		kind: null,
		before: null
	};

	it('puts an approved DSL back on approval when the admin resets their password and second factor (the takeover)', async () => {
		const sam = await makeStaff(ctx, admin, 'dsl', 'Sam Second');
		await signInFully(ctx, sam.email, password);
		// The admin's takeover: a new link (the admin sets the password), the second factor
		// reset, and the admin's own phone enrolled at the next sign-in.
		const link = await newPasswordLink(ctx, admin, sam.id);
		if (!link.ok) throw new Error(link.error);
		expect(await setPasswordWithLink(ctx, link.token, ownPassword)).toEqual({ ok: true });
		expect(await resetSecondFactor(ctx, admin, sam.id)).toEqual({ ok: true });
		const taken = await sessionActor(sam.email);
		expect(taken.pendingApproval).toBe(true);
		expect((await inboxFor(ctx, taken)).items).toEqual([]);
		expect(await openReport(ctx, taken, reportId)).toBeNull();

		// The account cannot clear or approve what is about itself.
		const waiting = await waitingFor('Sam Second');
		expect(waiting.map((n) => n.waiting)).toEqual(['account']);
		expect(await decideNotice(ctx, taken, waiting[0]!.id, 'approve')).toMatchObject({ ok: false });
		await markNoticesSeen(ctx, taken);
		const aboutSam = (await listDslNotices(ctx.db, admin.schoolId, 1000)).filter(
			(n) => n.staffId === sam.id && ['password-reset', 'second-factor-reset'].includes(n.kind)
		);
		expect(aboutSam.map((n) => [n.kind, n.seenAt])).toEqual(
			expect.arrayContaining([
				['password-reset', null],
				['second-factor-reset', null]
			])
		);

		// Another DSL approves: the sight of reports comes back.
		expect(await decideNotice(ctx, dsl.actor, waiting[0]!.id, 'approve')).toEqual({ ok: true });
		const back = await sessionActor(sam.email);
		expect(back.pendingApproval).toBeUndefined();
		expect((await inboxFor(ctx, back)).items.map((i) => i.id)).toEqual([reportId]);
	});

	it('refuses an admin reset of the only DSL (password link or second factor)', async () => {
		await signInFully(ctx, dsl.actor.email, password);
		expect(await newPasswordLink(ctx, admin, dsl.id)).toEqual({
			ok: false,
			error: 'accountApproval.error.onlyDsl'
		});
		expect(await resetSecondFactor(ctx, admin, dsl.id)).toEqual({
			ok: false,
			error: 'accountApproval.error.onlyDsl'
		});
		const still = await sessionActor(dsl.actor.email, password);
		expect(still.pendingApproval).toBeUndefined();
	});

	it("puts a teacher's classes back on approval after an admin's password link", async () => {
		const teacher = await makeStaff(ctx, admin, 'teacher', 'Tia Taken');
		await teach(ctx, admin, classA, teacher.id);
		const link = await newPasswordLink(ctx, admin, teacher.id);
		if (!link.ok) throw new Error(link.error);
		expect(await setPasswordWithLink(ctx, link.token, ownPassword)).toEqual({ ok: true });
		const taken = await sessionActor(teacher.email);
		expect(taken.classIds).toEqual([]);
		expect((await inboxFor(ctx, taken)).items).toEqual([]);
		expect(await openReport(ctx, taken, reportId)).toBeNull();

		const waiting = await waitingFor('Tia Taken');
		expect(waiting.map((n) => n.waiting)).toEqual(['class']);
		expect(await decideNotice(ctx, dsl.actor, waiting[0]!.id, 'approve')).toEqual({ ok: true });
		const back = await sessionActor(teacher.email);
		expect(back.classIds).toEqual([classA]);
		expect((await inboxFor(ctx, back)).items.map((i) => i.id)).toEqual([reportId]);
	});

	it('puts a DSL enabled again by the admin back on approval, and tells the DSL', async () => {
		const sam = await makeStaff(ctx, admin, 'dsl', 'Sam Second');
		expect(await setDisabled(ctx, admin, sam.id, true)).toEqual({ ok: true });
		expect(await setDisabled(ctx, admin, sam.id, false)).toEqual({ ok: true });
		const back = await sessionActor(sam.email, password);
		expect(back.pendingApproval).toBe(true);
		expect(await openReport(ctx, back, reportId)).toBeNull();
		expect((await waitingFor('Sam Second')).map((n) => n.waiting)).toEqual(['account']);
	});

	it('never hides an unseen notice behind newer ones', async () => {
		const old = await ctx.db.transaction().execute((trx) =>
			tellDsl(trx, {
				schoolId: admin.schoolId,
				at: ctx.clock.now(),
				kind: 'password-reset',
				actorId: admin.staffId,
				staffId: dsl.id
			})
		);
		ctx.clock.advanceMinutes(1);
		await ctx.db.transaction().execute(async (trx) => {
			for (let i = 0; i < 60; i++)
				await tellDsl(trx, {
					schoolId: admin.schoolId,
					at: ctx.clock.now(),
					kind: 'staff-added',
					actorId: admin.staffId,
					staffId: admin.staffId
				});
		});
		expect((await accountNotices(ctx, dsl.actor)).map((n) => n.id)).toContain(old);
	});

	it('gives a DSL waiting for approval nothing of the school: no audit log, no-photos reasons, classes, pupils, results or counts', async () => {
		const added = await addStaff(ctx, admin, {
			name: 'Pat Pending',
			email: 'pat@school.example',
			role: 'dsl'
		});
		if (!added.ok) throw new Error(added.error);
		await setPasswordWithLink(ctx, added.token, ownPassword);
		const pending = await sessionActor('pat@school.example');
		expect(pending.pendingApproval).toBe(true);
		for (const action of [
			'audit.view',
			'consent.reason',
			'consent.view',
			'class.view',
			'pupil.view',
			'lesson.results',
			'trip.snapshot'
		] as const)
			expect(canAct(pending, action)).toBe(false);
		expect(canAct(pending, 'account.change-password')).toBe(true);

		expect(await auditPage(ctx, pending, emptyFilter)).toEqual({ ok: false, status: 403 });
		const pupil = (await listPupilsOfClass(ctx.db, admin.schoolId, classA))[0]!;
		expect(await pupilConsent(ctx, pending, pupil.id)).toBeNull();
		expect(await consentOverview(ctx, pending, classA)).toBeNull();
		expect(await classesFor(ctx, pending)).toEqual([]);
		expect(await classDetail(ctx, pending, classA)).toBeUndefined();
		expect(await classResults(ctx, pending, classA)).toMatchObject({ ok: false });
		expect(await reportCounts(ctx, pending)).toEqual({ urgentOpen: 0, unopened: 0 });
	});

	it("puts nobody on the pupils' list of adults without the DSL's approval, and shows a report to its adult only while approved", async () => {
		const teacher = await makeStaff(ctx, admin, 'teacher', 'Cara Contact');
		expect(await setPupilContact(ctx, admin, teacher.id, true)).toEqual({ ok: true });
		expect((await pupilContacts(ctx, admin.schoolId)).map((a) => a.id)).not.toContain(teacher.id);
		const waiting = await waitingFor('Cara Contact');
		expect(waiting.map((n) => n.waiting)).toEqual(['contact']);

		// A DSL waiting for approval cannot be put on the list at all.
		const added = await addStaff(ctx, admin, {
			name: 'Pat Pending',
			email: 'pat@school.example',
			role: 'dsl'
		});
		if (!added.ok) throw new Error(added.error);
		expect(await setPupilContact(ctx, admin, added.staffId, true)).toMatchObject({ ok: false });
		expect((await pupilContacts(ctx, admin.schoolId)).map((a) => a.id)).not.toContain(
			added.staffId
		);

		expect(await decideNotice(ctx, dsl.actor, waiting[0]!.id, 'approve')).toEqual({ ok: true });
		expect((await pupilContacts(ctx, admin.schoolId)).map((a) => a.id)).toContain(teacher.id);
		const chosen = await file(classA, teacher.id);
		const approved = await sessionActor(teacher.email, password);
		expect((await inboxFor(ctx, approved)).items.map((i) => i.id)).toEqual([chosen]);

		// After an admin's reset the report waits for the DSL again.
		const link = await newPasswordLink(ctx, admin, teacher.id);
		if (!link.ok) throw new Error(link.error);
		await setPasswordWithLink(ctx, link.token, ownPassword);
		const taken = await sessionActor(teacher.email);
		expect((await inboxFor(ctx, taken)).items).toEqual([]);
		expect(await openReport(ctx, taken, chosen)).toBeNull();
		expect(await reportCounts(ctx, taken)).toEqual({ urgentOpen: 0, unopened: 0 });
		expect((await pupilContacts(ctx, admin.schoolId)).map((a) => a.id)).not.toContain(teacher.id);

		// An approved DSL put on the list: the DSL is told.
		expect(await setPupilContact(ctx, admin, dsl.id, true)).toEqual({ ok: true });
		const told = (await listDslNotices(ctx.db, admin.schoolId, 1000)).filter(
			(n) => n.staffId === dsl.id && n.kind === 'pupil-contact'
		);
		expect(told).toHaveLength(1);
	});

	it('closes an open inbox stream once the session ends or the account may no longer see reports', async () => {
		const sam = await makeStaff(ctx, admin, 'dsl', 'Sam Second');
		const full = await signInFully(ctx, sam.email, password);
		expect((await inboxStreamViewer(ctx, full.token))?.staffId).toBe(sam.id);
		// Half signed in (password only) is no viewer.
		const half = await signIn(ctx, sam.email, password);
		if (!half.ok) throw new Error('not signed in');
		expect(await inboxStreamViewer(ctx, half.sessionToken)).toBeNull();
		// The admin turns the account off: the stream's next event finds no viewer.
		await setDisabled(ctx, admin, sam.id, true);
		expect(await inboxStreamViewer(ctx, full.token)).toBeNull();

		// A DSL waiting for approval has a full session but no sight of reports.
		const added = await addStaff(ctx, admin, {
			name: 'Pat Pending',
			email: 'pat@school.example',
			role: 'dsl'
		});
		if (!added.ok) throw new Error(added.error);
		await setPasswordWithLink(ctx, added.token, ownPassword);
		const pending = await signInFully(ctx, 'pat@school.example', ownPassword);
		expect(await inboxStreamViewer(ctx, pending.token)).toBeNull();
	});
});
