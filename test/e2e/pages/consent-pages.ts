import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expectAccessible } from '../support/axe';

/**
 * Axe needs scripts to run, so a page shown without JavaScript is checked as served: its HTML
 * (scripts taken out, so nothing hydrates) at its own address, with its styles, in a browser
 * that runs scripts.
 */
export async function expectAccessibleAsServed(page: Page): Promise<void> {
	const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
	const context = await page.context().browser()!.newContext({ viewport: page.viewportSize() });
	const copy = await context.newPage();
	const url = page.url();
	await copy.route(url, (route) => route.fulfill({ contentType: 'text/html', body: html }));
	await copy.goto(url);
	await expectAccessible(copy);
	await context.close();
}

/** Axe on the page: as it is, or as served when it runs without JavaScript. */
async function check(page: Page, scripted: boolean) {
	if (scripted) await expectAccessible(page);
	else await expectAccessibleAsServed(page);
}

/** The consent overview (one class at a time): pupils × uses, the download and the print. */
export class ConsentOverviewPage {
	constructor(
		readonly p: Page,
		readonly base: string,
		readonly scripted = true
	) {}
	async open(classId?: string) {
		await this.p.goto(`${this.base}/staff/consent${classId ? `?class=${classId}` : ''}`);
		await this.p.getByRole('heading', { name: 'Photo consent', level: 1 }).waitFor();
		await check(this.p, this.scripted);
	}
	grid() {
		return this.p.getByTestId('consent-grid');
	}
	row(pupilId: string) {
		return this.grid().locator(`tr[data-pupil="${pupilId}"]`);
	}
	cell(pupilId: string, useId: string) {
		return this.row(pupilId).locator(`td[data-use="${useId}"]`);
	}
	/** A use's id, from its column heading. */
	async useId(name: string): Promise<string> {
		const th = this.grid()
			.locator('thead th')
			.filter({ hasText: new RegExp(`^${name}$`) });
		return (await th.getAttribute('data-use')) ?? '';
	}
	/**
	 * The first pupil every use is allowed for, but those the school never allows (so a test
	 * knows where it starts).
	 */
	async firstAllowedEverywhere(): Promise<{ id: string; name: string }> {
		const id = await this.grid()
			.locator('tbody tr')
			.evaluateAll((rows) =>
				rows
					.find((row) =>
						[...row.querySelectorAll('td')].every(
							(td) => td.dataset.verdict === 'allowed' || td.dataset.schoolRule === 'true'
						)
					)
					?.getAttribute('data-pupil')
			);
		if (!id) throw new Error('No pupil is allowed every use');
		return { id, name: await this.row(id).locator('th a').innerText() };
	}
	async classIds(): Promise<string[]> {
		return this.p
			.getByLabel('Class')
			.locator('option')
			.evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
	}
	/** Downloads this class as CSV. */
	async download(): Promise<{ filename: string; text: string }> {
		const [file] = await Promise.all([
			this.p.waitForEvent('download'),
			this.p.getByRole('link', { name: 'Download this class (CSV)' }).click()
		]);
		return { filename: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
	}
}

export type FormAnswer = 'Yes' | 'No' | 'Not on the form';

/** One pupil's consent page, with the whole-form recorder. */
export class PupilConsentPage {
	constructor(
		readonly p: Page,
		readonly base: string,
		readonly scripted = true
	) {}
	async open(pupilId: string) {
		await this.p.goto(`${this.base}/staff/consent/pupils/${pupilId}`);
		await this.p.getByRole('heading', { name: /^Photo consent: / }).waitFor();
		await check(this.p, this.scripted);
	}
	async checkA11y() {
		await check(this.p, this.scripted);
	}
	form() {
		return this.p.getByTestId('paper-form');
	}
	/** Fills in one form: who, how, and an answer for each use named (others stay as they are). */
	async fill(form: {
		givenBy: string;
		relationship: string;
		source?: string;
		answers: Record<string, FormAnswer>;
	}) {
		const f = this.form();
		await f.getByLabel('Parent or carer’s name').fill(form.givenBy);
		await f.getByLabel('Relationship to the pupil').fill(form.relationship);
		if (form.source)
			await f.getByRole('group', { name: 'How it came' }).getByLabel(form.source).check();
		for (const [use, answer] of Object.entries(form.answers))
			await f
				.getByRole('group', { name: use, exact: true })
				.getByLabel(answer, { exact: true })
				.check();
	}
	async save() {
		await this.form().getByRole('button', { name: 'Save the whole form' }).click();
	}
	verdict(useName: string) {
		return this.p.getByTestId('pupil-verdicts').locator('tr', { hasText: useName });
	}
	history() {
		return this.p.getByTestId('history').locator('tbody tr');
	}
	useNames() {
		return this.p.getByTestId('pupil-verdicts').locator('tbody th').allInnerTexts();
	}
}
