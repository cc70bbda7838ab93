import type { Page } from 'playwright-core';
import { expectAccessible } from '../support/axe';

/** The pupil screen of a class iPad, as a pupil (or the teacher setting it up) uses it. */
export class PupilScreen {
	constructor(
		private page: Page,
		private base: string
	) {}

	async open() {
		await this.page.goto(this.base + '/pupil');
		await this.page.locator('[data-ready="true"]').waitFor();
		await expectAccessible(this.page);
	}
	heading() {
		return this.page.getByRole('heading', { level: 1 }).innerText();
	}
	async enrolWithTypedCode(code: string) {
		await this.page.getByText('For teachers: set up this iPad').click();
		await this.page.getByLabel('Set-up code').fill(code);
		await this.page.getByRole('button', { name: 'Set up', exact: true }).click();
		await this.page.getByRole('heading', { name: 'Scan your card' }).waitFor();
	}
	async enrolByScanning() {
		await this.page.getByText('For teachers: set up this iPad').click();
		await this.page.getByRole('button', { name: 'Scan the set-up code' }).click();
		await this.page.getByRole('heading', { name: 'Scan your card' }).waitFor();
	}
	async turnOnCamera() {
		await this.page.getByRole('button', { name: 'Turn on the camera' }).click();
	}
	/** "Find my name", for an iPad whose camera cannot help: up to "Is this you?". */
	async findMyName(name: string) {
		await this.page.getByRole('button', { name: 'Turn on the camera' }).click();
		await this.page.getByRole('button', { name: 'Find my name' }).click();
		await this.page.getByRole('button', { name }).click();
	}
	async itsMe() {
		await this.page.getByRole('button', { name: "Yes, it's me" }).click();
	}
	async waitUntilSignedIn(firstName: string) {
		await this.page.getByRole('heading', { name: `Hello, ${firstName}!` }).waitFor();
	}
	scanProblem() {
		return this.page.getByTestId('scan-problem').innerText();
	}
	async finish() {
		await this.page.getByRole('button', { name: "I've finished" }).click();
		await this.page.getByRole('heading', { name: 'Scan your card' }).waitFor();
	}
	isSignedIn() {
		return this.page.getByTestId('signed-in').isVisible();
	}
}
