import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { ConsentImportPage } from './pages/consent-import-pages';
import { ClassesPage, ClassPage, SignInPage } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { openPage } from './support/browser';
import { browserSuite } from './support/suite';

/** Screenshots for people to look at, when LANTERN_SHOTS names a folder. */
async function shot(page: Page, name: string) {
	const dir = process.env.LANTERN_SHOTS;
	if (!dir) return;
	mkdirSync(dir, { recursive: true });
	await page.setViewportSize({ width: 1024, height: 768 });
	await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

const csv = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf-8');

describe('photo consent imported from real MIS exports', () => {
	const suite = browserSuite({ seed: 'demo-reports' });

	async function officeSignedIn() {
		const page = await openPage(suite.browser);
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(demoStaff.admin.email, demoPassword);
		await page.waitForURL('**/staff**');
		const importPage = new ConsentImportPage(page, suite.server.url);
		await importPage.open();
		return { page, importPage };
	}

	it('shows a blank in a SIMS re-import by name, and records it as not given when the file is the complete list', async () => {
		const { page, importPage } = await officeSignedIn();
		expect(await page.getByTestId('what-we-expect').innerText()).toContain('Arbor');
		await shot(page, 'i1-upload');
		// Alfie's family said yes to the website on the paper form; in SIMS it is now unticked.
		await importPage.upload(
			'sims-consent.csv',
			csv([
				'Legal Surname,Legal Forename,Preferred Forename,Reg Group,Date Collected,School Website,Press',
				'Brown,Alfie,,1H,10/09/2026,,Yes',
				'Clark,Bea,,1H,10/09/2026,Yes,No'
			])
		);
		expect(await importPage.detected()).toContain('Looks like a SIMS export.');
		await importPage.chooseClass('1H', 'Hedgehogs');
		await importPage.checkAgain();
		const kept = await importPage.changes();
		expect(kept).toContainEqual(
			expect.stringMatching(
				/^Alfie B\. \(Hedgehogs\) — School website: allowed → allowed \(blank in the file: nothing recorded/
			)
		);
		expect(kept).toContainEqual(
			expect.stringContaining(
				'Bea C. (Hedgehogs) — Local or national press: allowed → not allowed (refused by a carer not named in the file, 10 Sept)'
			)
		);
		await shot(page, 'i1-sims-mapping-and-preview');

		await importPage.blankMeansNotGiven();
		await importPage.checkAgain();
		// The demo has both of Alfie's parents' yes: each is withdrawn, by name.
		expect(await importPage.changes()).toContainEqual(
			expect.stringMatching(
				/^Alfie B\. \(Hedgehogs\) — School website: allowed → not allowed \(blank in the file, a complete list: recorded as withdrawn for [^;]+ \((mother|father)\), 10 Sept; blank in the file, a complete list: recorded as withdrawn for [^;]+ \((mother|father)\), 10 Sept\)$/
			)
		);
		await shot(page, 'i1-sims-preview-complete-list');
		await importPage.importFile();
		const result = await importPage.result();
		expect(result).toContain('Imported.');
		expect(result).toContain('Alfie B. (Hedgehogs) — School website: allowed → not allowed');
		expect(result).toContain('2 consents are no longer allowed.');
		await shot(page, 'i1-sims-result');
		await page.context().close();
	});

	it('reads an Arbor long export: each carer’s answer, and a first “no” is a refusal', async () => {
		const { page, importPage } = await officeSignedIn();
		await importPage.upload(
			'arbor-consent-long.csv',
			csv([
				'Legal First Name,Legal Last Name,Registration Form,Consent Type,Consent Status,Given By,Relationship,Date',
				'Arlo,North,Kestrels,Photographs - School Website,Granted,A made-up carer,Mother,05/10/2026',
				'Arlo,North,Kestrels,Photographs - School Website,Withdrawn,Another made-up carer,Father,06/10/2026',
				'Arlo,North,Kestrels,Educational Visits,Granted,A made-up carer,Mother,05/10/2026'
			])
		);
		expect(await importPage.detected()).toContain('Looks like an Arbor export.');
		expect(await page.getByTestId('not-used').innerText()).toContain('Educational Visits');
		expect(await importPage.changes()).toEqual([
			'Arlo N. (Kestrels) — School website: allowed → not allowed (given by A made-up carer (Mother), 5 Oct; refused by Another made-up carer (Father), 6 Oct)'
		]);
		await importPage.importFile();
		expect(await importPage.result()).toContain('1 consent is no longer allowed.');
		await page.context().close();
	});

	it('reads a Windows-1252 file from Excel and shows the names as read', async () => {
		const { page, importPage } = await officeSignedIn();
		const classes = new ClassesPage(page, suite.server.url);
		await classes.visit('/staff/classes');
		await classes.openClass('Hedgehogs');
		await new ClassPage(page, suite.server.url).addPupil('Chloë', 'Evans');
		await importPage.open();
		const text = [
			'Forename,Surname,Class,Contact,Date,School website',
			'Chloë,Evans,Hedgehogs,Zoë Evans (Mother),10/09/2026,Yes'
		].join('\r\n');
		await importPage.upload('excel.csv', Buffer.from(text, 'latin1'));
		expect(await importPage.encoding()).toContain('Windows-1252');
		expect(await importPage.namesRead()).toEqual(['2\tChloë Evans\tChloë E. (Hedgehogs)']);
		expect(await importPage.changes()).toEqual([
			// The demo school asks for both parents' yes: one is "check".
			'Chloë E. (Hedgehogs) — School website: not allowed → check (given by Zoë Evans (Mother), 10 Sept)'
		]);
		await shot(page, 'i1-windows-1252-preview');
		await page.context().close();
	});

	it('stops at an unknown answer word, naming it, and lets the office map it on the page', async () => {
		const { page, importPage } = await officeSignedIn();
		await importPage.upload(
			'scholarpack-consent.csv',
			csv([
				'Surname,Forename,Class,Date,Photos on school website',
				'Dixon,Cody,Hedgehogs,10/09/2026,Not sure'
			])
		);
		expect(await importPage.detected()).toContain('Looks like a ScholarPack export.');
		const problems = await importPage.problems();
		expect(problems).toContain('Line 2');
		expect(problems).toContain('This answer word is not known');
		expect(problems).toContain('Not sure');
		expect(await page.getByRole('button', { name: 'Import', exact: true }).count()).toBe(0);
		await shot(page, 'i1-unknown-word');
		await importPage.mapWord('not sure', 'No: not given');
		await importPage.checkAgain();
		expect(await importPage.changes()).toEqual([
			expect.stringContaining(
				'Cody D. (Hedgehogs) — School website: allowed → not allowed (refused by a carer not named in the file, 10 Sept)'
			)
		]);
		await page.context().close();
	});

	// Each system's example file, as shown under "What we expect" (the demo's Otters): detected,
	// registration groups mapped once, read without a problem, and imported, naming the pupils.
	it.each([
		['sims-consent.csv', 'SIMS', 'UTF-8'],
		['sims-consent-windows-1252.csv', 'SIMS', 'Windows-1252'],
		['scholarpack-consent.csv', 'ScholarPack', 'UTF-8'],
		['bromcom-consent.csv', 'Bromcom', 'UTF-8'],
		['arbor-consent-long.csv', 'Arbor', 'UTF-8'],
		['juniper-consent-long.csv', 'Juniper Education', 'UTF-8']
	])('imports the example %s: detected as %s, read as %s', async (file, system, encoding) => {
		const { page, importPage } = await officeSignedIn();
		await importPage.upload(file, readFileSync(`src/lib/domain/mis-examples/${file}`));
		expect(await importPage.detected()).toMatch(new RegExp(`Looks like an? ${system} export`));
		expect(await importPage.encoding()).toContain(encoding);
		// A registration group Lantern cannot place ("6O") is mapped to its class once.
		const groups = page.getByTestId('class-mapping').locator('select');
		for (let i = 0; i < (await groups.count()); i++)
			if ((await groups.nth(i).inputValue()) === '')
				await groups.nth(i).selectOption({ label: 'Otters' });
		const today = page.getByLabel("Use today's date", { exact: false });
		if (!(await today.isChecked())) await today.check();
		await importPage.checkAgain();
		if (await page.getByTestId('import-problems').count())
			expect(await importPage.problems()).toBe('');
		const names = await importPage.namesRead();
		expect(names).toHaveLength(8);
		for (const pupil of ['Amara Z. (Otters)', 'Emrys D. (Otters)', 'Hattie G. (Otters)'])
			expect(names.some((row) => row.endsWith(pupil))).toBe(true);
		await importPage.importFile();
		expect(await importPage.result()).toContain('Imported.');
		await page.context().close();
	});

	it('refuses a file whose notes cell has an unbalanced quote, naming the line, and imports nothing', async () => {
		const { page, importPage } = await officeSignedIn();
		await page.getByLabel('CSV file').setInputFiles({
			name: 'notes.csv',
			mimeType: 'text/csv',
			buffer: csv([
				'Forename,Surname,Class,Date,School website,Notes',
				'Gus,Hill,Hedgehogs,10/09/2026,Yes,"Needs a sun hat',
				'Hana,Ives,Hedgehogs,10/09/2026,No,'
			])
		});
		await page.getByRole('button', { name: 'Check the file' }).click();
		await page.getByTestId('import-problems').waitFor();
		await expectAccessible(page);
		const problems = await importPage.problems();
		expect(problems).toContain('Line 2');
		expect(problems).toContain('quotation mark');
		expect(await page.getByRole('button', { name: 'Import', exact: true }).count()).toBe(0);
		await page.context().close();
	});
});
