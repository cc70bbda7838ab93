import { describe, expect, it } from 'vitest';
import { createSchoolWithAdmin } from '$lib/server/services/setup.service';
import { SignInPage, StaffArea } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { openPage } from './support/browser';
import { openSchool } from './support/school';
import { browserSuite } from './support/suite';

/**
 * The attack: a password someone else chose (typed into `npm run setup` by whoever installed
 * Lantern) stays in use. Now the person changes it before any other page opens, and a common
 * password is refused there too.
 */
describe('a password chosen by someone else, in the browser', () => {
	const suite = browserSuite({ seed: 'empty' });
	const given = 'given by the installer 7';

	it('sends the admin to change it before anything else, and refuses a common one', async () => {
		const school = await openSchool(suite.server.dbFile);
		const made = await createSchoolWithAdmin(
			school,
			{
				schoolName: 'Willow Primary',
				adminName: 'Ada Admin',
				email: 'ada@willow.example',
				password: given
			},
			{ firstRun: true, passwordChosenElsewhere: true }
		);
		await school.close();
		expect(made.ok).toBe(true);

		const page = await openPage(suite.browser);
		await page.setViewportSize({ width: 1024, height: 768 });
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn('ada@willow.example', given);
		await page.waitForURL('**/staff/account?reason=change-password');
		expect(await page.getByTestId('must-change-password').innerText()).toContain(
			'chosen by someone else'
		);
		await expectAccessible(page);

		// Every other staff page sends them back here.
		const area = new StaffArea(page, suite.server.url);
		await page.goto(suite.server.url + '/staff/people');
		await page.waitForURL('**/staff/account?reason=change-password');

		await page.getByLabel('Current password').fill(given);
		await page.getByLabel('New password', { exact: true }).fill('password2024!');
		await page.getByLabel('New password again').fill('password2024!');
		await page.getByRole('button', { name: 'Change password' }).click();
		await area.submitted();
		expect(await page.getByRole('alert').innerText()).toContain(
			'on a list of passwords many people use'
		);

		await page.getByLabel('Current password').fill(given);
		await page.getByLabel('New password', { exact: true }).fill('Willows lean over the brook');
		await page.getByLabel('New password again').fill('Willows lean over the brook');
		await page.getByRole('button', { name: 'Change password' }).click();
		await page.waitForURL('**/signin?reason=password-changed');
		await signIn.signIn('ada@willow.example', 'Willows lean over the brook');
		await page.waitForURL('**/staff');
		await area.visit('/staff/people');
		expect(await area.heading()).toBe('Staff');
	}, 120_000);
});
