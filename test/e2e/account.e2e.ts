import { describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { SignInPage, StaffArea } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { openPage } from './support/browser';
import { browserSuite } from './support/suite';

describe('your account and the start page', () => {
	const suite = browserSuite({ seed: 'demo' });

	it('shows the start page with the way in for pupils and for staff', async () => {
		const page = await openPage(suite.browser);
		await page.goto(suite.server.url + '/');
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Welcome to Lantern');
		await expectAccessible(page);
		await page.getByRole('link', { name: /Pupil screen/ }).click();
		await page.getByRole('heading', { name: 'Hello!' }).waitFor();
		expect(await page.getByRole('button', { name: 'Read to me' }).count()).toBe(1);
		await expectAccessible(page);
	});

	it('changes a password, which signs the account out everywhere', async () => {
		const laptop = await openPage(suite.browser);
		const whiteboard = await openPage(suite.browser);
		for (const page of [laptop, whiteboard]) {
			const signIn = new SignInPage(page, suite.server.url);
			await signIn.open();
			await signIn.signIn(demoStaff.trip.email, demoPassword);
			await page.waitForURL('**/staff');
		}
		const account = new StaffArea(laptop, suite.server.url);
		await account.visit('/staff/account');
		expect(await laptop.locator('dl.facts').innerText()).toContain('Trip staff');

		await laptop.getByLabel('Current password').fill(demoPassword);
		await laptop.getByLabel('New password', { exact: true }).fill('a brand new password');
		await laptop.getByLabel('New password again').fill('a different new password');
		await laptop.getByRole('button', { name: 'Change password' }).click();
		expect(await laptop.getByRole('alert').innerText()).toContain(
			'two new passwords are different'
		);
		await expectAccessible(laptop);

		await laptop.getByLabel('Current password').fill(demoPassword);
		await laptop.getByLabel('New password', { exact: true }).fill('a brand new password');
		await laptop.getByLabel('New password again').fill('a brand new password');
		await laptop.getByRole('button', { name: 'Change password' }).click();
		await laptop.waitForURL('**/signin?reason=password-changed');

		// The other device's session ended too.
		await whiteboard.goto(suite.server.url + '/staff');
		await whiteboard.waitForURL('**/signin**');
		const signIn = new SignInPage(whiteboard, suite.server.url);
		await signIn.signIn(demoStaff.trip.email, 'a brand new password');
		await whiteboard.waitForURL('**/staff');
	});
});
