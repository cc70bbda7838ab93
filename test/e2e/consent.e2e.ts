import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { SignInPage } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { openPage } from './support/browser';
import { browserSuite } from './support/suite';

async function signedIn(page: Page, base: string, email: string) {
	const signIn = new SignInPage(page, base);
	await signIn.open();
	await signIn.signIn(email, demoPassword);
	await page.waitForURL('**/staff**');
}

describe('photo consent for office staff', () => {
	const suite = browserSuite({ seed: 'demo-reports' });

	it('shows pupils × uses, records a withdrawal, and keeps the no-photos reason to the DSL and admin', async () => {
		const page = await openPage(suite.browser);
		await signedIn(page, suite.server.url, demoStaff.admin.email);
		await page.getByRole('link', { name: 'Photo consent' }).click();
		await page.getByRole('heading', { name: 'Photo consent', level: 1 }).waitFor();
		const grid = page.getByTestId('consent-grid');
		expect(await grid.locator('tbody tr').count()).toBe(12);
		// The demo has one Hedgehog on the no-photos list.
		expect(await grid.getByText('No photos').count()).toBe(1);
		await expectAccessible(page);

		// Only the pupils to look at.
		await page.getByLabel('Show').selectOption('attention');
		await page.getByRole('button', { name: 'Show', exact: true }).click();
		await page.waitForURL('**show=attention**');
		const attention = await grid.locator('tbody tr').count();
		expect(attention).toBeGreaterThan(0);
		expect(attention).toBeLessThan(12);

		// One pupil: withdraw the website.
		await page.getByLabel('Show').selectOption('');
		await page.getByRole('button', { name: 'Show', exact: true }).click();
		const first = grid.locator('tbody tr').first();
		const name = await first.locator('th a').innerText();
		await first.locator('th a').click();
		await page.getByRole('heading', { name: `Photo consent: ${name}` }).waitFor();
		await expectAccessible(page);
		const website = page.getByTestId('pupil-verdicts').locator('tr', { hasText: 'School website' });
		expect(await website.innerText()).toContain('Allowed');
		// One form from a made-up carer: a "no" to the website (their first answer: refused).
		const form = page.getByTestId('paper-form');
		const websiteAnswer = form.getByRole('group', { name: 'School website' });
		await websiteAnswer.getByLabel('No', { exact: true }).check();
		await form.getByLabel('Parent or carer’s name').fill('A made-up parent');
		await form.getByLabel('Relationship to the pupil').fill('mother');
		await form.getByRole('button', { name: 'Save the whole form' }).click();
		await page
			.getByRole('status')
			.filter({ hasText: '1 answer from the form is recorded' })
			.waitFor();
		await website.filter({ hasText: 'Not allowed' }).waitFor();
		expect(await page.getByTestId('history').locator('tbody tr').first().innerText()).toContain(
			'No (refused)'
		);

		// A bad answer is refused calmly and changes nothing.
		const before = await page.getByTestId('history').locator('tbody tr').count();
		await websiteAnswer.getByLabel('Yes', { exact: true }).check();
		await form.getByLabel('Parent or carer’s name').fill('   ');
		await form.getByLabel('Relationship to the pupil').fill('aunt');
		await form.getByRole('button', { name: 'Save the whole form' }).click();
		await page.getByRole('alert').filter({ hasText: 'please write who answered' }).waitFor();
		expect(await page.getByTestId('history').locator('tbody tr').count()).toBe(before);

		// Put the pupil on the no-photos list: the admin sees the reason.
		await page.getByLabel('Yes: never photograph them').check();
		await page
			.getByLabel('Reason (needed to put a pupil on the list)')
			.fill('Made-up reason for a test');
		await page.getByRole('button', { name: 'Save' }).nth(1).click();
		await page.getByTestId('no-photos').filter({ hasText: 'Made-up reason for a test' }).waitFor();
		await expectAccessible(page);
		const pupilUrl = page.url();

		// The class teacher sees the flag, never the reason.
		const teacher = await openPage(suite.browser);
		await signedIn(teacher, suite.server.url, demoStaff.year1.email);
		await teacher.goto(pupilUrl);
		await teacher.getByTestId('no-photos').waitFor();
		expect(await teacher.locator('body').innerText()).not.toContain('Made-up reason');
		expect(await teacher.getByRole('button', { name: 'Save' }).count()).toBe(0);
		await expectAccessible(teacher);
		await teacher.context().close();
		await page.context().close();
	});

	it('lets the admin change the list of uses', async () => {
		const page = await openPage(suite.browser);
		await signedIn(page, suite.server.url, demoStaff.admin.email);
		await page.goto(suite.server.url + '/staff/consent/uses');
		await expectAccessible(page);
		const uses = page.getByTestId('uses').locator('li');
		const count = await uses.count();
		await page.getByRole('textbox', { name: 'Use' }).last().fill('Sports day film');
		await page.getByRole('button', { name: 'Add a use' }).click();
		await page.getByRole('status').waitFor();
		await uses.nth(count).waitFor();
		expect(await uses.nth(count).locator('input[name="name"]').inputValue()).toBe(
			'Sports day film'
		);
		await page.context().close();
	});

	it('imports consent from an MIS export after a check, and imports nothing from a bad file', async () => {
		const page = await openPage(suite.browser);
		await signedIn(page, suite.server.url, demoStaff.admin.email);
		await page.goto(suite.server.url + '/staff/consent');
		await page.getByRole('link', { name: "Import from the school's system" }).click();
		await page.getByRole('heading', { name: "Import consent from the school's system" }).waitFor();
		await expectAccessible(page);
		// Two Hedgehogs, by the names the demo gives them.
		const good = [
			'Forename,Surname,Reg Group,Contact,Relationship,Date,School website,Press',
			'Alfie,Brown,Hedgehogs,A made-up parent,mother,01/11/2026,No,No',
			'Bea,Clark,Hedgehogs,Another made-up parent,father,01/11/2026,Yes,Yes'
		].join('\r\n');
		await page
			.getByLabel('CSV file')
			.setInputFiles({ name: 'consent.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
		await page.getByRole('button', { name: 'Check the file' }).click();
		const preview = page.getByTestId('import-preview');
		await preview.waitFor();
		expect(await preview.innerText()).toContain('2 rows read');
		await expectAccessible(page);
		await page.getByRole('button', { name: 'Import', exact: true }).click();
		await page.getByTestId('imported').waitFor();

		// A bad file: every problem named, nothing imported.
		await page.goto(suite.server.url + '/staff/consent/import');
		const bad = [
			'Forename,Surname,Reg Group,Contact,Relationship,Date,School website',
			'Nobody,Known,Hedgehogs,,,,Yes',
			'Alfie,Brown,Hedgehogs,=SUM(1;2),mother,,Yes'
		].join('\r\n');
		await page
			.getByLabel('CSV file')
			.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
		await page.getByRole('button', { name: 'Check the file' }).click();
		const problems = page.getByTestId('import-problems');
		await problems.waitFor();
		const text = await problems.innerText();
		expect(text).toContain('Line 2');
		expect(text).toContain('No pupil of your classes has this name');
		expect(text).toContain('looks like a spreadsheet formula');
		expect(await page.getByRole('button', { name: 'Import', exact: true }).count()).toBe(0);
		await expectAccessible(page);
		await page.context().close();
	});
});
