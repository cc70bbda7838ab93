import { describe, expect, it } from 'vitest';
import { routeAccess } from '$lib/domain/route-access';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { SecondFactorPage, SignInPage, StaffArea } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { browserSuite } from './support/suite';
import { actorFor, openSchool } from './support/school';
import { seedStaff } from '$lib/server/services/seed.service';
import { lastCode, nextCode } from './support/second-factor';

/**
 * The second factor in the browser, at 1024×768: an admin resets the DSL's (a lost phone), the
 * DSL sets up a new one at the next sign-in (reading the key off the page, as a test cannot
 * scan), keeps the recovery codes, and signs in with codes from then on; a replayed code is
 * refused calmly; the password alone opens no staff page.
 */
describe('second factor for the DSL, in the browser', () => {
	const suite = browserSuite({ seed: 'demo' });
	const dsl = demoStaff.dsl.email;

	async function newPage() {
		const context = await suite.browser.newContext({ viewport: { width: 1024, height: 768 } });
		return context.newPage();
	}

	it('sets up a new code app at first sign-in after a reset, then asks for a code every time', async () => {
		const base = suite.server.url;

		// A deputy DSL, so the DSL is not the only one (an admin may not reset the only DSL).
		const school = await openSchool(suite.server.dbFile);
		try {
			await seedStaff(
				school,
				await actorFor(school, demoStaff.admin.email),
				{ name: 'Nia Deputy', email: 'deputy.dsl@brightwater.example', role: 'dsl' },
				demoPassword
			);
		} finally {
			await school.close();
		}
		// The admin (with the demo's code app) resets the DSL's second factor.
		const office = await newPage();
		const adminSignIn = new SignInPage(office, base);
		await adminSignIn.open();
		await adminSignIn.signIn(demoStaff.admin.email, demoPassword);
		await office.waitForURL('**/staff');
		const people = new StaffArea(office, base);
		await people.visit('/staff/people');
		await office
			.getByRole('button', { name: `Reset the code app of ${demoStaff.dsl.name}` })
			.click();
		await office.getByRole('status').getByText('The DSL has been told').waitFor();
		await people.submitted();

		// The DSL signs in: the password alone opens nothing but setting up the app.
		const page = await newPage();
		const signIn = new SignInPage(page, base);
		const second = new SecondFactorPage(page, base);
		await signIn.open();
		await signIn.passwordOnly(dsl, demoPassword);
		expect(second.path()).toBe('/signin/enrol');
		await page.goto(base + '/staff/reports');
		await page.waitForURL('**/signin/enrol?next=%2Fstaff%2Freports');

		const codes = await second.enrol(dsl);
		expect(codes).toHaveLength(10);
		expect(codes.every((c) => /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/.test(c))).toBe(true);
		await second.carryOn();
		await page.waitForURL('**/staff/reports');
		await expectAccessible(page);

		// After an admin's reset the DSL waits for the deputy's approval: reports stay closed.
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
			"Your account can't open this page"
		);

		// Next time: a code from the app.
		await page.goto(base + '/staff');
		const staff = new StaffArea(page, base);
		await staff.signOut();
		await signIn.passwordOnly(dsl, demoPassword);
		expect(second.path()).toBe('/signin/code');
		await second.enterCode(await nextCode(base, dsl));
		await page.waitForURL('**/staff');
		await expectAccessible(page);

		// A code seen over a shoulder (or in a proxy's log) does not work twice.
		await staff.signOut();
		await signIn.passwordOnly(dsl, demoPassword);
		await second.enterCode(lastCode(base, dsl));
		expect(second.path()).toBe('/signin/code');
		expect(await second.problem()).toContain('That code has already been used');
		await expectAccessible(page);
		await second.enterCode(await nextCode(base, dsl));
		await page.waitForURL('**/staff');

		// A lost phone: a recovery code works, once.
		await staff.signOut();
		await signIn.passwordOnly(dsl, demoPassword);
		await second.useRecoveryCode(codes[0]!);
		await page.waitForURL('**/staff');
		await staff.signOut();
		await signIn.passwordOnly(dsl, demoPassword);
		await second.useRecoveryCode(codes[0]!);
		expect(second.path()).toBe('/signin/code');
		expect(await second.problem()).toContain("That recovery code didn't work");
		await expectAccessible(page);

		// A new phone: from the Account page, with the password and a current code.
		await second.enterCode(await nextCode(base, dsl));
		await page.waitForURL('**/staff');
		await staff.visit('/staff/account');
		expect(await page.getByTestId('second-factor-state').innerText()).toContain(
			'Recovery codes left: 9'
		);
		expect(await page.getByRole('button', { name: 'Remove the second step' }).count()).toBe(0);
		await page.getByLabel('Your password').fill(demoPassword);
		await page.getByLabel('Six-digit code from the app').fill(lastCode(base, dsl));
		await page.getByRole('button', { name: 'Move to a new phone' }).click();
		await page.getByRole('alert').getByText('That code didn').waitFor();
		await expectAccessible(page);
		await page.getByLabel('Your password').fill(demoPassword);
		await page.getByLabel('Six-digit code from the app').fill(await nextCode(base, dsl));
		await page.getByRole('button', { name: 'Move to a new phone' }).click();
		await page.waitForURL('**/signin/enrol?next=/staff/account');
		expect(await second.enrol(dsl)).toHaveLength(10);
		await second.carryOn();
		await page.waitForURL('**/staff/account');
		expect(await page.getByTestId('second-factor-state').innerText()).toContain(
			'Recovery codes left: 10'
		);

		await page.context().close();
		await office.context().close();
		// Each code works once, so a person's sixth code waits for the clock (up to 30 s each).
	}, 240_000);

	it('refuses every staff page, form and API to a session that has only passed the password', async () => {
		const base = suite.server.url;
		const form = {
			'content-type': 'application/x-www-form-urlencoded',
			origin: base,
			accept: 'text/html'
		};
		const signedIn = await fetch(base + '/signin', {
			method: 'POST',
			body: new URLSearchParams({ email: demoStaff.admin.email, password: demoPassword }),
			headers: form,
			redirect: 'manual'
		});
		expect(signedIn.headers.get('location')).toBe('/signin/code?next=%2Fstaff');
		const cookie = signedIn.headers
			.getSetCookie()
			.find((c) => c.startsWith('lantern_session='))!
			.split(';')[0]!;
		const send = (path: string, method = 'GET') =>
			fetch(base + path, {
				method,
				headers: { cookie, accept: 'text/html', ...(method === 'POST' ? form : {}) },
				redirect: 'manual'
			});

		const keys = Object.keys(routeAccess).filter((k) => !k.includes('['));
		expect(keys.length).toBeGreaterThan(30);
		for (const key of keys) {
			const [route = '', action] = key.split('?/');
			const path = route.replace('/(staff)', '');
			const response = action ? await send(`${path}?/${action}`, 'POST') : await send(path);
			if (!action && !path.startsWith('/api/')) {
				expect(response.status, key).toBe(303);
				expect(response.headers.get('location'), key).toBe(
					`/signin/code?next=${encodeURIComponent(path)}`
				);
			} else {
				expect(response.status, key).toBe(401);
			}
		}
		// The second step itself, and signing out, stay open.
		expect((await send('/signin/code')).status).toBe(200);
		const out = await send('/signout', 'POST');
		expect(out.headers.get('location')).toBe('/signin?reason=signed-out');
		expect((await send('/signin/code')).headers.get('location')).toBe('/signin?reason=signin');
	});
});
