import type { Page } from 'playwright-core';

/** The photo check on a trip device, as a member of staff uses it. */
export class TripScreen {
	constructor(
		private page: Page,
		private base: string
	) {}

	async open() {
		await this.page.goto(this.base + '/trip');
		await this.page.locator('main.trip[data-ready="true"]').waitFor();
	}

	state() {
		return this.page.locator('main.trip').getAttribute('data-state');
	}

	/** From the trip screen, signed out: sign in and come back to it. */
	async signInFromHere(email: string, password: string) {
		await this.page.getByRole('link', { name: 'Sign in' }).click();
		await this.page.getByLabel('Email address').fill(email);
		await this.page.getByLabel('Password').fill(password);
		await this.page.getByRole('button', { name: 'Sign in' }).click();
		await this.page.waitForURL('**/trip');
		await this.page.locator('main.trip[data-ready="true"]').waitFor();
	}

	/** `endsAt` as a `datetime-local` value; the form's default (five o'clock) otherwise. */
	async takeList(group: string, classes: string[], pin: string, endsAt?: string) {
		await this.page.getByLabel('Name of the group').fill(group);
		for (const name of classes) await this.page.getByLabel(name, { exact: true }).check();
		if (endsAt) await this.page.getByLabel('The trip ends').fill(endsAt);
		await this.page.getByLabel('Choose a PIN').fill(pin);
		await this.page.getByLabel('Type the PIN again').fill(pin);
		await this.page.getByRole('button', { name: 'Download and lock the list' }).click();
		await this.page.locator('main.trip[data-state="unlocked"]').waitFor({ timeout: 20_000 });
	}

	async unlock(pin: string) {
		await this.page.getByLabel('PIN').fill(pin);
		await this.page.getByRole('button', { name: 'Unlock' }).click();
	}

	async unlockAndWait(pin: string) {
		await this.unlock(pin);
		await this.page.locator('main.trip[data-state="unlocked"]').waitFor({ timeout: 20_000 });
	}

	/** A wrong PIN: waits for the answer (tries left, or the wiped list). */
	async wrongPin(pin: string) {
		const alertText = () =>
			this.page.evaluate(() => document.querySelector('[role="alert"]')?.textContent ?? null);
		const before = await alertText();
		await this.unlock(pin);
		await this.page.waitForFunction(
			(previous) =>
				document.querySelector('main.trip')?.getAttribute('data-state') === 'setup' ||
				(document.querySelector('[role="alert"]')?.textContent ?? null) !== previous,
			before,
			{ timeout: 20_000 }
		);
	}

	async lock() {
		await this.page.getByRole('button', { name: 'Lock' }).click();
		await this.page.locator('main.trip[data-state="locked"]').waitFor();
	}

	async chooseUse(name: string) {
		await this.page.getByRole('radio', { name }).check();
	}

	async groupMode() {
		await this.page.getByRole('radio', { name: 'A group' }).check();
	}

	async search(text: string) {
		await this.page.getByLabel('Find a pupil by name').fill(text);
	}

	/** One pupil: their name in the results, then the answer full screen. */
	async checkByName(typed: string, shown: string) {
		await this.search(typed);
		await this.page.getByRole('button', { name: `Check ${shown}` }).click();
		return this.answer();
	}

	async addByName(typed: string, shown: string) {
		await this.search(typed);
		await this.page.getByRole('button', { name: `Add ${shown} to the group` }).click();
	}

	async answer() {
		const answer = this.page.getByTestId('trip-answer');
		await answer.waitFor({ timeout: 15_000 });
		return {
			answer: await answer.getAttribute('data-answer'),
			text: (await answer.textContent()) ?? ''
		};
	}

	async done() {
		await this.page.getByRole('button', { name: 'Done' }).click();
		await this.page.getByTestId('trip-answer').waitFor({ state: 'detached' });
	}

	wipedNotice() {
		return this.page.getByTestId('wiped').textContent();
	}

	/** Everything in this origin's IndexedDB, as text: what a lost iPad would give up. */
	dumpIndexedDb(): Promise<string> {
		return this.page.evaluate(async () => {
			const out: Record<string, unknown> = {};
			for (const info of await indexedDB.databases()) {
				if (!info.name) continue;
				const db = await new Promise<IDBDatabase>((resolve, reject) => {
					const request = indexedDB.open(info.name!);
					request.onsuccess = () => resolve(request.result);
					request.onerror = () => reject(new Error(String(request.error)));
				});
				for (const store of Array.from(db.objectStoreNames)) {
					out[`${info.name}/${store}`] = await new Promise((resolve, reject) => {
						const request = db.transaction(store).objectStore(store).getAll();
						request.onsuccess = () => resolve(request.result);
						request.onerror = () => reject(new Error(String(request.error)));
					});
				}
				db.close();
			}
			return JSON.stringify(out);
		});
	}
}
