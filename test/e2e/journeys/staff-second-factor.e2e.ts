import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { setPasswordWithLink } from '$lib/server/services/password-link.service';
import { addStaff } from '$lib/server/services/staff.service';
import { engines, openWindow, type BrowserWindow } from '../support/engines';
import { nextCode, rememberSecret } from '../support/second-factor';
import { actorFor, openSchool } from '../support/school';
import { startServer, type RunningServer } from '../support/server';

const shotsDir = process.env.LANTERN_SHOTS_DIR;
const newDsl = { name: 'Rowan Ellis', email: 'rowan.ellis@brightwater.example' };
const newDslPassword = 'harbour lights at dusk';

/**
 * The staff side of signing in with a second step, on an iPad held upright (820 × 1180) in
 * both engines: the DSL gives the code from their app, approves a newly added DSL under
 * "Account changes" and finds that in the audit log; the new DSL sets up their own second
 * step at first sign-in and is shown their recovery codes once. Every page is checked with
 * axe and must log no console error.
 */
describe.each(engines)('staff second step in %s', (engine) => {
	let server: RunningServer;
	let school: AppContext & { close(): Promise<void> };
	let admin: StaffActor;
	const windows: BrowserWindow[] = [];

	async function open() {
		const window = await openWindow(engine, { width: 820, height: 1180 });
		windows.push(window);
		return window.ui;
	}
	async function shot(ui: BrowserWindow['ui'], name: string) {
		if (shotsDir) await ui.screenshot(join(shotsDir, `${engine}-820-${name}.png`));
	}
	async function signInWithPassword(ui: BrowserWindow['ui'], email: string, password: string) {
		await ui.goto(server.url + '/signin');
		await ui.expectAccessible();
		await ui.fill('Email address', email);
		await ui.fill('Password', password);
		await ui.click('button', 'Sign in', { exact: true });
	}

	beforeAll(async () => {
		server = await startServer({ seed: 'demo' });
		school = await openSchool(server.dbFile);
		admin = await actorFor(school, demoStaff.admin.email);
		// Added by the admin, as the People page does: a DSL who waits for the DSL's approval.
		const added = await addStaff(school, admin, { ...newDsl, role: 'dsl' });
		if (!added.ok) throw new Error(added.error);
		const set = await setPasswordWithLink(school, added.token, newDslPassword);
		if (!set.ok) throw new Error(set.error);
	});
	afterEach(() => {
		for (const window of windows) expect(window.ui.takeConsoleErrors()).toEqual([]);
	});
	afterAll(async () => {
		for (const window of windows) await window.close();
		await school?.close();
		await server?.stop();
	});

	it('the DSL gives the code from their app, approves the new DSL and finds it in the audit log', async () => {
		const ui = await open();
		await signInWithPassword(ui, demoStaff.dsl.email, demoPassword);
		await ui.waitUntil("return location.pathname === '/signin/code'");
		await ui.waitFor('heading', 'Enter your code', { level: 1 });
		await ui.expectAccessible();
		expect(await ui.hasText('only DSL, the admin cannot reset it')).toBe(true);
		await shot(ui, 'signin-code');

		await ui.fill('Six-digit code from the app', await nextCode(server.url, demoStaff.dsl.email));
		await ui.click('button', 'Carry on', { exact: true });
		await ui.waitUntil("return location.pathname === '/staff'");
		await ui.waitFor('heading', 'Account changes');
		await ui.expectAccessible();
		expect(await ui.hasText(`added ${newDsl.name} as Designated Safeguarding Lead`)).toBe(true);
		await shot(ui, 'account-changes');

		await ui.click('button', `Approve the change for ${newDsl.name}`);
		await ui.waitUntil(
			"return document.body.innerText.includes('Approved. The change is now in effect.')"
		);
		await ui.expectAccessible();

		await ui.click('link', 'Audit log', { within: 'staff-nav' });
		await ui.waitUntil("return location.pathname === '/staff/audit'");
		await ui.waitFor('heading', 'Audit log', { level: 1 });
		await ui.expectAccessible();
		expect(await ui.hasText(newDsl.name)).toBe(true);
		await shot(ui, 'audit-log');
	});

	it('the new DSL sets up a second step at first sign-in and is shown ten recovery codes once', async () => {
		const ui = await open();
		await signInWithPassword(ui, newDsl.email, newDslPassword);
		await ui.waitUntil("return location.pathname === '/signin/enrol'");
		await ui.waitForTestId('second-factor-secret');
		await ui.expectAccessible();
		await shot(ui, 'signin-enrol');

		rememberSecret(server.url, newDsl.email, await ui.textOf('second-factor-secret'));
		await ui.fill('Six-digit code from the app', await nextCode(server.url, newDsl.email));
		await ui.click('button', 'Confirm and carry on');
		await ui.waitForTestId('recovery-codes');
		await ui.expectAccessible();
		const codes = await ui.evaluate<number>(
			"return document.querySelectorAll('[data-testid=recovery-codes] li').length"
		);
		expect(codes).toBe(10);
		await shot(ui, 'recovery-codes');

		await ui.click('link', 'Carry on to Lantern');
		await ui.waitUntil("return location.pathname === '/staff'");
		await ui.waitFor('heading', /./, { level: 1 });
		await ui.expectAccessible();
	});
});
