import { describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { SignInPage, StaffArea } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { openPage } from './support/browser';
import { browserSuite } from './support/suite';

describe('class devices and pupil cards, from the staff side', () => {
	const suite = browserSuite({ seed: 'demo' });

	async function teacherPage() {
		const page = await openPage(suite.browser);
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(demoStaff.year4.email, demoPassword);
		await page.waitForURL('**/staff');
		return { page, staff: new StaffArea(page, suite.server.url) };
	}

	it('prints a sheet of cards, ten to an A4 page, and can replace or stop them', async () => {
		const { page, staff } = await teacherPage();
		await staff.visit('/staff/classes');
		await page.getByRole('link', { name: 'Kestrels' }).click();
		await page.getByRole('link', { name: 'Print pupil cards' }).click();
		await page.waitForURL('**/cards');
		await expectAccessible(page);
		expect(await page.getByTestId('card-row').filter({ hasText: 'No card yet' }).count()).toBe(12);

		await page.getByRole('button', { name: 'Print cards for the 12 pupils without one' }).click();
		await page.getByTestId('pupil-card').first().waitFor();
		expect(await page.getByTestId('pupil-card').count()).toBe(12);
		expect(await page.getByTestId('pupil-card').first().innerText()).toContain('Kestrels');
		await expectAccessible(page);

		// Printed: the QR is at least 34 mm across and ten cards fill a page.
		await page.emulateMedia({ media: 'print' });
		const mm = await page.evaluate(() => {
			const probe = document.createElement('div');
			probe.style.width = '100mm';
			document.body.append(probe);
			const perMm = probe.getBoundingClientRect().width / 100;
			probe.remove();
			const qr =
				document.querySelector('.card-face .qr svg')!.getBoundingClientRect().width / perMm;
			return { qr };
		});
		// The SVG includes a two-module margin of the code's 33; the code itself is 29/33 of it.
		expect(mm.qr * (29 / 33)).toBeGreaterThanOrEqual(34);
		const pdf = await page.pdf({ format: 'A4' });
		if (process.env.LANTERN_SAVE_PDF)
			(await import('node:fs')).writeFileSync(process.env.LANTERN_SAVE_PDF, pdf);
		const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
		expect(pages).toBe(2);
		await page.emulateMedia({ media: 'screen' });

		await page.reload();
		expect(await page.getByTestId('card-row').filter({ hasText: 'Has a card' }).count()).toBe(12);
		await page.getByRole('button', { name: "Replace Arlo N.'s card" }).click();
		expect(await page.getByTestId('pupil-card').count()).toBe(1);
		await page.getByRole('button', { name: "Stop all this class's cards working" }).click();
		expect(await page.getByRole('status').innerText()).toContain('12 cards have stopped working');
	});

	it('makes a one-time set-up code, sets up the device in hand, and removes it again', async () => {
		const { page, staff } = await teacherPage();
		await staff.visit('/staff/devices');
		expect(await page.getByText('No class iPads have been set up yet.').count()).toBe(1);

		await page.getByLabel('Device name').fill('Kestrels iPad 1');
		await page.getByLabel('Kestrels').check();
		await page.getByRole('button', { name: 'Make a set-up code' }).click();
		await page.getByTestId('enrolment-qr').waitFor();
		expect(await page.getByTestId('enrolment-code').innerText()).toMatch(/^[A-Z2-7]{24}$/);
		await expectAccessible(page);

		await page.getByRole('button', { name: 'Set up this device instead' }).click();
		await page.waitForURL('**/pupil');
		await page.getByRole('heading', { name: 'Scan your card' }).waitFor();
		await expectAccessible(page);
		// The teacher was signed out of the iPad.
		await page.goto(suite.server.url + '/staff/devices');
		await page.waitForURL('**/signin**');

		const other = await teacherPage();
		await other.staff.visit('/staff/devices');
		const row = other.page.getByTestId('device-row').filter({ hasText: 'Kestrels iPad 1' });
		expect(await row.innerText()).toContain('Kestrels');
		await other.page.getByRole('button', { name: 'Sign everyone in Kestrels out' }).click();
		expect(await other.page.getByRole('status').innerText()).toContain('signed out');
		await other.page.getByRole('button', { name: 'Remove Kestrels iPad 1' }).click();
		expect(await row.innerText()).toContain('Removed');
		await expectAccessible(other.page);

		await page.goto(suite.server.url + '/pupil');
		await page.getByText('This iPad has been removed from the class').waitFor();
	});
});
