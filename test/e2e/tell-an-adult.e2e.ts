import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { createEnrolmentCode } from '$lib/server/services/device.service';
import { PupilScreen } from './pages/pupil-pages';
import { SignInPage } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { launchBrowser, launchWithProfile } from './support/browser';
import { actorFor, classIdByName, openSchool } from './support/school';
import { startServer, type RunningServer } from './support/server';

/** Waits until the service worker has installed and controls the page. */
async function controlledByServiceWorker(page: Page): Promise<void> {
	await page.waitForFunction(async () => {
		const registration = await navigator.serviceWorker.ready;
		return registration.active !== null && navigator.serviceWorker.controller !== null;
	});
}

/** The "Tell an adult" flow on a class iPad, step by step, checking each screen with axe. */
class TellFlow {
	constructor(private page: Page) {}
	async open() {
		await this.page.getByRole('button', { name: 'Tell an adult' }).click();
		await this.page.getByTestId('tell-flow').waitFor();
	}
	async step(name: string) {
		await this.page.getByRole('heading', { name, level: 2 }).waitFor();
		await expectAccessible(this.page);
	}
	async tap(name: string) {
		await this.page.getByRole('button', { name, exact: true }).click();
	}
	async draw() {
		await this.tap('Draw it');
		const canvas = this.page.getByRole('img', { name: /Drawing space/ });
		await canvas.scrollIntoViewIfNeeded();
		const box = (await canvas.boundingBox())!;
		await this.page.mouse.move(box.x + 40, box.y + 40);
		await this.page.mouse.down();
		for (let i = 1; i <= 20; i++)
			await this.page.mouse.move(box.x + 40 + i * 10, box.y + 40 + i * 5);
		await this.page.mouse.up();
		await this.page.getByRole('img', { name: 'Drawing space, with your picture in it.' }).waitFor();
		await expectAccessible(this.page);
	}
	async type(text: string) {
		await this.tap('Type it');
		await this.page.getByLabel('Type what happened').fill(text);
	}
	async thankYou() {
		await this.page.getByRole('heading', { name: 'Thank you for telling us.' }).waitFor();
		await expectAccessible(this.page);
		return this.page.getByTestId('tell-flow').innerText();
	}
}

describe('Tell an adult', () => {
	let server: RunningServer;
	let school: AppContext & { close(): Promise<void> };
	let teacher: StaffActor;
	let browser: Browser;
	let ipad: BrowserContext;
	let page: Page;
	const dir = mkdtempSync(join(tmpdir(), 'lantern-tell-'));

	async function staffPage(email: string): Promise<Page> {
		const context = await browser.newContext();
		const staff = await context.newPage();
		const signIn = new SignInPage(staff, server.url);
		await signIn.open();
		await signIn.signIn(email, demoPassword);
		return staff;
	}

	beforeAll(async () => {
		server = await startServer({ seed: 'demo' });
		school = await openSchool(server.dbFile);
		teacher = await actorFor(school, demoStaff.year4.email);
		const kestrels = await classIdByName(school, teacher, 'Kestrels');
		const code = await createEnrolmentCode(school, teacher, {
			name: 'Kestrels iPad',
			classIds: [kestrels]
		});
		if (!code.ok) throw new Error(code.error);
		browser = await launchBrowser();
		ipad = await launchWithProfile(dir);
		page = ipad.pages()[0] ?? (await ipad.newPage());
		const screen = new PupilScreen(page, server.url);
		await screen.open();
		await screen.enrolWithTypedCode(code.code);
		await controlledByServiceWorker(page);
	});
	afterAll(async () => {
		await ipad?.close();
		await browser?.close();
		await school?.close();
		await server?.stop();
		server?.cleanUp();
		rmSync(dir, { recursive: true, force: true });
	});

	it('works offline from a cold start, signed out, with a drawing, and reaches the teacher live after reconnect', async () => {
		// The iPad is switched off, and the school's server goes down; the iPad starts cold.
		await ipad.close();
		await server.stop();
		ipad = await launchWithProfile(dir);
		page = ipad.pages()[0] ?? (await ipad.newPage());
		await page.goto(server.url + '/pupil');
		await page.locator('[data-ready="true"]').waitFor();

		const flow = new TellFlow(page);
		await flow.open();
		await flow.step('Who are you?');
		await flow.tap('Elin R.');
		await flow.step('How do you feel?');
		await flow.tap('Worried');
		await flow.step('What is it about?');
		await flow.tap('Someone was unkind to me');
		await flow.step('Tell us more');
		await flow.draw();
		const typed =
			'=HYPERLINK("http://x.example","Click") <script>window.hacked=1</script><b>bold</b>';
		await flow.type(typed);
		await flow.tap('Next');
		await flow.step('Who would you like to talk to?');
		await flow.tap('Send');
		const thanks = await flow.thankYou();
		expect(thanks).toContain('You did the right thing. You are not in trouble.');
		expect(thanks).not.toMatch(/secret/i);
		await flow.tap('Back to the start');
		// Nothing of the report can be seen on the device again.
		await page.getByRole('heading', { name: 'Scan your card' }).waitFor();
		expect(await page.getByTestId('tell-flow').count()).toBe(0);
		expect(await page.content()).not.toContain('HYPERLINK');
		// The flow never added a page to the history, so "back" cannot return to it either.
		expect(await page.evaluate(() => location.pathname)).toBe('/pupil');

		// The iPad stays off the network until the test says so: its retry loop must not reach
		// the server before the teacher is watching (a race that once failed a clean CI run).
		await ipad.setOffline(true);
		// The server comes back; the teacher is watching the inbox.
		await server.restart();
		const staff = await staffPage(demoStaff.year4.email);
		await staff.goto(server.url + '/staff/reports');
		expect(await staff.getByTestId('report-row').count()).toBe(0);
		await expectAccessible(staff);
		// The iPad notices the network (as Safari does on "online") and sends its outbox.
		await ipad.setOffline(false);
		// No reload: the row and the unseen badge arrive by themselves.
		await staff.getByTestId('report-row').first().waitFor({ timeout: 20_000 });
		expect(await staff.getByTestId('unseen-badge').innerText()).toBe('1 new');
		const row = await staff.getByTestId('report-row').innerText();
		expect(row).toContain('Someone was unkind');
		expect(row).toContain('Elin R.');
		// The list never shows the child's words.
		expect(row).not.toContain('bold');

		await staff.getByRole('link', { name: 'Open' }).click();
		await staff.getByRole('heading', { name: /Someone was unkind/, level: 1 }).waitFor();
		await expectAccessible(staff);
		expect(await staff.getByTestId('report-words').innerText()).toBe(typed);
		expect(await staff.locator('[data-testid=report-words] b, script:text("hacked")').count()).toBe(
			0
		);
		expect(await staff.evaluate(() => (window as { hacked?: number }).hacked)).toBeUndefined();
		const drawing = staff.getByTestId('report-drawing');
		expect(await drawing.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
		expect(await drawing.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

		// Record what was done; the timeline grows and nothing is changed.
		await staff.getByLabel('Talked with the child').check();
		await staff.getByRole('button', { name: 'Save', exact: true }).click();
		await staff.getByRole('status').filter({ hasText: 'Saved to the record.' }).waitFor();
		// The page's data reloads after the status shows: wait for the new entry, not the first read.
		await staff.getByTestId('timeline').filter({ hasText: 'Talked with the child' }).waitFor();
		const timeline = await staff.getByTestId('timeline').innerText();
		expect(timeline).toContain('Opened');
		expect(timeline).toContain('Talked with the child');
		await expectAccessible(staff);
		const actions = (await listAudit(school.db, teacher.schoolId)).map((a) => a.action);
		expect(actions).toEqual(expect.arrayContaining(['report.view', 'report.talked-with-child']));
		await staff.context().close();
	});

	it('sends "I\'m not safe right now" from a signed-in pupil to the teacher and the DSL, urgent', async () => {
		const dsl = await staffPage(demoStaff.dsl.email);
		await dsl.goto(server.url + '/staff/reports');
		const before = await dsl.getByTestId('report-row').count();

		const screen = new PupilScreen(page, server.url);
		await screen.open();
		await page.getByRole('button', { name: 'Turn on the camera' }).click();
		await page.getByRole('button', { name: 'Find my name' }).click();
		await page.getByRole('button', { name: 'Arlo N.' }).click();
		await page.getByRole('button', { name: "Yes, it's me" }).click();
		await screen.waitUntilSignedIn('Arlo');

		const flow = new TellFlow(page);
		await flow.open();
		// Already known: the flow starts with feelings.
		await flow.step('How do you feel?');
		await flow.tap('Scared');
		await flow.tap("I'm not safe right now");
		await flow.step('Tell us more');
		await flow.tap('No, thank you');
		await flow.tap('Send');
		const thanks = await flow.thankYou();
		expect(thanks).toContain('If you are not safe right now, go to a grown-up straight away.');
		await flow.tap('Back to the start');
		expect(await screen.isSignedIn()).toBe(true);

		await dsl.waitForFunction(
			(n) => document.querySelectorAll('[data-testid=report-row]').length > n,
			before,
			{ timeout: 20_000 }
		);
		const newest = await dsl.getByTestId('report-row').first().innerText();
		expect(newest).toContain('Not safe right now');
		expect(newest).toContain('Urgent');
		expect(newest).toContain('Arlo N.');
		await expectAccessible(dsl);

		const forTeacher = await staffPage(demoStaff.year4.email);
		await forTeacher.goto(server.url + '/staff/reports');
		expect(await forTeacher.getByTestId('report-row').first().innerText()).toContain('Urgent');
		// An urgent report is the DSL's to close.
		await forTeacher.getByRole('link', { name: 'Open' }).first().click();
		expect(await forTeacher.getByTestId('close-form').innerText()).toContain(
			'only the safeguarding lead can close it'
		);
		// Another class's teacher sees none of it, through the list or the address.
		const otherTeacher = await staffPage(demoStaff.year6.email);
		const reportUrl = forTeacher.url();
		await otherTeacher.goto(server.url + '/staff/reports');
		expect(await otherTeacher.getByTestId('report-row').count()).toBe(0);
		const refused = await otherTeacher.goto(reportUrl);
		expect(refused?.status()).toBe(404);
		await expectAccessible(otherTeacher);
		// Admins see no reports at all.
		const admin = await staffPage(demoStaff.admin.email);
		expect((await admin.goto(server.url + '/staff/reports'))?.status()).toBe(403);
		expect((await admin.goto(reportUrl))?.status()).toBe(403);
		for (const p of [dsl, forTeacher, otherTeacher, admin]) await p.context().close();
		await screen.finish();
	});

	it('exports the incident log safe from spreadsheet formulas, and audits the download', async () => {
		const dsl = await staffPage(demoStaff.dsl.email);
		await dsl.goto(server.url + '/staff/reports/record');
		await expectAccessible(dsl);
		const today = new Date().toISOString().slice(0, 10);
		const response = await dsl.request.get(
			`${server.url}/staff/reports/record/export?from=2026-01-01&to=${today}`
		);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toContain('text/csv');
		const csv = await response.text();
		// The pupil's words began with "=": the cell starts with an apostrophe, so a spreadsheet
		// shows it as text and never runs it; the markup stays plain text.
		expect(csv).toContain(
			`"'=HYPERLINK(""http://x.example"",""Click"") <script>window.hacked=1</script><b>bold</b>"`
		);
		expect(csv).not.toMatch(/(^|,)"?[=+\-@\t\r]/m);
		const actions = (await listAudit(school.db, teacher.schoolId)).map((a) => a.action);
		expect(actions).toContain('report.export');
		// A teacher may not download the school's log.
		const staff = await staffPage(demoStaff.year4.email);
		expect((await staff.request.get(`${server.url}/staff/reports/record/export`)).status()).toBe(
			403
		);
		await dsl.goto(server.url + '/staff/reports/parked');
		await dsl.getByRole('heading', { name: 'Reports that could not go in the inbox' }).waitFor();
		await expectAccessible(dsl);
		await dsl.goto(server.url + '/staff/reports/summary');
		await dsl.getByTestId('summary-chart').waitFor();
		await expectAccessible(dsl);
		await dsl.context().close();
		await staff.context().close();
	});

	it('speaks Urdu right to left, and tells the pupil calmly when the iPad cannot save', async () => {
		const screen = new PupilScreen(page, server.url);
		await screen.open();
		await page.getByLabel('Language').selectOption('ur');
		expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
		await page.locator('[data-testid=tell-button]').click();
		await page.getByTestId('tell-flow').waitFor();
		const heading = await page.getByRole('heading', { level: 2 }).innerText();
		expect(heading).toMatch(/[\u0600-\u06FF]/);
		await expectAccessible(page);
		await page.getByLabel(/زبان|Language/).selectOption('en');
		await page.reload();
		await page.locator('[data-ready="true"]').waitFor();

		// Storage is full: saving the report fails, and the pupil is sent to a grown-up.
		await page.evaluate(() => {
			const { put } = Object.getOwnPropertyDescriptors(IDBObjectStore.prototype);
			const original = put.value as (this: IDBObjectStore, ...args: unknown[]) => IDBRequest;
			Object.defineProperty(IDBObjectStore.prototype, 'put', {
				...put,
				value(this: IDBObjectStore, ...args: unknown[]) {
					if (this.name === 'outbox')
						throw new DOMException('The disk is full', 'QuotaExceededError');
					return original.apply(this, args);
				}
			});
		});
		const flow = new TellFlow(page);
		await flow.open();
		await flow.tap("I'd rather not say");
		await flow.tap('Sad');
		await flow.tap('Something else');
		await flow.tap('No, thank you');
		await flow.tap('Send');
		await page.getByRole('heading', { name: "This iPad couldn't save your message." }).waitFor();
		expect(await page.getByRole('alert').innerText()).toContain(
			'Please go and find a grown-up now'
		);
		await expectAccessible(page);
	});
});
