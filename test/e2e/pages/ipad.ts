import QRCode from 'qrcode';
import type { Ui } from '../support/ui';

/**
 * Page models written once for both engines (see support/ui.ts): a class iPad as a pupil and
 * the teacher setting it up use it, the "Tell an adult" flow, and a member of staff's window.
 */
export class ClassIPad {
	constructor(
		readonly ui: Ui,
		readonly base: string
	) {}

	async open() {
		await this.ui.goto(this.base + '/pupil');
		await this.ready();
		await this.ui.expectAccessible();
	}
	async ready() {
		await this.ui.waitUntil('return document.querySelector(\'[data-ready="true"]\') !== null');
	}
	async enrolWithTypedCode(code: string) {
		await this.ui.clickText('For teachers: set up this iPad');
		await this.ui.fill('Set-up code', code);
		await this.ui.click('button', 'Set up', { exact: true });
		await this.ui.waitFor('heading', 'Scan your card');
	}
	/** Waits until the service worker controls the page, so the screen opens offline next time. */
	async untilReadyOffline() {
		await this.ui.waitUntil('return navigator.serviceWorker.controller !== null', 60_000);
	}
	/** "Find my name", as on an iPad whose camera cannot help (none is found). */
	async findMyName(name: string) {
		await this.ui.evaluate(`
			const real = navigator.mediaDevices.__real ?? navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
			navigator.mediaDevices.__real = real;
			navigator.mediaDevices.getUserMedia = (asked) =>
				asked && asked.video
					? Promise.reject(new DOMException('No camera here', 'NotFoundError'))
					: real(asked);
			return true;`);
		await this.ui.click('button', 'Turn on the camera');
		await this.ui.click('button', 'Find my name');
		await this.ui.expectAccessible();
		await this.ui.click('button', name);
		await this.ui.click('button', "Yes, it's me");
	}
	/**
	 * Holds a printed card up to the camera: the page's camera shows a picture of the card's QR
	 * code (a canvas stream), as the iPad's front camera would.
	 */
	async showCard(token: string, button = 'Turn on the camera') {
		const picture = await QRCode.toDataURL(token, {
			errorCorrectionLevel: 'Q',
			margin: 4,
			width: 300
		});
		await this.ui.evaluate(
			`
			const picture = new Image();
			picture.src = arguments[0];
			const canvas = document.createElement('canvas');
			canvas.width = 640;
			canvas.height = 480;
			const pen = canvas.getContext('2d');
			const paint = () => {
				pen.fillStyle = '#606060';
				pen.fillRect(0, 0, 640, 480);
				if (picture.complete) pen.drawImage(picture, 170, 90, 300, 300);
			};
			paint();
			setInterval(paint, 100);
			const stream = canvas.captureStream(10);
			const real = navigator.mediaDevices.__real ?? navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
			navigator.mediaDevices.__real = real;
			navigator.mediaDevices.getUserMedia = (asked) =>
				asked && asked.video ? Promise.resolve(stream) : real(asked);
			return true;`,
			picture
		);
		await this.ui.click('button', button);
	}
	/** Everything in the iPad's outbox, as stored (JSON). */
	outbox(): Promise<string> {
		return this.ui.evaluate<string>(`
			return new Promise((resolve, reject) => {
				const open = indexedDB.open('lantern-device');
				open.onerror = () => reject(new Error(String(open.error)));
				open.onsuccess = () => {
					const db = open.result;
					const all = db.transaction('outbox').objectStore('outbox').getAll();
					all.onsuccess = () => { resolve(JSON.stringify(all.result)); db.close(); };
				};
			});`);
	}
	/** Puts items back in the outbox, due now: as if the server's answer had been lost on the way. */
	async putBackInOutbox(items: string) {
		await this.ui.evaluate(
			`const items = JSON.parse(arguments[0]);
			return new Promise((resolve, reject) => {
				const open = indexedDB.open('lantern-device');
				open.onerror = () => reject(new Error(String(open.error)));
				open.onsuccess = () => {
					const db = open.result;
					const tx = db.transaction('outbox', 'readwrite');
					for (const item of items)
						tx.objectStore('outbox').put({ ...item, attempts: 0, nextTryAt: 0, status: 'waiting' });
					tx.oncomplete = () => { db.close(); resolve(true); };
				};
			});`,
			items
		);
	}
	/** Tells the page the network is back (as Safari does), then waits until the outbox is empty. */
	async untilOutboxSent() {
		await this.ui.evaluate("window.dispatchEvent(new Event('online')); return true;");
		const started = Date.now();
		while ((await this.outbox()) !== '[]') {
			if (Date.now() - started > 60_000) throw new Error('The outbox was never sent');
			await new Promise((r) => setTimeout(r, 250));
		}
	}

	/** The pupil screen's language menu (every pupil language). */
	async chooseLanguage(code: string) {
		await this.ui.evaluate(
			`const menu = document.getElementById('language-switch');
			menu.value = arguments[0];
			menu.dispatchEvent(new Event('change', { bubbles: true }));
			return true;`,
			code
		);
		await this.ui.waitUntil(
			'return document.documentElement.lang === arguments[0]',
			undefined,
			code
		);
	}
	async waitUntilSignedIn(firstName: string) {
		await this.ui.waitFor('heading', `Hello, ${firstName}!`);
	}
	async finish() {
		await this.ui.click('button', "I've finished");
		await this.ui.waitFor('heading', 'Scan your card');
	}
}

/** The "Tell an adult" flow, step by step, each screen checked with axe. */
export class TellAdult {
	constructor(readonly ui: Ui) {}

	async open() {
		await this.ui.click('button', 'Tell an adult');
		await this.ui.waitForTestId('tell-flow');
	}
	async step(title: string) {
		await this.ui.waitFor('heading', title, { level: 2, exact: true });
		await this.ui.expectAccessible();
	}
	async tap(name: string) {
		await this.ui.click('button', name, { exact: true, within: 'tell-flow' });
	}
	/** Who, how they feel and what it is about: up to "Tell us more". */
	async start(who: string | null, feeling: string, topic: string) {
		await this.open();
		if (who !== null) {
			await this.step('Who are you?');
			await this.tap(who);
		}
		await this.step('How do you feel?');
		await this.tap(feeling);
		await this.step('What is it about?');
		await this.tap(topic);
		await this.step('Tell us more');
	}
	async draw() {
		await this.tap('Draw it');
		await this.ui.drag('img', /Drawing space/, [
			[0.2, 0.2],
			[0.4, 0.35],
			[0.6, 0.5],
			[0.8, 0.7]
		]);
		await this.ui.waitFor('img', 'Drawing space, with your picture in it.');
		await this.ui.expectAccessible();
	}
	/** A voice note from the (fake) microphone: record, a moment, stop, then it can be played. */
	async record() {
		await this.tap('Say it');
		await this.ui.click('button', 'Record', { exact: true, within: 'tell-flow' });
		// Long enough for the recorder to hand over some sound, however slow the machine.
		await this.ui
			.waitUntil(
				"const t = document.querySelector('[role=timer]'); return t !== null && Number(t.getAttribute('aria-label').match(/\\d+/)[0]) <= 58",
				30_000
			)
			.catch(async (error: unknown) => {
				throw new Error(`No recording: "${await this.ui.textOf('tell-voice')}"`, { cause: error });
			});
		await this.ui.click('button', 'Stop', { exact: true, within: 'tell-voice' });
		await this.ui.waitFor('button', 'Record again');
		await this.ui.expectAccessible();
	}
	async type(text: string) {
		await this.tap('Type it');
		await this.ui.fill('Type what happened', text);
	}
	/** From "Tell us more" to the end: Next (or "No, thank you"), the adult (their teacher unless named), Send. */
	async send(adult?: string) {
		await this.ui.click('button', /^(Next|No, thank you)/, { within: 'tell-flow' });
		await this.step('Who would you like to talk to?');
		if (adult) await this.ui.click('button', adult, { within: 'tell-flow' });
		await this.tap('Send');
		await this.ui.waitFor('heading', 'Thank you for telling us.', { timeout: 30_000 });
	}
	/** The thank-you screen once it knows whether the worry reached school. */
	async outcome(): Promise<'delivered' | 'kept'> {
		await this.ui.waitUntil(
			"return document.querySelector('[data-testid=tell-delivered], [data-testid=tell-kept]') !== null",
			30_000
		);
		await this.ui.expectAccessible();
		return (await this.ui.hasTestId('tell-delivered')) ? 'delivered' : 'kept';
	}
	async close() {
		await this.tap('Back to the start');
		await this.ui.waitUntil("return document.querySelector('[data-testid=tell-flow]') === null");
	}
}

/** A member of staff's browser window. */
export class StaffWindow {
	constructor(
		readonly ui: Ui,
		readonly base: string
	) {}

	async signIn(email: string, password: string) {
		await this.ui.goto(this.base + '/signin');
		await this.ui.expectAccessible();
		await this.ui.fill('Email address', email);
		await this.ui.fill('Password', password);
		await this.ui.click('button', 'Sign in', { exact: true });
		await this.ui.waitUntil("return location.pathname.startsWith('/staff')");
	}
	/** Opens a page from the staff menu, as a teacher does. */
	async openFromMenu(name: string, path: string) {
		await this.ui.click('link', name, { within: 'staff-nav' });
		await this.ui.waitUntil('return location.pathname === arguments[0]', undefined, path);
		await this.ui.waitFor('heading', /./, { level: 1 });
		await this.ui.expectAccessible();
	}
	/** Types an address into the browser. */
	async visit(path: string) {
		await this.ui.goto(this.base + path);
		await this.ui.waitFor('heading', /./, { level: 1 });
		await this.ui.expectAccessible();
	}
	/** The rows of the reports inbox as they are now. */
	reportRows(): Promise<string[]> {
		return this.ui.evaluate<string[]>(
			"return [...document.querySelectorAll('[data-testid=report-row]')].map((r) => r.innerText)"
		);
	}
}
