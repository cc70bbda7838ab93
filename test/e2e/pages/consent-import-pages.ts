import type { Page } from 'playwright-core';
import { expectAccessible } from '../support/axe';

/** The consent import: upload, how to read the file, the preview by name, the result. */
export class ConsentImportPage {
	constructor(
		private page: Page,
		private base: string
	) {}
	async open() {
		await this.page.goto(this.base + '/staff/consent/import');
		await this.page
			.getByRole('heading', { name: "Import consent from the school's system" })
			.waitFor();
		await expectAccessible(this.page);
	}
	/** Uploads a file (its bytes as they are) and waits for the file to be read. */
	async upload(name: string, bytes: Buffer) {
		await this.page
			.getByLabel('CSV file')
			.setInputFiles({ name, mimeType: 'text/csv', buffer: bytes });
		await this.page.getByRole('button', { name: 'Check the file' }).click();
		await this.page.getByTestId('mapping').waitFor();
		await expectAccessible(this.page);
	}
	async chooseClass(group: string, className: string) {
		await this.page.getByLabel(`Group ${group}`).selectOption({ label: className });
	}
	async mapWord(word: string, meaning: string) {
		await this.page.getByLabel(`“${word}” means`).selectOption({ label: meaning });
	}
	async blankMeansNotGiven() {
		await this.page.getByLabel('This file is the complete list', { exact: false }).check();
	}
	/** Checks again with the choices made, and waits for the new answer to be drawn. */
	async checkAgain() {
		// The form carries the choices it was drawn with: they change when the new answer arrives.
		const before = await this.page.getByTestId('mapping').getAttribute('data-settings');
		await this.page.getByRole('button', { name: 'Check again' }).click();
		await this.page.waitForFunction(
			(old) =>
				document.querySelector('[data-testid="mapping"]')?.getAttribute('data-settings') !== old,
			before
		);
		await this.page
			.locator('[data-testid="import-preview"], [data-testid="import-problems"]')
			.first()
			.waitFor();
		await expectAccessible(this.page);
	}
	async importFile() {
		await this.page.getByRole('button', { name: 'Import', exact: true }).click();
		await this.page.getByTestId('imported').waitFor();
		await expectAccessible(this.page);
	}
	preview() {
		return this.page.getByTestId('import-preview').innerText();
	}
	problems() {
		return this.page.getByTestId('import-problems').innerText();
	}
	changes() {
		return this.page.getByTestId('changes').locator('li').allInnerTexts();
	}
	detected() {
		return this.page.getByTestId('detected').innerText();
	}
	encoding() {
		return this.page.getByTestId('encoding').innerText();
	}
	async namesRead() {
		await this.page.getByTestId('import-preview').locator('summary').click();
		return this.page.getByTestId('names-read').locator('tbody tr').allInnerTexts();
	}
	result() {
		return this.page.getByTestId('imported').innerText();
	}
}
