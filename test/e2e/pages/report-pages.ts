import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expectAccessible } from '../support/axe';

/** Page models for the staff reports screens: what the DSL and teachers do, in their words. */

export class StaffHome {
	constructor(
		private page: Page,
		private base: string
	) {}
	async open() {
		await this.page.goto(this.base + '/staff');
		await this.page.getByTestId('home-reports').waitFor();
		await expectAccessible(this.page);
	}
	urgent() {
		return this.page.getByTestId('home-urgent');
	}
	unopened() {
		return this.page.getByTestId('home-unopened');
	}
	/** The report ids the overdue banner links to, in its order. */
	async overdueLinks(): Promise<string[]> {
		const banner = this.page.getByTestId('overdue-banner');
		if ((await banner.count()) === 0) return [];
		const hrefs = await banner
			.locator('a[href^="/staff/reports/"]')
			.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
		return hrefs.map((href) => href.replace('/staff/reports/', ''));
	}
}

export class ReportsInbox {
	constructor(
		private page: Page,
		private base: string
	) {}
	async open() {
		await this.page.goto(this.base + '/staff/reports');
		await this.page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
		await expectAccessible(this.page);
	}
	/** Each row, top to bottom: its report id and whether it is pinned. */
	async rows(): Promise<{ id: string; pinned: boolean; text: string }[]> {
		return this.page.getByTestId('report-row').evaluateAll((rows) =>
			rows.map((row) => ({
				id: (row.querySelector('a[href^="/staff/reports/"]')?.getAttribute('href') ?? '').replace(
					'/staff/reports/',
					''
				),
				pinned: row.getAttribute('data-pinned') === 'true',
				text: (row as HTMLElement).innerText
			}))
		);
	}
}

export class ReportPage {
	constructor(
		private page: Page,
		private base: string
	) {}
	async open(id: string) {
		await this.page.goto(`${this.base}/staff/reports/${id}`);
		await this.page.getByTestId('timeline').waitFor();
		await expectAccessible(this.page);
	}
	forms() {
		return this.page.locator('form[action="?/addEvent"]');
	}
	/** The words warning that the name may not be the child's, or null when there are none. */
	async identityDoubt(): Promise<string | null> {
		const tag = this.page.getByTestId('identity-doubt');
		return (await tag.count()) === 0 ? null : (await tag.innerText()).trim();
	}
	/** What the event forms have chosen: the radios ticked and each select's value. */
	async choices(): Promise<{ forms: number; checked: number; selects: string[] }> {
		return this.forms().evaluateAll((forms) => ({
			forms: forms.length,
			checked: forms.flatMap((f) => [...f.querySelectorAll('input[type=radio]:checked')]).length,
			selects: forms.flatMap((f) =>
				[...f.querySelectorAll('select')].map((s) => `${s.name}=${s.value}`)
			)
		}));
	}
	async timelineEntries(): Promise<number> {
		return this.page.getByTestId('timeline').locator('li').count();
	}
	async press(button: string) {
		await this.page.getByRole('button', { name: button, exact: true }).click();
	}
	/** Waits for this calm message beside the form that was sent. */
	async problem(message: string) {
		await this.page.getByTestId('form-problem').filter({ hasText: message }).waitFor();
	}
	async saved() {
		await this.page.getByRole('status').filter({ hasText: 'Saved to the record.' }).waitFor();
	}
	get p() {
		return this.page;
	}
}

export class IncidentLogPage {
	constructor(
		private page: Page,
		private base: string
	) {}
	async open() {
		await this.page.goto(this.base + '/staff/reports/record');
		await this.page.getByRole('heading', { name: 'Incident log', level: 1 }).waitFor();
		await expectAccessible(this.page);
	}
	/** Chooses the dates and downloads the file, as the DSL would; returns its name and text. */
	async download(from: string, to: string): Promise<{ name: string; text: string }> {
		await this.page.getByLabel('From').fill(from);
		await this.page.getByLabel('To', { exact: true }).fill(to);
		const [download] = await Promise.all([
			this.page.waitForEvent('download'),
			this.page.getByRole('button', { name: 'Download CSV' }).click()
		]);
		const path = await download.path();
		return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
	}
}
