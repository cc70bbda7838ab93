import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import {
	ClassesPage,
	ClassPage,
	PeoplePage,
	SetPasswordPage,
	SignInPage,
	StaffHomePage
} from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { openPage } from './support/browser';
import { browserSuite } from './support/suite';

/**
 * The attack, in the browser: an admin adds a DSL account and reads every worry through it.
 * Now the admin gets a one-time link instead of choosing the password, the new person chooses
 * their own (a common one is refused), and nothing is in sight until the DSL approves.
 */
describe('no way round the DSL, in the browser', () => {
	const suite = browserSuite({ seed: 'demo-reports' });
	const laptop = { width: 1024, height: 768 };

	async function signedIn(email: string, password = demoPassword): Promise<Page> {
		const page = await openPage(suite.browser);
		await page.setViewportSize(laptop);
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(email, password);
		await page.waitForURL('**/staff', { timeout: 5000 }).catch(async () => {
			throw new Error(`Could not sign in as ${email}: ${await page.locator('main').innerText()}`);
		});
		await expectAccessible(page);
		return page;
	}

	async function choosePassword(link: string, password: string): Promise<Page> {
		const page = await openPage(suite.browser);
		await page.setViewportSize(laptop);
		const setPassword = new SetPasswordPage(page);
		await setPassword.open(link);
		// A password from the list of common ones is refused, calmly, and nothing is set.
		await setPassword.choose('basketball2024');
		expect(await setPassword.problem()).toContain('on a list of passwords many people use');
		await setPassword.choose(password);
		await page.waitForURL('**/signin?reason=password-set');
		expect(await page.getByRole('status').innerText()).toContain('Your password is set');
		// The link never signs anyone in, and works only once.
		await page.goto(link);
		expect(await page.getByRole('status').innerText()).toContain('no longer works');
		await expectAccessible(page);
		return page;
	}

	it('gives a new DSL and a newly assigned teacher nothing until the DSL approves on the home page', async () => {
		const admin = await signedIn(demoStaff.admin.email);
		const people = new PeoplePage(admin, suite.server.url);
		await people.visit('/staff/people');
		const leadLink = await people.addStaff({
			name: 'Nerys Newlead',
			email: 'nerys@brightwater.example',
			role: 'dsl'
		});
		expect(await admin.getByRole('status').innerText()).toContain('until the DSL approves');
		expect(leadLink).toMatch(/\/set-password\/[A-Za-z0-9_-]{22}$/);
		expect(await people.row('Nerys Newlead').innerText()).toContain('Waiting for the DSL');
		const teacherLink = await people.addStaff({
			name: 'Gwil Newteach',
			email: 'gwil@brightwater.example',
			role: 'teacher'
		});

		const classes = new ClassesPage(admin, suite.server.url);
		await classes.visit('/staff/classes');
		await classes.openClass('Kestrels');
		const kestrels = new ClassPage(admin, suite.server.url);
		await kestrels.assignTeacher('Gwil Newteach');
		expect((await kestrels.teachers()).join('\n')).toMatch(
			/Gwil Newteach[\s\S]*Waiting for the DSL/
		);

		await choosePassword(leadLink, 'Owls nest in the old barn');
		await choosePassword(teacherLink, 'Kestrels hover over hills');

		// Signed in, the new DSL sees no reports, and the inbox is not for them yet.
		const lead = await signedIn('nerys@brightwater.example', 'Owls nest in the old barn');
		const leadHome = new StaffHomePage(lead, suite.server.url);
		expect(await leadHome.reportsShown()).toBe(0);
		await leadHome.visit('/staff/reports');
		expect(await lead.locator('main').innerText()).toContain("Your account can't open this page");
		const teacher = await signedIn('gwil@brightwater.example', 'Kestrels hover over hills');
		expect(await teacher.locator('main').innerText()).not.toContain('Kestrels');

		// The DSL is told of each change on the home page, and approves.
		const dsl = await signedIn(demoStaff.dsl.email);
		const home = new StaffHomePage(dsl, suite.server.url);
		const notices = await home.notices();
		expect(notices.join('\n')).toContain(
			`${demoStaff.admin.name} added Nerys Newlead as Designated Safeguarding Lead`
		);
		expect(notices.join('\n')).toContain(`${demoStaff.admin.name} added Gwil Newteach (Teacher)`);
		expect(notices.join('\n')).toContain(
			`${demoStaff.admin.name} put Gwil Newteach on the class Kestrels`
		);
		await home.approve('Nerys Newlead');
		expect(await dsl.getByRole('status').innerText()).toContain('Approved');
		await home.approve('Gwil Newteach');
		expect(await dsl.getByRole('status').innerText()).toContain('Approved');
		await dsl.getByRole('button', { name: 'Mark the others as read' }).click();
		await home.submitted();

		// Now in effect: the new DSL sees the reports, the teacher has the class.
		await leadHome.visit('/staff');
		expect(await leadHome.reportsShown()).toBe(1);
		const teacherHome = new StaffHomePage(teacher, suite.server.url);
		await teacherHome.visit('/staff');
		expect(await teacher.locator('main').innerText()).toContain('Kestrels');
		// A long journey through five people's screens on a shared machine: a generous budget.
	}, 240_000);
});
