import { randomUUID } from 'node:crypto';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportSubmission } from '$lib/domain/report';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { classIdsForStaff } from '$lib/server/repositories/class.repository';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import { readRange } from '$lib/server/report-range';
import type { DeviceActor } from '$lib/server/services/device.service';
import {
	addReportEvent,
	alertUnseen,
	inboxFor,
	incidentLog,
	openReport,
	overdueList,
	reportCounts,
	submitReport
} from '$lib/server/services/report.service';
import type { StaffActor } from '$lib/server/context';
import { translator } from '$lib/i18n/i18n.svelte';
import '$lib/i18n/reports';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { enrolClassDevice, makeClass, makeSchool, makeStaff, teach } from './factories';

/** What staff see of the record: the incident log, the choices they make, the inbox's order. */
describe(`the staff side of the record (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let classA: string;
	let teacher: StaffActor;
	let otherTeacher: StaffActor;
	let dsl: StaffActor;
	let device: DeviceActor;
	let pupilA: string;

	const report = (over: Partial<ReportSubmission> = {}): ReportSubmission => ({
		id: randomUUID(),
		createdAt: ctx.clock.now().toISOString(),
		classId: classA,
		pupilId: pupilA,
		cardId: null,
		feeling: 'worried',
		topic: 'unkind',
		words: 'Someone in a game keeps saying mean things',
		drawing: null,
		voice: null,
		talkTo: null,
		lang: 'en',
		...over
	});

	/** A report received at `at` (UTC); returns its id. */
	const sendAt = async (at: string, over: Partial<ReportSubmission> = {}) => {
		ctx.clock.set(at);
		const body = report(over);
		expect((await submitReport(ctx, device, body)).status).toBe(201);
		return body.id;
	};

	const act = async (actor: StaffActor, id: string, at: string, input: unknown) => {
		ctx.clock.set(at);
		const done = await addReportEvent(ctx, actor, id, input);
		expect(done).toEqual({ ok: true });
	};

	beforeEach(async () => {
		ctx = await freshDatabase();
		({ admin } = await makeSchool(ctx));
		classA = await makeClass(ctx, admin, 4, ['Nia R', 'Ola K']);
		const otherClass = await makeClass(ctx, admin, 6, ['Tomos P']);
		const t = await makeStaff(ctx, admin, 'teacher', 'Gwen Teacher');
		const o = await makeStaff(ctx, admin, 'teacher', 'Owen Other');
		const d = await makeStaff(ctx, admin, 'dsl', 'Dee Lead');
		await teach(ctx, admin, classA, t.id);
		await teach(ctx, admin, otherClass, o.id);
		const fresh = async (actor: StaffActor) => ({
			...actor,
			classIds: await classIdsForStaff(ctx.db, actor.schoolId, actor.staffId, ctx.clock.now())
		});
		teacher = await fresh(t.actor);
		otherTeacher = await fresh(o.actor);
		dsl = d.actor;
		device = await enrolClassDevice(ctx, admin, [classA]);
		pupilA = (await listPupilsOfClass(ctx.db, admin.schoolId, classA))[0]!.id;
	});
	afterEach(() => ctx.close());

	describe('the incident log', () => {
		const zone = 'Europe/London';
		const english = translator('en');
		const t = (key: string, values?: Record<string, string | number>) => english(key, values);
		const rangeOf = (from: string, to: string) =>
			readRange(new URLSearchParams({ from, to }), ctx.clock.now(), 30, zone)!;
		const rowsOf = (csv: string) => {
			expect(csv.startsWith('\uFEFF')).toBe(true);
			const parsed = Papa.parse<Record<string, string>>(csv.slice(1), {
				header: true,
				skipEmptyLines: true
			});
			expect(parsed.errors).toEqual([]);
			return { header: parsed.meta.fields ?? [], rows: parsed.data };
		};

		it('carries every event with who did it, in the school’s time, in summer and in winter', async () => {
			// Summer: 13:05 UTC is 14:05 in London (British Summer Time).
			const summer = await sendAt('2026-07-01T13:05:00.000Z', {
				words: '=SUM(A1) "quoted" <b>not bold</b>'
			});
			ctx.clock.set('2026-07-01T13:10:00.000Z');
			await openReport(ctx, teacher, summer);
			await act(teacher, summer, '2026-07-01T13:20:00.000Z', {
				kind: 'note',
				text: 'Spoke to Nia at lunch.'
			});
			await act(teacher, summer, '2026-07-01T13:25:00.000Z', {
				kind: 'person-involved',
				name: 'Ola K',
				role: 'pupil'
			});
			await act(teacher, summer, '2026-07-01T13:26:00.000Z', {
				kind: 'person-involved',
				name: '=Uncle Bob',
				role: 'unknown-adult'
			});
			await act(dsl, summer, '2026-07-01T13:40:00.000Z', {
				kind: 'referred',
				to: 'social-care',
				reference: 'CSC-4411',
				text: 'Rang the front door team.'
			});
			await act(dsl, summer, '2026-07-01T13:45:00.000Z', {
				kind: 'incident-category',
				category: 'unknown-contact'
			});
			await act(dsl, summer, '2026-07-01T15:00:00.000Z', {
				kind: 'closed',
				outcome: 'referred-on',
				text: 'Social care are leading.'
			});
			// Winter: 14:05 UTC is 14:05 in London (Greenwich Mean Time).
			const winter = await sendAt('2026-11-03T14:05:00.000Z');
			await act(teacher, winter, '2026-11-03T14:35:00.000Z', {
				kind: 'talked-with-child',
				text: 'At afternoon break.'
			});

			ctx.clock.set('2026-12-01T09:00:00.000Z');
			const log = await incidentLog(ctx, dsl, rangeOf('2026-06-01', '2026-11-30'), t);
			const { header, rows } = rowsOf(log.csv);
			// The header says which time the times are in.
			expect(header).toContain('Received (Europe/London time)');
			expect(rows.map((r) => r['Report id'])).toEqual([summer, winter]);
			const [first, second] = rows as [Record<string, string>, Record<string, string>];

			expect(first['Received (Europe/London time)']).toBe('2026-07-01 14:05');
			expect(first['Their words']).toBe(`'=SUM(A1) "quoted" <b>not bold</b>`);
			expect(first['Incident category']).toBe('Contact from someone unknown');
			expect(first['People involved']).toBe(
				'Ola K (Pupil); =Uncle Bob (Adult not known to the school)'
			);
			expect(first['Referrals']).toBe('children’s social care (reference CSC-4411)');
			expect(first['Outcome']).toBe('Referred on');
			expect(first['Outcome reason']).toBe('Social care are leading.');
			expect(first['Closed by']).toBe('Dee Lead (Designated Safeguarding Lead)');
			expect(first['Closed (Europe/London time)']).toBe('2026-07-01 16:00');
			const timeline = first['Everything recorded, in order (Europe/London time)']!.split('\n');
			expect(timeline).toEqual([
				'2026-07-01 14:05 — Received from the class iPad',
				'2026-07-01 14:10 — Opened — Gwen Teacher (Teacher)',
				'2026-07-01 14:20 — Note — Gwen Teacher (Teacher): Spoke to Nia at lunch.',
				'2026-07-01 14:25 — Person involved (Pupil) — Gwen Teacher (Teacher): Ola K',
				'2026-07-01 14:26 — Person involved (Adult not known to the school) — Gwen Teacher (Teacher): =Uncle Bob',
				'2026-07-01 14:40 — Referred to children’s social care (reference CSC-4411) — Dee Lead (Designated Safeguarding Lead): Rang the front door team.',
				'2026-07-01 14:45 — Category set: Contact from someone unknown — Dee Lead (Designated Safeguarding Lead)',
				'2026-07-01 16:00 — Closed: Referred on — Dee Lead (Designated Safeguarding Lead): Social care are leading.'
			]);

			expect(second['Received (Europe/London time)']).toBe('2026-11-03 14:05');
			expect(second['Status']).toBe('In progress');
			expect(second['Outcome']).toBe('');
			expect(second['Everything recorded, in order (Europe/London time)']!.split('\n')).toEqual([
				'2026-11-03 14:05 — Received from the class iPad',
				'2026-11-03 14:35 — Talked with the child — Gwen Teacher (Teacher): At afternoon break.'
			]);

			// No cell starts as a formula would: every line of the file is quoted from its start.
			expect(log.csv.slice(1)).not.toMatch(/(^|,)"?[=+\-@\t\r]/);
			expect(log.filename).toBe('incident-log-2026-06-01-to-2026-11-30.csv');

			// The download is audited, with the dates and how many reports it held.
			const [entry] = (await listAudit(ctx.db, admin.schoolId)).filter(
				(a) => a.action === 'report.export'
			);
			expect(entry).toMatchObject({ actorId: dsl.staffId });
			expect(JSON.parse(entry!.detail ?? '{}')).toEqual({
				from: '2026-06-01',
				to: '2026-11-30',
				rows: 2
			});
		});

		it('takes the dates as the school’s days, not UTC days', async () => {
			// 00:30 on 1 July in London is 23:30 on 30 June in UTC.
			const justAfterMidnight = await sendAt('2026-06-30T23:30:00.000Z');
			const late = await sendAt('2026-07-01T22:59:00.000Z'); // 23:59 on 1 July in London
			await sendAt('2026-07-01T23:01:00.000Z'); // 00:01 on 2 July in London
			ctx.clock.set('2026-07-10T09:00:00.000Z');
			const ids = async (from: string, to: string) =>
				rowsOf((await incidentLog(ctx, dsl, rangeOf(from, to), t)).csv).rows.map(
					(r) => r['Report id']
				);
			expect(await ids('2026-07-01', '2026-07-01')).toEqual([justAfterMidnight, late]);
			expect(await ids('2026-06-30', '2026-06-30')).toEqual([]);
			const [row] = rowsOf(
				(await incidentLog(ctx, dsl, rangeOf('2026-07-01', '2026-07-01'), t)).csv
			).rows;
			expect(row?.['Received (Europe/London time)']).toBe('2026-07-01 00:30');
		});
	});

	describe('choices staff make', () => {
		it('refuses an entry with a choice left empty, in plain words, and records nothing', async () => {
			const id = await sendAt('2026-11-03T10:00:00.000Z');
			const before = await listAudit(ctx.db, admin.schoolId);
			const tries: [unknown, string][] = [
				[{ text: 'I did something' }, 'reports.error.choose.action'],
				[{ kind: '', text: '' }, 'reports.error.choose.action'],
				[{ kind: 'referred', to: '', reference: '', text: '' }, 'reports.error.choose.referral'],
				[{ kind: 'referred', text: 'Rang them' }, 'reports.error.choose.referral'],
				[{ kind: 'person-involved', name: 'Ola K', role: '' }, 'reports.error.choose.role'],
				[{ kind: 'incident-category', category: '' }, 'reports.error.choose.category'],
				[{ kind: 'closed', outcome: '', text: '' }, 'reports.error.choose.outcome'],
				[{ kind: 'closed', outcome: '', text: 'Sorted' }, 'reports.error.choose.outcome'],
				[{ kind: 'closed', outcome: 'resolved-in-school', text: '' }, 'reports.error.incomplete']
			];
			for (const [input, error] of tries)
				expect(await addReportEvent(ctx, teacher, id, input)).toEqual({ ok: false, error });
			const events = await ctx.db
				.selectFrom('report_event')
				.select('kind')
				.where('report_id', '=', id)
				.execute();
			expect(events).toEqual([]);
			expect(await listAudit(ctx.db, admin.schoolId)).toEqual(before);
		});
	});

	describe('the inbox', () => {
		it('pins urgent reports that are not closed to the top, then the rest newest first', async () => {
			const day = (n: number) => `2026-11-${String(n).padStart(2, '0')}T10:00:00.000Z`;
			const oldUrgent = await sendAt(day(2), { topic: 'not-safe' });
			const closedUrgent = await sendAt(day(3), { topic: 'not-safe' });
			await act(dsl, closedUrgent, day(3).replace('10:', '11:'), {
				kind: 'closed',
				outcome: 'resolved-in-school',
				text: 'Safe at home; family supported.'
			});
			const reopenedUrgent = await sendAt(day(4), { topic: 'not-safe' });
			await act(dsl, reopenedUrgent, day(4).replace('10:', '11:'), {
				kind: 'closed',
				outcome: 'no-further-action',
				text: 'Seemed fine.'
			});
			await act(dsl, reopenedUrgent, day(4).replace('10:', '12:'), {
				kind: 'reopened',
				text: 'Told us more.'
			});
			const ordinary = await sendAt(day(5));
			const newUrgent = await sendAt(day(6), { topic: 'not-safe' });
			const newest = await sendAt(day(7));
			ctx.clock.set(day(8));

			const expected = [newUrgent, reopenedUrgent, oldUrgent, newest, ordinary, closedUrgent];
			for (const viewer of [dsl, teacher]) {
				const inbox = await inboxFor(ctx, viewer);
				expect(inbox.items.map((i) => i.id)).toEqual(expected);
				expect(inbox.items.map((i) => i.pinned)).toEqual([true, true, true, false, false, false]);
				// Paging goes through the rest only: a pinned report is never shown twice or lost.
				const first = await inboxFor(ctx, viewer, { limit: 2 });
				expect(first.items.map((i) => i.id)).toEqual(expected.slice(0, 5));
				expect(first.more).toBe(true);
				const last = first.items.at(-1)!;
				const second = await inboxFor(ctx, viewer, {
					limit: 2,
					before: { at: last.receivedAt, id: last.id }
				});
				expect(second.items.map((i) => i.id)).toEqual([closedUrgent]);
				expect(second.more).toBe(false);
			}
			expect((await inboxFor(ctx, otherTeacher)).items).toEqual([]);
		});

		it('counts urgent open and unopened reports for the home page, each in the viewer’s scope', async () => {
			const urgent = await sendAt('2026-11-02T10:00:00.000Z', { topic: 'not-safe' });
			await sendAt('2026-11-02T10:05:00.000Z');
			const closed = await sendAt('2026-11-02T10:10:00.000Z', { topic: 'not-safe' });
			await act(dsl, closed, '2026-11-02T10:20:00.000Z', {
				kind: 'closed',
				outcome: 'resolved-in-school',
				text: 'Safe.'
			});
			// Acting on a report is not opening it: the DSL closed one without opening it here.
			expect(await reportCounts(ctx, dsl)).toEqual({ urgentOpen: 1, unopened: 3 });
			expect(await reportCounts(ctx, teacher)).toEqual({ urgentOpen: 1, unopened: 3 });
			expect(await reportCounts(ctx, otherTeacher)).toEqual({ urgentOpen: 0, unopened: 0 });
			expect(await reportCounts(ctx, admin)).toEqual({ urgentOpen: 0, unopened: 0 });
			await openReport(ctx, teacher, urgent);
			expect(await reportCounts(ctx, teacher)).toEqual({ urgentOpen: 1, unopened: 2 });
		});

		it('lists each report nobody opened in time, for the banner’s links', async () => {
			ctx.clock.set('2026-11-23T10:00:00.000Z'); // a Monday morning
			const late = await sendAt('2026-11-23T10:00:00.000Z');
			const opened = await sendAt('2026-11-23T10:01:00.000Z');
			ctx.clock.set('2026-11-23T11:00:00.000Z');
			expect(await alertUnseen(ctx)).toBe(2);
			await openReport(ctx, teacher, opened);
			expect(await overdueList(ctx, dsl)).toEqual([
				{ id: late, receivedAt: '2026-11-23T10:00:00.000Z' }
			]);
			expect(await overdueList(ctx, teacher)).toEqual([]);
		});
	});
});
