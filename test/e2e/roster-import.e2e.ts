import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { ClassesPage, ClassPage, ImportPage, SignInPage } from './pages/staff-pages';
import { browserSuite } from './support/suite';

/** The example exports, as the office's computer would upload them: their bytes as they are. */
const example = (name: string) => readFileSync(`src/lib/domain/mis-examples/${name}`);

/** Set LANTERN_SHOTS_DIR to keep screenshots of the import screens, to look at. */
const shotsDir = process.env.LANTERN_SHOTS_DIR;

const wrens = [
	'Chloë D.',
	'Liv H.',
	'Mabli E.',
	'Niamh D.',
	'Sam K.',
	'Sam K.',
	'Tomos P.',
	'Zainab R.'
];

describe('class-roster import of school systems’ exports, in the browser', () => {
	const suite = browserSuite({ seed: 'demo' });

	/** The school's admin on a 1024 × 768 screen, on a new class's import page. */
	async function newClassImport(className: string, year: string) {
		const context = await suite.browser.newContext({ viewport: { width: 1024, height: 768 } });
		const page = await context.newPage();
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(demoStaff.admin.email, demoPassword);
		await page.waitForURL('**/staff');
		const classes = new ClassesPage(page, suite.server.url);
		await classes.visit('/staff/classes');
		await classes.addClass(className, year);
		await classes.openClass(className);
		const classPage = new ClassPage(page, suite.server.url);
		await classPage.openImport();
		return { page, classPage, importPage: new ImportPage(page, suite.server.url) };
	}

	async function shot(page: Page, name: string) {
		if (shotsDir) await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
	}

	it('imports the Arbor roster once; the same file again adds nobody, and says who is already here', async () => {
		const { page, classPage, importPage } = await newClassImport('Wrens', 'Year 3');
		const importUrl = page.url();

		await importPage.upload('arbor-roster.csv', example('arbor-roster.csv'));
		// Arbor's Legal First Name / Legal Last Name / Preferred First Name are guessed.
		expect(await importPage.column('First name column').inputValue()).toBe('Legal First Name');
		expect(await importPage.column('Surname column').inputValue()).toBe('Legal Last Name');
		expect(
			await importPage.column('Preferred first name column (if there is one)').inputValue()
		).toBe('Preferred First Name');
		expect(await importPage.previewNames()).toEqual([
			'2\tChloë\tD\tChloë Dubois',
			'3\tNiamh\tD\tNiamh D’Arcy',
			'4\tSam\tK\tSam Kowalski',
			'5\tSam\tK\tSam Kennedy',
			'6\tLiv\tH\tLiv Hart-Jones',
			'7\tTomos\tP\tTomos Pritchard',
			'8\tZainab\tR\tZainab Rahman',
			'9\tMabli\tE\tMabli Ellis'
		]);
		expect(await importPage.sameShortName()).toEqual([
			'2 pupils will show as Sam K.: Sam Kowalski (line 4), Sam Kennedy (line 5). They are different children (their surnames differ), so each of them is added.'
		]);
		await shot(page, 'roster-import-arbor-preview-1024x768');
		await importPage.commit();
		expect(await page.getByRole('status').innerText()).toContain('8 pupils have been imported.');
		await page.getByRole('link', { name: 'Back to the class' }).click();
		await page.waitForURL('**/staff/classes/*');
		expect((await classPage.pupils()).sort()).toEqual(wrens);

		// The same file again: everyone is already here, and there is nothing to import.
		await page.goto(importUrl);
		await importPage.upload('arbor-roster.csv', example('arbor-roster.csv'));
		expect(await page.getByRole('status').innerText()).toContain(
			'Everyone in this file is already in the class'
		);
		expect(await page.getByRole('heading', { name: '8 pupils are already in Wrens' }).count()).toBe(
			1
		);
		expect(await importPage.alreadyHere()).toContain('Niamh D. — Niamh D’Arcy (line 3)');
		expect(await importPage.hasCommitButton()).toBe(false);
		await shot(page, 'roster-import-arbor-again-1024x768');

		// The same pupils from SIMS, in Windows-1252: read as that, and said so.
		await page.goto(importUrl);
		await importPage.upload(
			'sims-roster-windows-1252.csv',
			example('sims-roster-windows-1252.csv')
		);
		expect(await importPage.readAs()).toContain('Windows-1252');
		expect(await importPage.alreadyHere()).toEqual(
			expect.arrayContaining([
				'Chloë D. — Dubois, Chloë (line 2)',
				'Niamh D. — D’Arcy, Niamh (line 3)'
			])
		);
		expect(await importPage.hasCommitButton()).toBe(false);

		await page.goto(importUrl.replace('/import', ''));
		expect((await classPage.pupils()).sort()).toEqual(wrens);
	}, 120_000);

	it('reads a Windows-1252 SIMS export into a new class, showing Chloë and D’Arcy before importing', async () => {
		const { page, classPage, importPage } = await newClassImport('Robins', 'Year 2');
		await importPage.upload(
			'sims-roster-windows-1252.csv',
			example('sims-roster-windows-1252.csv')
		);
		expect(await importPage.readAs()).toContain(
			'This file was saved in an older format (Windows-1252'
		);
		expect(await importPage.column('Or: the whole name in one column').inputValue()).toBe('Name');
		const names = await importPage.previewNames();
		expect(names.slice(0, 2)).toEqual(['2\tChloë\tD\tDubois, Chloë', '3\tNiamh\tD\tD’Arcy, Niamh']);
		expect((await page.content()).includes('\uFFFD')).toBe(false);
		await shot(page, 'roster-import-windows-1252-preview-1024x768');
		await importPage.commit();
		expect(await page.getByRole('status').innerText()).toContain('8 pupils have been imported.');
		await page.getByRole('link', { name: 'Back to the class' }).click();
		await page.waitForURL('**/staff/classes/*');
		expect((await classPage.pupils()).sort()).toEqual(wrens);
	}, 120_000);

	it('stops a file with the same pupil twice, naming both lines, and adds nobody', async () => {
		const { page, classPage, importPage } = await newClassImport('Finches', 'Year 5');
		const csv =
			'Legal Surname,Legal Forename,Preferred Forename,Reg Group\r\n' +
			'Pritchard,Tomos,,5F\r\nRahman,Zainab,,5F\r\nPritchard,Tomos,,5F\r\n';
		await importPage.upload('sims.csv', csv);
		expect(await importPage.badRows()).toEqual([
			'Line 4: Tomos Pritchard is on line 2 and again on line 4: the same pupil twice. Take one of the rows out of the file.'
		]);
		expect(await importPage.hasCommitButton()).toBe(false);
		await shot(page, 'roster-import-duplicate-1024x768');
		await page.goto(page.url().split('?')[0]!.replace('/import', ''));
		expect(await classPage.pupils()).toEqual([]);
	}, 120_000);
});
