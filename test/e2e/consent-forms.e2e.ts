import { join } from 'node:path';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { ConsentOverviewPage, PupilConsentPage } from './pages/consent-pages';
import { SignInPage } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { browserSuite } from './support/suite';

/** Set LANTERN_SHOTS_DIR to keep a screenshot of each screen checked, to look at. */
const shotsDir = process.env.LANTERN_SHOTS_DIR;
const sizes = [
	{ width: 1024, height: 768 },
	{ width: 820, height: 1180 }
];

async function signedIn(
	browser: Browser,
	base: string,
	email: string,
	options: { javaScriptEnabled?: boolean } = {}
): Promise<Page> {
	const context = await browser.newContext({ viewport: sizes[0] });
	const page = await context.newPage();
	const signIn = new SignInPage(page, base);
	await signIn.open();
	await signIn.signIn(email, demoPassword);
	await page.waitForURL('**/staff**');
	if (options.javaScriptEnabled !== false) return page;
	// The same session in a browser with JavaScript turned off: forms post as plain forms.
	const storageState = await context.storageState();
	await context.close();
	const noScript = await browser.newContext({
		viewport: sizes[0],
		javaScriptEnabled: false,
		storageState
	});
	return noScript.newPage();
}

async function shoot(page: Page, name: string) {
	if (!shotsDir) return;
	for (const size of sizes) {
		await page.setViewportSize(size);
		await page.screenshot({
			path: join(shotsDir, `i4-${size.width}x${size.height}-${name}.png`),
			fullPage: true
		});
	}
	await page.setViewportSize(sizes[0]!);
}

const csvRows = (text: string) =>
	Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;

describe('consent: a whole paper form in one save, the CSV download and the printed list', () => {
	const suite = browserSuite({ seed: 'demo-reports' });

	it('records every use from one form in one save, and a later "no" from the same carer as withdrawn', async () => {
		const page = await signedIn(suite.browser, suite.server.url, demoStaff.admin.email);
		const overview = new ConsentOverviewPage(page, suite.server.url);
		await overview.open();
		const pupil = await overview.firstAllowedEverywhere();
		const consent = new PupilConsentPage(page, suite.server.url);
		await consent.open(pupil.id);
		const uses = await consent.useNames();
		expect(uses.length).toBeGreaterThan(3);
		const before = await consent.history().count();
		await shoot(page, 'consent-form');
		if (shotsDir)
			for (const size of sizes) {
				await page.setViewportSize(size);
				await consent.form().screenshot({
					path: join(shotsDir, `i4-${size.width}x${size.height}-consent-form-only.png`)
				});
			}

		// One made-up aunt's form: no to the website and the press, nothing about being named,
		// yes to everything else.
		const answers = Object.fromEntries(
			uses.map((u) => [
				u,
				u === 'School website' || u === 'Local or national press'
					? ('No' as const)
					: u === 'Named together with a photo'
						? ('Not on the form' as const)
						: ('Yes' as const)
			])
		);
		await consent.fill({ givenBy: 'Kemi Adeyemi', relationship: 'aunt', answers });
		await consent.save();
		await page
			.getByRole('status')
			.filter({ hasText: `${uses.length - 1} answers from the form are recorded` })
			.waitFor();
		await consent.verdict('School website').filter({ hasText: 'Not allowed' }).waitFor();
		for (const use of uses) {
			const text = await consent.verdict(use).innerText();
			if (answers[use] === 'No') expect(text, use).toContain('a carer said no');
			// The demo school never publishes names with photos, whatever carers say.
			else if (use === 'Named together with a photo') expect(text, use).toContain('school rule');
			else expect(text, use).toMatch(/✔\s*Allowed/);
		}
		expect(await consent.history().count()).toBe(before + uses.length - 1);
		const firstAnswers = await consent.history().allInnerTexts();
		expect(firstAnswers.filter((r) => r.includes('Kemi Adeyemi (aunt)'))).toHaveLength(
			uses.length - 1
		);
		expect(firstAnswers.filter((r) => r.includes('No (refused)'))).toHaveLength(2);
		await expectAccessible(page);
		await shoot(page, 'consent-form-saved');

		// The same aunt writes again: no to the school photographer, which she had said yes to.
		await consent.fill({
			givenBy: 'Kemi Adeyemi',
			relationship: 'aunt',
			source: 'Email',
			answers: { 'School photographer': 'No' }
		});
		await consent.save();
		await page
			.getByRole('status')
			.filter({ hasText: '1 answer from the form is recorded' })
			.waitFor();
		await consent.verdict('School photographer').filter({ hasText: 'Not allowed' }).waitFor();
		const latest = await consent.history().first().innerText();
		expect(latest).toContain('School photographer');
		expect(latest).toContain('Withdrawn');
		expect(latest).toContain('Email');

		// The overview says who answered and when.
		await overview.open();
		const website = await overview
			.cell(pupil.id, await overview.useId('School website'))
			.innerText();
		expect(website).toContain('Not allowed');
		expect(website).toMatch(/refused by Kemi Adeyemi \(aunt\), \d{4}-\d{2}-\d{2}/);
		await page.context().close();
	});

	it.each([
		['with JavaScript', true],
		['without JavaScript', false]
	])(
		'stores nothing from a form with a problem, names the field, and keeps what was typed (%s)',
		async (_, javaScriptEnabled) => {
			const page = await signedIn(suite.browser, suite.server.url, demoStaff.admin.email, {
				javaScriptEnabled
			});
			const overview = new ConsentOverviewPage(page, suite.server.url, javaScriptEnabled);
			await overview.open();
			const pupil = await overview.firstAllowedEverywhere();
			const consent = new PupilConsentPage(page, suite.server.url, javaScriptEnabled);
			await consent.open(pupil.id);
			const before = await consent.history().count();
			// Every use left "not on the form": nothing to record.
			await consent.fill({ givenBy: 'Ines Duarte', relationship: 'mother', answers: {} });
			await consent.save();
			const alert = page.getByRole('alert').filter({ hasText: 'Answers on the form' });
			await alert.waitFor();
			expect(await alert.innerText()).toContain('Nothing has been saved yet');
			expect(await consent.form().getByLabel('Parent or carer’s name').inputValue()).toBe(
				'Ines Duarte'
			);
			expect(await consent.form().getByLabel('Relationship to the pupil').inputValue()).toBe(
				'mother'
			);
			expect(await consent.history().count()).toBe(before);
			await consent.checkA11y();
			if (!javaScriptEnabled) await shoot(page, 'consent-form-problem');

			// Corrected, the same form saves (a real form post when there is no JavaScript).
			await consent.fill({
				givenBy: 'Ines Duarte',
				relationship: 'mother',
				answers: { 'School website': 'Yes', 'Local or national press': 'No' }
			});
			await consent.save();
			await page
				.getByRole('status')
				.filter({ hasText: '2 answers from the form are recorded' })
				.waitFor();
			expect(await consent.history().count()).toBe(before + 2);
			await consent.verdict('Local or national press').filter({ hasText: 'Not allowed' }).waitFor();
			await page.context().close();
		}
	);

	it('downloads the class as CSV with who answered and when, and a teacher gets no reason and no other class', async () => {
		const page = await signedIn(suite.browser, suite.server.url, demoStaff.admin.email);
		const overview = new ConsentOverviewPage(page, suite.server.url);
		await overview.open();
		const pupil = await overview.firstAllowedEverywhere();
		const consent = new PupilConsentPage(page, suite.server.url);
		await consent.open(pupil.id);
		const day = await consent.form().getByLabel('Date on the form', { exact: true }).inputValue();
		await consent.fill({
			givenBy: '=Rosa Quinn',
			relationship: 'mother',
			answers: { 'School website': 'No' }
		});
		await consent.save();
		await page.getByRole('status').filter({ hasText: '1 answer' }).waitFor();

		await overview.open();
		const { filename, text } = await overview.download();
		expect(filename).toMatch(/^lantern-consent-.+\.csv$/);
		const [header, ...rows] = csvRows(text);
		expect(header!.slice(0, 4)).toEqual([
			'Class',
			'Pupil',
			'On the no-photos list',
			'Why on the no-photos list'
		]);
		expect(rows).toHaveLength(await overview.grid().locator('tbody tr').count());
		const row = rows.find((r) => r[1] === pupil.name)!;
		const website = row[header!.indexOf('School website')]!;
		expect(website.startsWith('Not allowed — refused by =Rosa Quinn (mother), ' + day)).toBe(true);
		// The demo's no-photos pupil, with the reason the admin may see.
		const flagged = rows.find((r) => r[2] === 'Yes')!;
		expect(flagged[3]).toContain('Made up for the demo');
		// A formula-looking class or pupil name never starts a cell.
		for (const r of [header!, ...rows]) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@]/);
		const classIds = await overview.classIds();
		await page.context().close();

		// The teacher of one class: the flag without its reason, and no other class.
		const teacher = await signedIn(suite.browser, suite.server.url, demoStaff.year1.email);
		const theirs = new ConsentOverviewPage(teacher, suite.server.url);
		await theirs.open();
		const mine = await theirs.classIds();
		const got = await theirs.download();
		expect(got.text).not.toContain('Made up for the demo');
		expect(csvRows(got.text)[0]).not.toContain('Why on the no-photos list');
		const other = classIds.find((id) => !mine.includes(id))!;
		const refused = await teacher.request.get(
			`${suite.server.url}/staff/consent/export?class=${other}`
		);
		expect(refused.status()).toBe(403);
		await teacher.context().close();
	});

	it('prints the overview on A4 landscape: no navigation, headings on every page, who answered shown', async () => {
		const page = await signedIn(suite.browser, suite.server.url, demoStaff.admin.email);
		const overview = new ConsentOverviewPage(page, suite.server.url);
		await overview.open();
		for (const size of sizes) {
			await page.setViewportSize(size);
			const width = await page.evaluate(() => document.documentElement.scrollWidth);
			expect(width, `the page at ${size.width}`).toBeLessThanOrEqual(size.width);
		}
		await shoot(page, 'consent-overview');
		await page.emulateMedia({ media: 'print' });
		// Roughly A4 landscape at 96 dpi.
		await page.setViewportSize({ width: 1123, height: 794 });
		expect(await page.getByTestId('staff-nav').isVisible()).toBe(false);
		expect(await page.getByRole('link', { name: 'Download this class (CSV)' }).isVisible()).toBe(
			false
		);
		expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
		const look = await page.evaluate(() => {
			const thead = document.querySelector('[data-testid="consent-grid"] thead')!;
			const grid = document.querySelector('[data-testid="consent-grid"]')!;
			return {
				thead: getComputedStyle(thead).display,
				page: getComputedStyle(grid.closest('.consent-sheet')!).getPropertyValue('page'),
				width: grid.getBoundingClientRect().width
			};
		});
		expect(look.thead).toBe('table-header-group');
		expect(look.page).toBe('consent');
		expect(look.width).toBeLessThanOrEqual(1123);
		// Who answered and when, and each verdict as a word as well as a symbol.
		const grid = await overview.grid().innerText();
		expect(grid).toMatch(/consent given by [^()]+ \([^)]+\), \d{4}-\d{2}-\d{2}/);
		expect(grid).toContain('✘');
		expect(grid).toContain('Not allowed');
		await expectAccessible(page);
		if (shotsDir)
			await page.screenshot({
				path: join(shotsDir, 'i4-print-a4-landscape-consent-overview.png'),
				fullPage: true
			});
		const pdf = await page.pdf({ preferCSSPageSize: true });
		expect(pdf.length).toBeGreaterThan(1000);
		await page.context().close();
	});
});
