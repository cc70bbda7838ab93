import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { PeoplePage, SignInPage } from './pages/staff-pages';
import { browserSuite } from './support/suite';

/** The iPad sizes the pupil screens are checked at; staff use iPads too (a trip, a classroom). */
const sizes = [
	{ width: 1024, height: 768 },
	{ width: 1180, height: 820 },
	{ width: 820, height: 1180 }
];

/** Set LANTERN_SHOTS_DIR to keep a screenshot of each screen checked, to look at. */
const shotsDir = process.env.LANTERN_SHOTS_DIR;

describe('staff screens on an iPad', () => {
	const suite = browserSuite({ seed: 'demo' });

	async function signedInOnAnIPad(email: string): Promise<Page> {
		const context = await suite.browser.newContext({
			viewport: sizes[0],
			isMobile: true,
			hasTouch: true
		});
		const page = await context.newPage();
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(email, demoPassword);
		await page.waitForURL('**/staff');
		return page;
	}

	async function pageWidth(page: Page) {
		return page.evaluate(() => ({
			scrollWidth: document.documentElement.scrollWidth,
			innerWidth,
			table: document.querySelector('table')?.getBoundingClientRect().width ?? 0
		}));
	}

	it('keeps the People page on the screen when a member of staff has a very long name', async () => {
		const page = await signedInOnAnIPad(demoStaff.admin.email);
		const people = new PeoplePage(page, suite.server.url);
		await people.visit('/staff/people');
		const long = {
			// 80 letters with no space, the most a name may have, and a long address.
			name: 'Anastasiabartholomewfeatherstonehaughmontgomeryworthingtonsmythebalthazarquinn',
			email: 'anastasia.bartholomew.featherstonehaugh-montgomery@brightwater.example',
			role: 'teacher'
		};
		await people.addStaff(long);
		await people.row(long.name).waitFor();
		for (const size of sizes) {
			await page.setViewportSize(size);
			await people.visit('/staff/people');
			if (shotsDir)
				await page.screenshot({
					path: join(shotsDir, `${size.width}x${size.height}-staff-people.png`),
					fullPage: true
				});
			const measured = await pageWidth(page);
			expect(measured.innerWidth, `the viewport at ${size.width}`).toBe(size.width);
			expect(measured.scrollWidth, `the page at ${size.width}`).toBeLessThanOrEqual(size.width);
			expect(measured.table, `the table at ${size.width}`).toBeLessThanOrEqual(size.width);
		}
	});

	it('shows a disabled button as disabled, not by colour alone', async () => {
		const page = await signedInOnAnIPad(demoStaff.year1.email);
		// The teacher-notes window: "Previous" is disabled on the first slide, "Next" is not.
		await page.goto(`${suite.server.url}/staff/lessons/k1-trusted-grown-ups/notes`);
		await page.locator('html[data-hydrated="true"]').waitFor();
		const look = (name: RegExp) =>
			page.getByRole('button', { name }).evaluate((el) => {
				const style = getComputedStyle(el);
				return {
					disabled: (el as HTMLButtonElement).disabled,
					cursor: style.cursor,
					border: style.borderTopStyle,
					colour: style.color,
					opacity: style.opacity
				};
			});
		const disabled = await look(/Previous/);
		const enabled = await look(/Next/);
		expect(disabled.disabled && !enabled.disabled).toBe(true);
		// A shape and a pointer that differ, as well as a fainter colour.
		expect(disabled).toMatchObject({ cursor: 'not-allowed', border: 'dashed' });
		expect(enabled).toMatchObject({ cursor: 'pointer', border: 'solid' });
		expect(disabled.colour === enabled.colour && disabled.opacity === enabled.opacity).toBe(false);
	});
});
