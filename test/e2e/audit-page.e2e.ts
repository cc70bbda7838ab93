import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import type { AppContext } from '$lib/server/context';
import { AuditLogPage } from './pages/audit-pages';
import { SignInPage } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { openSchool } from './support/school';
import { browserSuite } from './support/suite';

/** The iPad sizes staff screens are checked at. */
const sizes = [
	{ width: 1024, height: 768 },
	{ width: 820, height: 1180 }
];

/**
 * The audit log on the demo school (as `npm run demo` makes it): the DSL finds a pupil's
 * entries and failed sign-ins and sees the record is whole; an admin is kept out; a row
 * changed behind Lantern's back is named.
 */
describe('the audit page', () => {
	const suite = browserSuite({ seed: 'demo-reports' });
	let school: AppContext & { close(): Promise<void> };

	beforeAll(async () => {
		school = await openSchool(suite.server.dbFile);
	});
	afterAll(async () => {
		await school?.close();
	});

	async function signedIn(email: string, size = sizes[0]!): Promise<Page> {
		const context = await suite.browser.newContext({ viewport: size });
		const page = await context.newPage();
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(email, demoPassword);
		await page.waitForURL('**/staff**');
		return page;
	}

	async function fitsTheScreen(page: Page, width: number) {
		const measured = await page.evaluate(() => ({
			scrollWidth: document.documentElement.scrollWidth,
			innerWidth
		}));
		expect(measured.innerWidth).toBe(width);
		expect(measured.scrollWidth, `the page at ${width}`).toBeLessThanOrEqual(width);
	}

	it.each(sizes)(
		'lets the DSL find a pupil’s entries and failed sign-ins, and shows the record is whole ($width×$height)',
		async (size) => {
			// Someone tries the Year 4 teacher's account with a wrong password.
			const context = await suite.browser.newContext({ viewport: size });
			const stranger = await context.newPage();
			const signIn = new SignInPage(stranger, suite.server.url);
			await signIn.open();
			await signIn.signIn(demoStaff.year4.email, 'not the right password');
			expect(await signIn.problem()).not.toBe('');
			await context.close();

			const page = await signedIn(demoStaff.dsl.email, size);
			const audit = new AuditLogPage(page, suite.server.url);
			// Opening the page is recorded, so a hover on the menu must not load it ahead.
			expect(await audit.menuLinkPreloads()).toBe(false);
			await audit.openFromMenu();
			expect(await audit.chainState()).toMatch(/The record is whole: all \d+ entries/);
			await fitsTheScreen(page, size.width);

			await audit.filter({ pupil: 'Daisy E.' });
			const daisy = await audit.entries();
			// Her report, opened by her teacher (found through the report), and her picture password.
			expect(daisy).toEqual([
				expect.stringMatching(
					/^Tom Ellis \| Views\s+Opened a report \| Report \w{8} \(Daisy E\.\)$/
				),
				'Morgan Reed | Actions Made a picture password | Pupil: Daisy E.'
			]);
			await fitsTheScreen(page, size.width);

			await audit.filter({ kind: 'Failed sign-ins' });
			expect(page.url()).toContain('kind=failed-sign-in');
			const failed = await audit.entries();
			expect(failed[0]).toMatch(
				/^Someone signing in \| Failed sign-ins\s+Sign-in failed .* \| Staff: Ffion Jones$/
			);
			expect(await audit.chainState()).toMatch(/The record is whole/);
			await fitsTheScreen(page, size.width);

			// The failed sign-ins as CSV: the download is the same search.
			const csv = await audit.download();
			expect(csv.filename).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
			const lines = csv.text.trim().split('\r\n');
			expect(lines[0]).toContain('"Who","Kind","What","About"');
			expect(lines.length).toBeGreaterThan(1);
			for (const line of lines.slice(1)) expect(line).toContain('"Failed sign-ins"');
			expect(csv.text).toContain('"Staff: Ffion Jones"');
			await page.context().close();
		}
	);

	it('gives an admin the calm not-for-your-account screen, and no menu link', async () => {
		const page = await signedIn(demoStaff.admin.email);
		await expectAccessible(page);
		await expect(
			page.getByTestId('staff-nav').getByRole('link', { name: 'Audit log' }).count()
		).resolves.toBe(0);
		const response = await page.goto(`${suite.server.url}/staff/audit`);
		expect(response?.status()).toBe(403);
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
			"Your account can't open this page"
		);
		expect(await page.content()).not.toContain('audit-entry');
		await expectAccessible(page);
		const download = await page.request.get(`${suite.server.url}/staff/audit/export`);
		expect(download.status()).toBe(403);
		// Both refusals are on the record, for the DSL to see who tried which door.
		const refused = await school.db
			.selectFrom('audit')
			.innerJoin('staff', 'staff.id', 'audit.actor_id')
			.select(['audit.subject_id as route', 'audit.detail'])
			.where('audit.action', '=', 'access.refused')
			.where('staff.email', '=', demoStaff.admin.email)
			.orderBy('audit.seq')
			.execute();
		expect(refused.map((r) => r.route)).toEqual([
			'/(staff)/staff/audit',
			'/(staff)/staff/audit/export'
		]);
		expect(JSON.parse(refused[0]!.detail)).toEqual({ method: 'GET', needs: 'audit.view' });
		await page.context().close();
	});

	it('warns, in words, when an entry has been changed behind Lantern’s back', async () => {
		const { schoolId } = await school.db
			.selectFrom('school')
			.select('id as schoolId')
			.executeTakeFirstOrThrow();
		const target = await school.db
			.selectFrom('audit')
			.select(['seq'])
			.where('school_id', '=', schoolId)
			.where('action', '=', 'report.view')
			.orderBy('seq')
			.executeTakeFirstOrThrow();
		// Someone with the database file makes it look as if the teacher never opened the report.
		await sql`update audit set action = 'report.note' where seq = ${target.seq}`.execute(school.db);

		const page = await signedIn(demoStaff.dsl.email);
		const audit = new AuditLogPage(page, suite.server.url);
		await audit.openFromMenu();
		const warning = page.getByRole('alert').filter({ hasText: 'The record has been changed' });
		await warning.waitFor();
		expect(await warning.innerText()).toContain(`Entry number ${target.seq} (`);
		await page.context().close();
	});
});
