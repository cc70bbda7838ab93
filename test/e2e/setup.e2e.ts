import { describe, expect, it } from 'vitest';
import { SetupPage, SignInPage, StaffArea } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { openPage } from './support/browser';
import { browserSuite } from './support/suite';

describe('first-run setup in the browser', () => {
	const suite = browserSuite({ seed: 'empty' });

	it('creates the school and its admin, who then signs in; a second setup is refused', async () => {
		const page = await openPage(suite.browser);
		const setup = new SetupPage(page, suite.server.url);
		await setup.open();

		await setup.createSchool('Willow Bank Primary', 'Ada Admin', 'ada@willow.example', 'short');
		// The browser's own check stops a short password; the server would refuse it too.
		expect(page.url()).toContain('/setup');

		await setup.createSchool(
			'Willow Bank Primary',
			'Ada Admin',
			'ada@willow.example',
			'a long first password'
		);
		await page.waitForURL('**/signin?reason=setup-done');
		const signIn = new SignInPage(page, suite.server.url);
		expect(await signIn.notice()).toContain('Your school is set up');
		await expectAccessible(page);

		await signIn.signIn('ada@willow.example', 'a long first password');
		await page.waitForURL('**/staff');
		const staff = new StaffArea(page, suite.server.url);
		expect(await staff.heading()).toBe('Hello, Ada Admin');
		await expectAccessible(page);

		await staff.visit('/setup');
		expect(await page.getByRole('status').innerText()).toContain('already been set up');
		expect(
			await page.getByRole('button', { name: 'Create school and admin account' }).count()
		).toBe(0);

		// A hand-made post is refused as well, and makes no admin.
		const response = await page.request.post(suite.server.url + '/setup', {
			form: {
				schoolName: 'Other',
				adminName: 'Eve',
				email: 'eve@x.example',
				password: 'another long one',
				passwordAgain: 'another long one'
			},
			headers: { origin: suite.server.url, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(response.status()).toBe(409);
		const stranger = new SignInPage(await openPage(suite.browser), suite.server.url);
		await stranger.open();
		await stranger.signIn('eve@x.example', 'another long one');
		expect(await stranger.problem()).toContain("don't match an account");
	});
});
