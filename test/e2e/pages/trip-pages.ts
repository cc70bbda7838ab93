import type { Ui } from '../support/ui';

/** The photo check on a trip device, as a member of staff uses it (in either engine). */
export class TripScreen {
	constructor(
		readonly ui: Ui,
		private base: string
	) {}

	async open() {
		await this.ui.goto(this.base + '/trip');
		await this.ui.waitForSelector('main.trip[data-ready="true"]');
	}

	state() {
		return this.ui.attribute('main.trip', 'data-state');
	}

	async untilState(state: string, timeout = 20_000) {
		await this.ui.waitForSelector(`main.trip[data-state="${state}"]`, timeout);
	}

	/** From the trip screen, signed out: sign in and come back to it. */
	async signInFromHere(email: string, password: string) {
		await this.ui.click('link', 'Sign in', { exact: true });
		await this.ui.fill('Email address', email);
		await this.ui.fill('Password', password);
		await this.ui.click('button', 'Sign in', { exact: true });
		await this.ui.waitUntil("return location.pathname === '/trip'");
		await this.ui.waitForSelector('main.trip[data-ready="true"]');
	}

	/** `endsAt` as a `datetime-local` value; the form's default (five o'clock) otherwise. */
	async takeList(group: string, classes: string[], pin: string, endsAt?: string) {
		await this.ui.fill('Name of the group', group);
		for (const name of classes) await this.ui.click('checkbox', name, { exact: true });
		if (endsAt) await this.ui.fill('The trip ends', endsAt);
		await this.ui.fill('Choose a PIN', pin);
		await this.ui.fill('Type the PIN again', pin);
		await this.ui.click('button', 'Download and lock the list');
		await this.untilState('unlocked');
	}

	async unlock(pin: string) {
		await this.ui.fill('PIN', pin);
		await this.ui.click('button', 'Unlock', { exact: true });
	}

	async unlockAndWait(pin: string) {
		await this.unlock(pin);
		await this.untilState('unlocked');
	}

	/** A wrong PIN: waits for the answer (tries left, or the wiped list). */
	async wrongPin(pin: string) {
		const before = await this.ui.evaluate<string | null>(
			'return document.querySelector(\'[role="alert"]\')?.textContent ?? null'
		);
		await this.unlock(pin);
		await this.ui.waitUntil(
			`return document.querySelector('main.trip')?.getAttribute('data-state') === 'setup' ||
				(document.querySelector('[role="alert"]')?.textContent ?? null) !== arguments[0]`,
			20_000,
			before
		);
	}

	async lock() {
		await this.ui.click('button', 'Lock', { exact: true });
		await this.untilState('locked');
	}

	async chooseUse(name: string) {
		await this.ui.click('radio', name);
	}

	async groupMode() {
		await this.ui.click('radio', 'A group');
	}

	async search(text: string) {
		await this.ui.fill('Find a pupil by name', text);
	}

	/** One pupil: their name in the results, then the answer full screen. */
	async checkByName(typed: string, shown: string) {
		await this.search(typed);
		await this.ui.click('button', `Check ${shown}`);
		return this.answer();
	}

	async addByName(typed: string, shown: string) {
		await this.search(typed);
		await this.ui.click('button', `Add ${shown} to the group`);
	}

	async answer() {
		await this.ui.waitForTestId('trip-answer', 15_000);
		return {
			answer: await this.ui.attribute('[data-testid="trip-answer"]', 'data-answer'),
			text: await this.ui.evaluate<string>(
				'return document.querySelector(\'[data-testid="trip-answer"]\').textContent'
			)
		};
	}

	async done() {
		await this.ui.click('button', 'Done', { exact: true });
		await this.ui.waitUntil(
			'return document.querySelector(\'[data-testid="trip-answer"]\') === null'
		);
	}

	wipedNotice() {
		return this.ui.textOf('wiped');
	}

	/** Everything in this origin's IndexedDB, as text: what a lost iPad would give up. */
	dumpIndexedDb(): Promise<string> {
		return this.ui.evaluate<string>(`
			return (async () => {
				const out = {};
				for (const info of await indexedDB.databases()) {
					if (!info.name) continue;
					const db = await new Promise((resolve, reject) => {
						const request = indexedDB.open(info.name);
						request.onsuccess = () => resolve(request.result);
						request.onerror = () => reject(new Error(String(request.error)));
					});
					for (const store of Array.from(db.objectStoreNames)) {
						out[info.name + '/' + store] = await new Promise((resolve, reject) => {
							const request = db.transaction(store).objectStore(store).getAll();
							request.onsuccess = () => resolve(request.result);
							request.onerror = () => reject(new Error(String(request.error)));
						});
					}
					db.close();
				}
				return JSON.stringify(out);
			})();`);
	}
}
