import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expectAccessible } from '../support/axe';
import { StaffArea } from './staff-pages';

/** The audit log, as the DSL uses it: reached from the menu, searched with its filters. */
export class AuditLogPage extends StaffArea {
	constructor(
		private p: Page,
		base: string
	) {
		super(p, base);
	}
	async openFromMenu() {
		await this.menuLink().click();
		await this.p.waitForURL('**/staff/audit');
		await this.p.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
		await expectAccessible(this.p);
	}
	menuLink() {
		return this.p.getByTestId('staff-nav').getByRole('link', { name: 'Audit log' });
	}
	async menuLinkPreloads() {
		return (await this.menuLink().getAttribute('data-sveltekit-preload-data')) !== 'off';
	}
	/** Downloads the entries the filters find, as CSV. */
	async download(): Promise<{ filename: string; text: string }> {
		const [file] = await Promise.all([
			this.p.waitForEvent('download'),
			this.p.getByRole('link', { name: 'Download these entries (CSV)' }).click()
		]);
		const path = await file.path();
		return { filename: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
	}
	chainState() {
		return this.p.getByTestId('chain-state').innerText();
	}
	/** Sets the filters given (others back to "any") and shows the entries. */
	async filter(choice: { pupil?: string; kind?: string; person?: string }) {
		await this.p.getByLabel('Pupil').selectOption(choice.pupil ? { label: choice.pupil } : '');
		await this.p.getByLabel('Kind').selectOption(choice.kind ? { label: choice.kind } : '');
		await this.p
			.getByLabel('Member of staff')
			.selectOption(choice.person ? { label: choice.person } : '');
		// Each search differs from the one before, so the address changes when it is shown.
		const before = this.p.url();
		await this.p.getByRole('button', { name: 'Show entries' }).click();
		await this.p.waitForURL((url) => url.href !== before);
		await this.submitted();
	}
	/** Each entry shown, as "who | what | about". */
	async entries() {
		const rows = await this.p.getByTestId('audit-entry').all();
		return Promise.all(
			rows.map(async (row) =>
				(await row.locator('td').allInnerTexts())
					.slice(1)
					.map((cell) => cell.trim())
					.join(' | ')
			)
		);
	}
}
