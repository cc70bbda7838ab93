import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import {
	createEnrolmentCode,
	enrolDevice,
	type DeviceActor
} from '$lib/server/services/device.service';
import {
	addReportEvent,
	alertUnseen,
	openReport,
	reportCounts,
	submitReport
} from '$lib/server/services/report.service';
import { IncidentLogPage, ReportPage, ReportsInbox, StaffHome } from './pages/report-pages';
import { SignInPage } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { openPage } from './support/browser';
import { actorFor, classIdByName, openSchool } from './support/school';
import { browserSuite } from './support/suite';

/**
 * The safeguarding lead's side of the reports, on the demo school with its example reports:
 * the home page's counts, urgent reports pinned in the inbox, the overdue banner's links, forms
 * that choose nothing for staff, and the incident log as the record.
 */
describe('reports for the safeguarding lead', () => {
	const suite = browserSuite({ seed: 'demo-reports' });
	let school: AppContext & { close(): Promise<void> };
	let dsl: StaffActor;
	let teacher: StaffActor;
	let device: DeviceActor;
	let pupilId: string;
	/** An urgent report from ten days ago that nobody has opened or closed. */
	let oldUrgent: string;
	/** A report in British Summer Time with the whole record on it, and one in winter. */
	let summer: string;
	let winter: string;
	let lateJune: string;

	/** The app at a given moment, for arranging what staff did then. */
	const at = (iso: string): AppContext => ({ ...school, clock: { now: () => new Date(iso) } });
	const send = async (when: string, topic: 'not-safe' | 'unkind', words: string | null) => {
		const id = randomUUID();
		const sent = await submitReport(at(when), device, {
			id,
			createdAt: new Date(new Date(when).getTime() - 60_000).toISOString(),
			classId: device.classIds[0],
			pupilId,
			feeling: 'worried',
			topic,
			words,
			drawing: null,
			voice: null,
			talkTo: null,
			lang: 'en'
		});
		expect(sent.status).toBe(201);
		return id;
	};
	const act = async (when: string, actor: StaffActor, id: string, event: unknown) => {
		expect(await addReportEvent(at(when), actor, id, event)).toEqual({ ok: true });
	};

	async function signedIn(email: string): Promise<Page> {
		const page = await openPage(suite.browser);
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(email, demoPassword);
		await page.waitForURL('**/staff**');
		return page;
	}

	beforeAll(async () => {
		school = await openSchool(suite.server.dbFile);
		dsl = await actorFor(school, demoStaff.dsl.email);
		teacher = await actorFor(school, demoStaff.year4.email);
		const kestrels = await classIdByName(school, teacher, 'Kestrels');
		const code = await createEnrolmentCode(school, teacher, {
			name: 'Kestrels test iPad',
			classIds: [kestrels]
		});
		if (!code.ok) throw new Error(code.error);
		const enrolled = await enrolDevice(school, code.code);
		if (!enrolled.ok) throw new Error(enrolled.error);
		device = { deviceId: enrolled.deviceId, schoolId: dsl.schoolId, classIds: [kestrels] };
		pupilId = (await listPupilsOfClass(school.db, dsl.schoolId, kestrels)).find(
			(p) => p.firstName === 'Arlo'
		)!.id;

		oldUrgent = await send(new Date(Date.now() - 10 * 86_400_000).toISOString(), 'not-safe', null);

		summer = await send('2026-07-01T13:05:00.000Z', 'unkind', 'Someone keeps messaging me.');
		await openReport(at('2026-07-01T13:10:00.000Z'), teacher, summer);
		await act('2026-07-01T13:20:00.000Z', teacher, summer, {
			kind: 'note',
			text: 'Spoke to Arlo at lunch.'
		});
		await act('2026-07-01T13:25:00.000Z', teacher, summer, {
			kind: 'person-involved',
			name: 'Cerys P',
			role: 'pupil'
		});
		await act('2026-07-01T13:40:00.000Z', dsl, summer, {
			kind: 'referred',
			to: 'social-care',
			reference: 'CSC-4411',
			text: 'Rang the front door team.'
		});
		await act('2026-07-01T15:00:00.000Z', dsl, summer, {
			kind: 'closed',
			outcome: 'referred-on',
			text: 'Social care are leading.'
		});
		lateJune = await send('2026-06-30T22:30:00.000Z', 'unkind', null);
		winter = await send('2026-11-03T14:05:00.000Z', 'unkind', null);
		await act('2026-11-03T14:35:00.000Z', teacher, winter, {
			kind: 'talked-with-child',
			text: 'At afternoon break.'
		});

		// Nobody has opened the urgent reports: the DSL is alerted, as the server does each minute.
		await alertUnseen(school);
	});
	afterAll(async () => {
		await school?.close();
	});

	it('shows urgent and unopened reports on the home page, and pins urgent ones at the top of the inbox', async () => {
		const page = await signedIn(demoStaff.dsl.email);
		const home = new StaffHome(page, suite.server.url);
		await home.open();
		const counts = await reportCounts(school, dsl);
		expect(counts.urgentOpen).toBe(2); // the demo's "not safe right now", and the old one
		expect(await home.urgent().innerText()).toContain('2 urgent reports are not closed yet');
		expect(await home.unopened().innerText()).toContain(unopenedWords(counts.unopened));
		expect(await home.unopened().getAttribute('href')).toBe('/staff/reports');

		await home.urgent().click();
		await page.waitForURL('**/staff/reports');
		const inbox = new ReportsInbox(page, suite.server.url);
		await inbox.open();
		const rows = await inbox.rows();
		// Both urgent reports first, newest first; then every other report, newest first.
		expect(rows.slice(0, 2).map((r) => r.pinned)).toEqual([true, true]);
		expect(rows.slice(2).every((r) => !r.pinned)).toBe(true);
		expect(rows[1]).toMatchObject({ id: oldUrgent });
		expect(rows[1]!.text).toContain('Urgent');
		expect(rows[1]!.text).toContain('Stays at the top until it is closed');
		// The newer, ordinary reports come after it.
		expect(rows.slice(2).map((r) => r.text)).toContainEqual(
			expect.stringContaining('Saw something upsetting')
		);
		// What could not be stored is named plainly.
		await page.getByRole('link', { name: 'Reports that could not go in the inbox' }).waitFor();
		await page.context().close();

		// A teacher's home page counts their own classes' reports.
		const forTeacher = await signedIn(demoStaff.year4.email);
		const teacherHome = new StaffHome(forTeacher, suite.server.url);
		await teacherHome.open();
		expect(await teacherHome.urgent().innerText()).toContain('1 urgent report is not closed yet');
		const mine = await reportCounts(school, teacher);
		expect(await teacherHome.unopened().innerText()).toContain(unopenedWords(mine.unopened));
		const teacherInbox = new ReportsInbox(forTeacher, suite.server.url);
		await teacherInbox.open();
		expect((await teacherInbox.rows())[0]).toMatchObject({ id: oldUrgent, pinned: true });
		await forTeacher.context().close();
	});

	it('links the overdue banner to each report nobody opened in time', async () => {
		const page = await signedIn(demoStaff.dsl.email);
		const home = new StaffHome(page, suite.server.url);
		await home.open();
		expect(await home.overdueLinks()).toContain(oldUrgent);
		await page
			.getByTestId('overdue-banner')
			.locator(`a[href="/staff/reports/${oldUrgent}"]`)
			.click();
		await page.getByRole('heading', { name: 'Not safe right now', level: 1 }).waitFor();
		expect(page.url()).toBe(`${suite.server.url}/staff/reports/${oldUrgent}`);
		// Opened now: the banner no longer asks for it.
		await home.open();
		expect(await home.overdueLinks()).not.toContain(oldUrgent);
		await page.context().close();
	});

	it('chooses nothing for staff in any form, and records nothing when a choice is left empty', async () => {
		const page = await signedIn(demoStaff.dsl.email);
		const elin = await school.db
			.selectFrom('report')
			.select('id')
			.where('words', 'like', 'People in the class group chat%')
			.executeTakeFirstOrThrow();
		const report = new ReportPage(page, suite.server.url);
		await report.open(elin.id);
		const choices = await report.choices();
		expect(choices.forms).toBe(6); // note, what you did, referral, person, category, close
		expect(choices.checked).toBe(0);
		expect(choices.selects).toEqual(['to=', 'role=', 'category=', 'outcome=']);

		const events = async () =>
			(
				await school.db
					.selectFrom('report_event')
					.select('id')
					.where('report_id', '=', elin.id)
					.execute()
			).length;
		const before = { events: await events(), shown: await report.timelineEntries() };
		const refused = async (button: string, message: string) => {
			await report.press(button);
			await report.problem(message);
			await expectNothingAdded();
		};
		const expectNothingAdded = async () => {
			expect(await events()).toBe(before.events);
			expect(await report.timelineEntries()).toBe(before.shown);
		};

		await refused('Save', 'Choose what you did, then save.');
		// The message is tied to the choice it is about, and the page stays accessible.
		await expectAccessible(page);
		await refused('Save referral', 'Choose who it was referred to, then save.');
		await report.p.getByLabel('Name', { exact: true }).fill('Cerys P');
		await refused('Add person', 'Choose their role, then add them.');
		await refused('Set category', 'Choose a category, then set it.');
		await report.p.getByLabel('Reason').fill('All sorted.');
		await refused('Close report', 'Choose an outcome, then close the report.');

		// Chosen by hand, it is saved; and the form is empty again afterwards.
		await report.p.getByLabel('Talked with the child').check();
		await report.press('Save');
		await report.saved();
		expect(await events()).toBe(before.events + 1);
		expect((await report.choices()).checked).toBe(0);
		await page.context().close();
	});

	it('downloads the incident log as the record: every entry, who made it and when, in the school’s time', async () => {
		const page = await signedIn(demoStaff.dsl.email);
		const log = new IncidentLogPage(page, suite.server.url);
		await log.open();
		expect(await page.getByRole('main').innerText()).toContain(
			"Dates and times are the school's (Europe/London time)."
		);
		const file = await log.download('2026-07-01', '2026-11-30');
		expect(file.name).toBe('incident-log-2026-07-01-to-2026-11-30.csv');
		const parsed = Papa.parse<Record<string, string>>(file.text.replace(/^\uFEFF/, ''), {
			header: true,
			skipEmptyLines: true
		});
		expect(parsed.errors).toEqual([]);
		const row = (id: string) => parsed.data.find((r) => r['Report id'] === id)!;
		const timeline = (id: string) =>
			row(id)['Everything recorded, in order (Europe/London time)']!.split('\n');

		// Summer: British Summer Time, an hour ahead of the UTC the server keeps.
		expect(row(summer)['Received (Europe/London time)']).toBe('2026-07-01 14:05');
		expect(row(summer)).toMatchObject({
			'Their words': 'Someone keeps messaging me.',
			'People involved': 'Cerys P (Pupil)',
			Referrals: 'children’s social care (reference CSC-4411)',
			Outcome: 'Referred on',
			'Outcome reason': 'Social care are leading.',
			'Closed by': 'Priya Shah (Designated Safeguarding Lead)',
			'Closed (Europe/London time)': '2026-07-01 16:00'
		});
		expect(timeline(summer)).toEqual([
			'2026-07-01 14:05 — Received from the class iPad',
			'2026-07-01 14:10 — Opened — Ffion Jones (Teacher)',
			'2026-07-01 14:20 — Note — Ffion Jones (Teacher): Spoke to Arlo at lunch.',
			'2026-07-01 14:25 — Person involved (Pupil) — Ffion Jones (Teacher): Cerys P',
			'2026-07-01 14:40 — Referred to children’s social care (reference CSC-4411) — Priya Shah (Designated Safeguarding Lead): Rang the front door team.',
			'2026-07-01 16:00 — Closed: Referred on — Priya Shah (Designated Safeguarding Lead): Social care are leading.'
		]);
		// Winter: Greenwich Mean Time, the same as UTC.
		expect(row(winter)['Received (Europe/London time)']).toBe('2026-11-03 14:05');
		expect(timeline(winter)).toEqual([
			'2026-11-03 14:05 — Received from the class iPad',
			'2026-11-03 14:35 — Talked with the child — Ffion Jones (Teacher): At afternoon break.'
		]);
		// The dates are the school's days: 23:30 on 30 June in London is not in a log from 1 July.
		expect(parsed.data.map((r) => r['Report id'])).not.toContain(lateJune);

		const exports = (await listAudit(school.db, dsl.schoolId)).filter(
			(a) => a.action === 'report.export'
		);
		expect(exports[0]).toMatchObject({ actorId: dsl.staffId });
		expect(JSON.parse(exports[0]!.detail ?? '{}')).toMatchObject({
			from: '2026-07-01',
			to: '2026-11-30'
		});
		await page.context().close();
	});
});

function unopenedWords(count: number): string {
	return count === 0
		? 'You have opened every report.'
		: `${count} report${count === 1 ? '' : 's'} you have not opened yet`;
}
