import { describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { PeoplePage, SignInPage, StaffArea } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { openPage } from './support/browser';
import { nextCode } from './support/second-factor';
import { browserSuite } from './support/suite';

describe('staff sign-in in the browser', () => {
	const suite = browserSuite({ seed: 'demo' });

	it('signs in, shows the staff home, and signs out', async () => {
		const page = await openPage(suite.browser);
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(demoStaff.year4.email, demoPassword);
		await page.waitForURL('**/staff');
		const staff = new StaffArea(page, suite.server.url);
		expect(await staff.heading()).toBe(`Hello, ${demoStaff.year4.name}`);
		expect(await page.getByRole('link', { name: /Kestrels/ }).count()).toBe(1);
		expect(await page.getByRole('link', { name: /Otters/ }).count()).toBe(0);
		await expectAccessible(page);

		await staff.signOut();
		expect(await signIn.notice()).toContain('You have signed out');
		await page.goto(suite.server.url + '/staff');
		await page.waitForURL('**/signin?reason=signin**');
	});

	it('locks an account after six failed sign-ins, with the same words for an unknown email', async () => {
		const page = await openPage(suite.browser);
		const signIn = new SignInPage(page, suite.server.url);
		const messages: Record<string, string[]> = {};
		for (const email of [demoStaff.year6.email, 'nobody@brightwater.example']) {
			messages[email] = [];
			await signIn.open();
			for (let i = 0; i < 6; i++) {
				await signIn.signIn(email, 'not-the-password');
				messages[email].push(await signIn.problem());
			}
			await expectAccessible(page);
			// Even the right password is refused now.
			await signIn.signIn(email, demoPassword);
			expect(await signIn.problem()).toContain('Signing in is paused');
		}
		const [known, unknown] = Object.values(messages);
		expect(known).toEqual(unknown);
		expect(known?.slice(0, 5).every((m) => m.includes("don't match an account"))).toBe(true);
		expect(known?.[5]).toContain('Signing in is paused');

		// The admin sees the slow-down and lifts it.
		await signIn.signIn(demoStaff.admin.email, demoPassword);
		const people = new PeoplePage(page, suite.server.url);
		await people.visit('/staff/people');
		expect(await people.row(demoStaff.year6.name).innerText()).toContain('Slowed down');
		await people.press(`Unlock ${demoStaff.year6.name}`);
		expect(await people.row(demoStaff.year6.name).innerText()).toContain('Active');
		await people.signOut();
		await signIn.signIn(demoStaff.year6.email, demoPassword);
		await page.waitForURL('**/staff');
	});

	it('warns, then signs out after ten idle minutes', async () => {
		const page = await openPage(suite.browser);
		await page.clock.install();
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(demoStaff.dsl.email, demoPassword);
		await page.waitForURL('**/staff');
		await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });

		await page.clock.fastForward('08:00');
		expect(await page.getByRole('alertdialog').count()).toBe(0);
		await page.clock.fastForward('01:10');
		await page.getByRole('alertdialog').waitFor();
		expect(await page.getByRole('alertdialog').innerText()).toContain('Are you still there?');
		await expectAccessible(page);

		await page.clock.fastForward('01:00');
		await page.waitForURL('**/signin?reason=idle');
		expect(await signIn.notice()).toContain("wasn't used for a while");
		// The session really ended on the server: the staff area asks for sign-in again.
		await page.goto(suite.server.url + '/staff');
		await page.waitForURL('**/signin**');
	});

	it('keeps a session alive when "Stay signed in" is pressed', async () => {
		const page = await openPage(suite.browser);
		await page.clock.install();
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(demoStaff.year1.email, demoPassword);
		await page.waitForURL('**/staff');
		await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
		await page.clock.fastForward('09:10');
		await page.getByRole('button', { name: 'Stay signed in' }).click();
		await page.clock.fastForward('05:00');
		expect(await page.getByRole('alertdialog').count()).toBe(0);
		expect(page.url()).toMatch(/\/staff$/);
	});

	it('switches to Welsh, sets <html lang>, and remembers the choice', async () => {
		const page = await openPage(suite.browser);
		await page.goto(suite.server.url + '/signin');
		await page.getByLabel('Language').selectOption('cy');
		await page.getByRole('heading', { name: 'Mewngofnodi staff' }).waitFor();
		expect(await page.locator('html').getAttribute('lang')).toBe('cy');
		expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
		await expectAccessible(page);

		await page.reload();
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Mewngofnodi staff');
		expect(await page.locator('html').getAttribute('lang')).toBe('cy');
		await page.getByLabel('Cyfeiriad e-bost').fill(demoStaff.admin.email);
		await page.getByLabel('Cyfrinair').fill(demoPassword);
		await page.getByRole('button', { name: 'Mewngofnodi' }).click();
		// The admin's second factor, in Welsh too.
		await page.waitForURL('**/signin/code?next=%2Fstaff');
		await expectAccessible(page);
		await page
			.getByLabel("Cod chwe digid o'r ap")
			.fill(await nextCode(suite.server.url, demoStaff.admin.email));
		await page.getByRole('button', { name: 'Parhau', exact: true }).click();
		await page.waitForURL('**/staff');
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
			`Helo, ${demoStaff.admin.name}`
		);
		await expectAccessible(page);

		await page.getByLabel('Iaith').selectOption('en');
		await page.getByRole('heading', { name: `Hello, ${demoStaff.admin.name}` }).waitFor();
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
	});
});
