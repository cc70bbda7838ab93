import { randomUUID } from 'node:crypto';
import Papa from 'papaparse';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	auditPageSize,
	emptyFilter,
	readAuditFilter,
	type AuditFilter
} from '$lib/domain/audit-log';
import { can } from '$lib/domain/roles';
import { requiredAction } from '$lib/domain/route-access';
import { translator } from '$lib/i18n/i18n.svelte';
import '$lib/i18n/audit-log';
import { appendAudit, listAudit } from '$lib/server/repositories/audit.repository';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import type { StaffActor } from '$lib/server/context';
import { auditExport, auditPage, type AuditPage } from '$lib/server/services/audit-log.service';
import { signIn } from '$lib/server/services/auth.service';
import { archivePupilOfClass } from '$lib/server/services/class.service';
import type { DeviceActor } from '$lib/server/services/device.service';
import { openReport, submitReport } from '$lib/server/services/report.service';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { enrolClassDevice, makeClass, makeSchool, makeStaff, teach } from './factories';

/**
 * The audit page: the DSL finds who saw and did what, by person, pupil (their reports
 * included), report, dates and kind; only their own school's entries; teachers and admins
 * are refused; and looking is itself recorded.
 */
describe(`audit page (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let dsl: StaffActor;
	let teacher: StaffActor;
	let teacherEmail: string;
	let classA: string;
	let device: DeviceActor;
	let nia: string;
	let ola: string;
	let niaReport: string;
	let olaReport: string;

	const t = translator('en');
	const translate = (key: string, values?: Record<string, string | number>) => t(key, values);

	const send = async (pupilId: string, words: string) => {
		const id = randomUUID();
		const sent = await submitReport(ctx, device, {
			id,
			createdAt: ctx.clock.now().toISOString(),
			classId: classA,
			pupilId,
			cardId: null,
			feeling: 'worried',
			topic: 'unkind',
			words,
			drawing: null,
			voice: null,
			talkTo: null,
			lang: 'en'
		});
		expect(sent.status).toBe(201);
		return id;
	};

	const page = async (filter: Partial<AuditFilter> = {}, actor = dsl): Promise<AuditPage> => {
		const result = await auditPage(ctx, actor, { ...emptyFilter, ...filter });
		if (!result.ok) throw new Error('refused');
		return result;
	};
	/** The entries a search finds, leaving out the page's own "looked at the audit log". */
	const found = async (filter: Partial<AuditFilter>) =>
		(await page(filter)).entries
			.filter((e) => e.action !== 'audit.view')
			.map((e) => `${e.action} ${JSON.stringify(e.about)}`);

	beforeEach(async () => {
		ctx = await freshDatabase();
		ctx.clock.set('2026-10-05T08:00:00.000Z');
		({ admin } = await makeSchool(ctx));
		classA = await makeClass(ctx, admin, 4, ['Nia R', 'Ola K']);
		const d = await makeStaff(ctx, admin, 'dsl', 'Dee Lead');
		const tt = await makeStaff(ctx, admin, 'teacher', 'Tom Teacher');
		dsl = d.actor;
		teacherEmail = tt.email;
		await teach(ctx, admin, classA, tt.id);
		teacher = { ...tt.actor, classIds: [classA] };
		device = await enrolClassDevice(ctx, admin, [classA]);
		const pupils = await listPupilsOfClass(ctx.db, admin.schoolId, classA);
		nia = pupils.find((p) => p.firstName === 'Nia')!.id;
		ola = pupils.find((p) => p.firstName === 'Ola')!.id;
		// Monday: Nia's report, opened by the teacher.
		niaReport = await send(nia, 'A secret worry about Nia');
		await openReport(ctx, teacher, niaReport);
		// Tuesday: Ola's report, opened by the DSL; Ola leaves.
		ctx.clock.set('2026-10-06T09:00:00.000Z');
		olaReport = await send(ola, 'A secret worry about Ola');
		await openReport(ctx, dsl, olaReport);
		// Wednesday: a failed sign-in for the teacher, then a good one.
		ctx.clock.set('2026-10-07T10:00:00.000Z');
		expect((await signIn(ctx, teacherEmail, 'not the password')).ok).toBe(false);
		expect((await signIn(ctx, teacherEmail, 'correct horse battery')).ok).toBe(true);
		await archivePupilOfClass(ctx, admin, classA, ola);
	});
	afterEach(() => ctx.close());

	it('lists the school’s entries newest first, each with who, what and about whom', async () => {
		const { entries, chain } = await page();
		expect(chain).toMatchObject({ ok: true });
		expect(entries[0]).toMatchObject({ action: 'audit.view', who: { name: 'Dee Lead' } });
		const seqs = entries.map((e) => e.seq);
		expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
		const failed = entries.find((e) => e.action === 'staff.sign-in-failed')!;
		expect(failed).toMatchObject({
			kind: 'failed-sign-in',
			who: { kind: 'signing-in' },
			about: { kind: 'staff', name: 'Tom Teacher' }
		});
		const view = entries.find((e) => e.action === 'report.view' && e.about?.kind === 'report')!;
		expect(view.about).toMatchObject({ kind: 'report', pupilName: 'Ola K.' });
		// Never the words of a worry.
		expect(JSON.stringify(entries)).not.toContain('secret worry');
	});

	it('filters by a member of staff: what they did and what was done to their account', async () => {
		const entries = (await found({ person: teacher.staffId })).map((e) => e.split(' ')[0]);
		expect(entries).toEqual([
			'staff.signed-in',
			'staff.sign-in-failed',
			'report.view',
			'staff.signed-in',
			// Their own password, chosen through the link made when the account was added.
			'staff.password-link-used',
			'staff.added',
			'staff.password-link-made'
		]);
	});

	it('filters by a pupil, finding the entries about their reports too', async () => {
		const niaEntries = await found({ pupil: nia });
		expect(niaEntries).toEqual([expect.stringContaining(`report.view`)]);
		expect(niaEntries[0]).toContain(niaReport);
		const olaEntries = (await found({ pupil: ola })).map((e) => e.split(' ')[0]);
		expect(olaEntries).toEqual(['pupil.archived', 'report.view']);
	});

	it('filters by a report, by its whole id or the reference shown', async () => {
		expect(await found({ report: olaReport })).toEqual([expect.stringContaining(olaReport)]);
		const ref = readAuditFilter(
			new URLSearchParams({ report: niaReport.slice(0, 8).toUpperCase() })
		);
		expect(ref.problem).toBeNull();
		expect(await found({ report: ref.filter.report })).toEqual([
			expect.stringContaining(niaReport)
		]);
		expect(readAuditFilter(new URLSearchParams({ report: "x' or 1=1 --" })).problem).toBe('report');
	});

	it('filters by the school’s days, from and to', async () => {
		const tuesday = (await found({ from: '2026-10-06', to: '2026-10-06' })).map(
			(e) => e.split(' ')[0]
		);
		expect(tuesday).toEqual(['report.view']);
		const fromWednesday = (await found({ from: '2026-10-07' })).map((e) => e.split(' ')[0]);
		expect(fromWednesday).toEqual(['pupil.archived', 'staff.signed-in', 'staff.sign-in-failed']);
		expect(
			readAuditFilter(new URLSearchParams({ from: '2026-10-07', to: '2026-10-06' })).problem
		).toBe('dates');
		expect(readAuditFilter(new URLSearchParams({ from: '2026-13-45' })).problem).toBe('dates');
	});

	it('filters by kind: views, actions, downloads, sign-ins and failed sign-ins', async () => {
		await auditExport(ctx, dsl, emptyFilter, translate);
		const actions = async (kind: AuditFilter['kind']) =>
			[...new Set((await page({ kind })).entries.map((e) => e.action))].sort();
		expect(await actions('failed-sign-in')).toEqual(['staff.sign-in-failed']);
		expect(await actions('sign-in')).toEqual(['staff.signed-in']);
		expect(await actions('view')).toEqual(['audit.view', 'report.view']);
		expect(await actions('export')).toEqual(['audit.export']);
		const changes = await actions('action');
		expect(changes).toContain('pupil.archived');
		expect(changes).toContain('staff.added');
		expect(changes).not.toContain('report.view');
		expect(changes).not.toContain('staff.signed-in');
	});

	it('shows only its own school: another school’s entries never appear', async () => {
		const other = await makeSchool(ctx);
		const otherClass = await makeClass(ctx, other.admin, 4, ['Zed Q']);
		const otherTeacher = await makeStaff(ctx, other.admin, 'teacher', 'Other Teacher');
		const otherPupil = (await listPupilsOfClass(ctx.db, other.admin.schoolId, otherClass))[0]!.id;
		const otherDevice = await enrolClassDevice(ctx, other.admin, [otherClass]);
		const otherReport = randomUUID();
		await submitReport(ctx, otherDevice, {
			id: otherReport,
			createdAt: ctx.clock.now().toISOString(),
			classId: otherClass,
			pupilId: otherPupil,
			cardId: null,
			feeling: 'worried',
			topic: 'unkind',
			words: 'Elsewhere',
			drawing: null,
			voice: null,
			talkTo: null,
			lang: 'en'
		});
		const otherDsl = await makeStaff(ctx, other.admin, 'dsl', 'Other Lead');
		await openReport(ctx, otherDsl.actor, otherReport);

		const all = await page();
		const otherIds = [otherTeacher.id, otherDsl.id, other.admin.staffId, otherReport, otherPupil];
		expect(JSON.stringify(all.entries)).not.toMatch(/Other (Teacher|Lead)|Zed/);
		expect(all.staff.map((s) => s.id)).not.toContain(otherTeacher.id);
		expect(all.pupils.map((p) => p.id)).not.toContain(otherPupil);
		expect(await found({ person: otherTeacher.id })).toEqual([]);
		expect(await found({ pupil: otherPupil })).toEqual([]);
		expect(await found({ report: otherReport })).toEqual([]);
		const csv = await auditExport(ctx, dsl, emptyFilter, translate);
		if (!csv.ok) throw new Error('refused');
		for (const id of otherIds) expect(csv.csv).not.toContain(id);
		expect(csv.csv).not.toMatch(/Other (Teacher|Lead)/);
	});

	it('refuses a teacher and an admin, at the route and in the service', async () => {
		expect(requiredAction('/(staff)/staff/audit')).toBe('audit.view');
		expect(requiredAction('/(staff)/staff/audit/export')).toBe('audit.view');
		expect(can('dsl', 'audit.view')).toBe(true);
		for (const role of ['admin', 'teacher', 'trip'] as const)
			expect(can(role, 'audit.view')).toBe(false);
		for (const actor of [teacher, admin]) {
			const before = (await listAudit(ctx.db, admin.schoolId)).length;
			expect(await auditPage(ctx, actor, emptyFilter)).toEqual({ ok: false, status: 403 });
			expect(await auditExport(ctx, actor, emptyFilter, translate)).toEqual({
				ok: false,
				status: 403
			});
			expect((await listAudit(ctx.db, admin.schoolId)).length).toBe(before);
		}
	});

	it('records each look at the page, and each download, with the filters used', async () => {
		await page({ pupil: nia, kind: 'view' });
		const [look] = await listAudit(ctx.db, admin.schoolId, 1);
		expect(look).toMatchObject({ action: 'audit.view', actorId: dsl.staffId });
		expect(JSON.parse(look!.detail)).toEqual({ pupil: nia, kind: 'view' });

		const csv = await auditExport(ctx, dsl, { ...emptyFilter, pupil: ola }, translate);
		if (!csv.ok) throw new Error('refused');
		const [download] = await listAudit(ctx.db, admin.schoolId, 1);
		expect(download).toMatchObject({ action: 'audit.export', actorId: dsl.staffId });
		expect(JSON.parse(download!.detail)).toEqual({ pupil: ola, rows: 2 });
		const rows = Papa.parse<string[]>(csv.csv.replace(/^\uFEFF/, ''), {
			skipEmptyLines: true
		}).data;
		expect(rows[0]).toEqual([
			'Entry',
			'When (Europe/London)',
			'Who',
			'Kind',
			'What',
			'About',
			'Action code'
		]);
		expect(rows.slice(1).map((r) => r[4])).toEqual(['Marked a pupil as left', 'Opened a report']);
		expect(csv.csv).not.toContain('secret worry');
	});

	it('pages through a long log, 100 at a time, with an older link', async () => {
		// More failed sign-ins than a page holds (written straight to the log: the lockout
		// would stop real ones after a few).
		for (let i = 0; i < auditPageSize + 20; i++)
			await ctx.db.transaction().execute((trx) =>
				appendAudit(trx, {
					schoolId: admin.schoolId,
					at: ctx.clock.now(),
					actorId: null,
					action: 'staff.sign-in-failed',
					subjectType: 'staff',
					subjectId: teacher.staffId
				})
			);
		const first = await page({ kind: 'failed-sign-in' });
		expect(first.entries).toHaveLength(auditPageSize);
		expect(first.olderBefore).toBe(first.entries.at(-1)!.seq);
		const second = await page({ kind: 'failed-sign-in', before: first.olderBefore });
		expect(second.entries.length).toBeGreaterThan(0);
		expect(second.entries[0]!.seq).toBeLessThan(first.olderBefore!);
		expect(second.olderBefore).toBeNull();
	});

	it('says when the chain is broken, naming the first changed entry', async () => {
		const target = (await listAudit(ctx.db, admin.schoolId, 1000)).find(
			(e) => e.action === 'report.view'
		)!;
		await sql`update audit set action = 'report.note' where school_id = ${admin.schoolId} and action = 'report.view' and at = ${target.at}`.execute(
			ctx.db
		);
		const { chain } = await page();
		expect(chain.ok).toBe(false);
		expect(chain.brokenAt).toMatchObject({ action: 'report.note', at: target.at });
	});
});
