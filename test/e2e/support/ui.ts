import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { WebDriver, WebElement } from 'selenium-webdriver';
import { expect } from 'vitest';
import { expectAccessible } from './axe';
import type { WebKitBrowser } from './webkit';

/**
 * What a person does on a screen, in words both engines understand: Chromium through
 * Playwright, WebKit through WebDriver. Page models and journey tests are written once
 * against this and run in both. Elements are found as a person finds them: by role and
 * name, by label, or (for what has no name) by test id.
 */
export type Role = 'button' | 'link' | 'heading' | 'radio' | 'checkbox' | 'img' | 'textbox';
export type Name = string | RegExp;
export interface Find {
	exact?: boolean;
	/** Heading level. */
	level?: number;
	/** Only inside the element with this test id. */
	within?: string;
}

export interface Ui {
	readonly engine: 'chromium' | 'webkit';
	goto(url: string): Promise<void>;
	click(role: Role, name: Name, find?: Find): Promise<void>;
	/** Taps a button that asks "Are you sure?" in the browser's own dialog, and says yes. */
	clickAndConfirm(role: Role, name: Name, find?: Find): Promise<void>;
	/** Whether the page's visible text has this in it. */
	hasText(text: string): Promise<boolean>;
	/** Taps the smallest element whose whole text is this (for what has no role, like <summary>). */
	clickText(text: string): Promise<void>;
	/** Waits until an element with this role and name is on the screen. */
	waitFor(role: Role, name: Name, find?: Find & { timeout?: number }): Promise<void>;
	/** How many such elements are on the screen now (no waiting). */
	count(role: Role, name: Name, find?: Find): Promise<number>;
	waitForTestId(testId: string, timeout?: number): Promise<void>;
	/** For screens whose parts are marked by data attributes (a lesson's options, bins, steps). */
	tap(selector: string): Promise<void>;
	waitForSelector(selector: string, timeout?: number): Promise<void>;
	attribute(selector: string, name: string): Promise<string | null>;
	/** The visible text of the first element with this test id (waits for it). */
	textOf(testId: string): Promise<string>;
	hasTestId(testId: string): Promise<boolean>;
	fill(label: string, value: string): Promise<void>;
	/** A finger dragged across the element with this role and name, from and to fractions of its box. */
	drag(role: Role, name: Name, path: [number, number][]): Promise<void>;
	/** Runs `body` (a function body: `return …`) in the page with `args` as `arguments`. */
	evaluate<T>(body: string, ...args: unknown[]): Promise<T>;
	/** Waits until `body` returns something truthy in the page. */
	waitUntil(body: string, timeout?: number, ...args: unknown[]): Promise<void>;
	setViewport(width: number, height: number): Promise<void>;
	screenshot(file: string): Promise<void>;
	/** axe: no serious or critical violations on the page as it is now. */
	expectAccessible(): Promise<void>;
	/** Console errors (and unhandled errors) the page logged since the last call. */
	takeConsoleErrors(): string[];
	url(): Promise<string>;
}

const defaultTimeout = 20_000;
/** What Playwright says when a page went away in the middle of a call. */
const navigatedAway =
	/Execution context was destroyed|Cannot find context with specified id|navigat/i;
/** Where a WebKit test that waited in vain leaves a screenshot (kept with the test results). */
const failureShots = join(process.cwd(), 'test-results', 'screenshots');

/** Chromium, through Playwright's own locators. */
export class ChromiumUi implements Ui {
	readonly engine = 'chromium' as const;
	#errors: string[] = [];
	constructor(readonly page: Page) {
		page.on('console', (message) => {
			// A 401 answer is the app asking "is anyone signed in?" (the trip screen does), not an
			// error; WebKit does not log it either. Every other failed answer still counts.
			const text = message.text();
			if (message.type() === 'error' && !/status of 401 /.test(text)) this.#errors.push(text);
		});
		page.on('pageerror', (error) => this.#errors.push(String(error)));
	}
	#locate(role: Role, name: Name, find: Find = {}) {
		const scope = find.within ? this.page.getByTestId(find.within) : this.page;
		return scope.getByRole(role, {
			name,
			...(find.exact === undefined ? {} : { exact: find.exact }),
			...(find.level === undefined ? {} : { level: find.level })
		});
	}
	async goto(url: string) {
		await this.page.goto(url);
	}
	async click(role: Role, name: Name, find?: Find) {
		await this.#locate(role, name, find).first().click();
	}
	async clickText(text: string) {
		await this.page.getByText(text, { exact: true }).first().click();
	}
	async clickAndConfirm(role: Role, name: Name, find?: Find) {
		this.page.once('dialog', (dialog) => void dialog.accept());
		await this.click(role, name, find);
	}
	hasText(text: string) {
		return this.evaluate<boolean>('return document.body.innerText.includes(arguments[0])', text);
	}
	async waitFor(role: Role, name: Name, find: Find & { timeout?: number } = {}) {
		await this.#locate(role, name, find)
			.first()
			.waitFor({ timeout: find.timeout ?? defaultTimeout });
	}
	count(role: Role, name: Name, find?: Find) {
		return this.#locate(role, name, find).count();
	}
	async waitForTestId(testId: string, timeout = defaultTimeout) {
		await this.page.getByTestId(testId).first().waitFor({ timeout });
	}
	textOf(testId: string) {
		return this.page.getByTestId(testId).first().innerText();
	}
	async tap(selector: string) {
		await this.page.locator(selector).first().click();
	}
	async waitForSelector(selector: string, timeout = defaultTimeout) {
		await this.page.locator(selector).first().waitFor({ timeout });
	}
	attribute(selector: string, name: string) {
		return this.page.locator(selector).first().getAttribute(name);
	}
	async hasTestId(testId: string) {
		return (await this.page.getByTestId(testId).count()) > 0;
	}
	async fill(label: string, value: string) {
		await this.page.getByLabel(label).fill(value);
	}
	async drag(role: Role, name: Name, path: [number, number][]) {
		const target = this.#locate(role, name).first();
		await target.scrollIntoViewIfNeeded();
		const box = (await target.boundingBox())!;
		const at = ([x, y]: [number, number]) =>
			[box.x + x * box.width, box.y + y * box.height] as const;
		await this.page.mouse.move(...at(path[0]!));
		await this.page.mouse.down();
		for (const point of path.slice(1)) await this.page.mouse.move(...at(point), { steps: 4 });
		await this.page.mouse.up();
	}
	/** As an expression, which the page's Content-Security-Policy (no eval) does not stop. */
	#expression(body: string, args: unknown[]) {
		return `(function () {${body}\n}).apply(null, ${JSON.stringify(args)})`;
	}
	evaluate<T>(body: string, ...args: unknown[]): Promise<T> {
		return this.page.evaluate<T>(this.#expression(body, args));
	}
	async waitUntil(body: string, timeout = defaultTimeout, ...args: unknown[]) {
		// Polled from here: Playwright's in-page polling of a string would need eval. A poll that
		// lands while the page navigates (a sign-out's redirect, the very thing often awaited)
		// finds its page gone: that is "not yet", and the next poll asks the new page.
		const started = Date.now();
		const poll = () =>
			this.evaluate<unknown>(body, ...args).catch((failure: unknown) => {
				if (failure instanceof Error && navigatedAway.test(failure.message)) return false;
				throw failure;
			});
		while (!(await poll())) {
			if (Date.now() - started > timeout)
				throw new Error(`Chromium: waited ${timeout} ms for ${body.slice(0, 80)}`);
			await new Promise((r) => setTimeout(r, 100));
		}
	}
	async setViewport(width: number, height: number) {
		await this.page.setViewportSize({ width, height });
	}
	async screenshot(file: string) {
		await this.page.screenshot({ path: file });
	}
	expectAccessible() {
		return expectAccessible(this.page);
	}
	takeConsoleErrors() {
		const errors = this.#errors;
		this.#errors = [];
		return errors;
	}
	url() {
		return Promise.resolve(this.page.url());
	}
}

/**
 * Finds elements by role and name in the page, close to how Playwright and screen readers
 * name them (aria-label, aria-labelledby, labels, then the visible text without the parts
 * hidden from assistive technology). Runs inside WebKit.
 */
const findScript = `
const [role, source, flags, exact, level, within] = arguments;
const selectors = {
	button: 'button, [role=button], input[type=submit], input[type=button]',
	link: 'a[href], [role=link]',
	heading: 'h1, h2, h3, h4, h5, h6, [role=heading]',
	radio: 'input[type=radio], [role=radio]',
	checkbox: 'input[type=checkbox], [role=checkbox]',
	img: 'img, svg[role=img], canvas[role=img], [role=img]',
	textbox: 'input:not([type]), input[type=text], input[type=email], input[type=password], input[type=search], input[type=number], input[type=tel], input[type=datetime-local], input[type=date], input[type=time], textarea'
};
const clean = (s) => (s || '').replace(/\\s+/g, ' ').trim();
const shown = (el) => {
	if (el.closest('[hidden], [aria-hidden=true], [inert]')) return false;
	const style = getComputedStyle(el);
	return style.visibility !== 'hidden' && style.display !== 'none' && el.getClientRects().length > 0;
};
const text = (node) => {
	let out = '';
	for (const child of node.childNodes) {
		if (child.nodeType === 3) out += child.textContent;
		else if (child.nodeType === 1) {
			if (child.getAttribute('aria-hidden') === 'true' || child.hidden) continue;
			if (child.tagName === 'IMG') out += ' ' + (child.getAttribute('alt') || '') + ' ';
			else if (['STYLE', 'SCRIPT'].includes(child.tagName)) continue;
			else {
				const inline = getComputedStyle(child).display.startsWith('inline');
				out += (inline ? '' : ' ') + text(child) + (inline ? '' : ' ');
			}
		}
	}
	return out;
};
const nameOf = (el) => {
	if (el.getAttribute('aria-label')) return clean(el.getAttribute('aria-label'));
	const by = el.getAttribute('aria-labelledby');
	if (by) return clean(by.split(/\\s+/).map((id) => { const l = document.getElementById(id); return l ? text(l) : ''; }).join(' '));
	if (el.tagName === 'INPUT' && (el.type === 'submit' || el.type === 'button')) return clean(el.value);
	if (el.tagName === 'IMG') return clean(el.getAttribute('alt'));
	if (el.labels && el.labels.length) return clean([...el.labels].map(text).join(' '));
	return clean(text(el));
};
const wanted = source === null ? null : flags === null ? source : new RegExp(source, flags);
const matches = (name) => {
	if (wanted === null) return true;
	if (wanted instanceof RegExp) return wanted.test(name);
	return exact ? name === clean(wanted) : name.toLowerCase().includes(clean(wanted).toLowerCase());
};
const root = within ? document.querySelector('[data-testid="' + within + '"]') : document;
if (!root) return [];
return [...root.querySelectorAll(selectors[role])].filter((el) => {
	if (!shown(el)) return false;
	if (level !== null && role === 'heading') {
		const l = el.getAttribute('aria-level') || (/^H(\\d)$/.exec(el.tagName) || [])[1];
		if (String(l) !== String(level)) return false;
	}
	return matches(nameOf(el));
});
`;

const axeSource = readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8'
);

/** WebKit, through WebDriver: the same actions, found by a script close to Playwright's rules. */
export class WebKitUi implements Ui {
	readonly engine = 'webkit' as const;
	readonly driver: WebDriver;
	/** Window size minus page size: the window's own frame, so the page gets the size asked for. */
	#chrome = { width: 0, height: 0 };
	constructor(readonly browser: WebKitBrowser) {
		this.driver = browser.driver;
	}
	#args(role: Role, name: Name, find: Find = {}) {
		return [
			role,
			name instanceof RegExp ? name.source : name,
			name instanceof RegExp ? name.flags : null,
			find.exact ?? false,
			find.level ?? null,
			find.within ?? null
		];
	}
	#find(role: Role, name: Name, find?: Find): Promise<WebElement[]> {
		return this.driver.executeScript<WebElement[]>(findScript, ...this.#args(role, name, find));
	}
	async #wait<T>(
		what: string,
		probe: () => Promise<T | null>,
		timeout = defaultTimeout
	): Promise<T> {
		const started = Date.now();
		for (;;) {
			const found = await probe();
			if (found !== null) return found;
			if (Date.now() - started > timeout) throw new Error(await this.#lost(what, timeout));
			await new Promise((r) => setTimeout(r, 100));
		}
	}
	/** What the screen showed when something never came: its words, and a screenshot to look at. */
	async #lost(what: string, timeout: number) {
		const shot = join(failureShots, `webkit-${Date.now()}.png`);
		let seen = '';
		try {
			mkdirSync(failureShots, { recursive: true });
			await this.screenshot(shot);
			seen = await this.driver.executeScript<string>(
				"return document.body.innerText.replace(/\\s+/g, ' ').slice(0, 600)"
			);
		} catch {
			// The page itself may be gone; the message below is still worth having.
		}
		return `WebKit: waited ${timeout} ms for ${what} on ${await this.url()}.\nOn screen: ${seen}\nScreenshot: ${shot}`;
	}
	async #one(role: Role, name: Name, find?: Find & { timeout?: number }) {
		return this.#wait(
			`${role} "${String(name)}"`,
			async () => (await this.#find(role, name, find))[0] ?? null,
			find?.timeout
		);
	}
	async goto(url: string) {
		await this.driver.get(url);
	}
	async click(role: Role, name: Name, find?: Find) {
		const element = await this.#one(role, name, find);
		await this.driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', element);
		await element.click();
	}
	async clickAndConfirm(role: Role, name: Name, find?: Find) {
		await this.click(role, name, find);
		const dialog = await this.#wait('the confirm dialog', async () => {
			try {
				return await this.driver.switchTo().alert();
			} catch {
				return null;
			}
		});
		await dialog.accept();
	}
	hasText(text: string) {
		return this.evaluate<boolean>('return document.body.innerText.includes(arguments[0])', text);
	}
	async clickText(text: string) {
		const element = await this.#wait(`text "${text}"`, () =>
			this.driver.executeScript<WebElement | null>(
				`const all = [...document.body.querySelectorAll('*')].filter(
					(el) => el.innerText && el.innerText.trim() === arguments[0] && el.getClientRects().length > 0
				);
				return all.find((el) => !all.some((other) => other !== el && el.contains(other))) ?? null;`,
				text
			)
		);
		await element.click();
	}
	async waitFor(role: Role, name: Name, find?: Find & { timeout?: number }) {
		await this.#one(role, name, find);
	}
	async count(role: Role, name: Name, find?: Find) {
		return (await this.#find(role, name, find)).length;
	}
	async #testId(testId: string, timeout?: number) {
		return this.#wait(
			`test id ${testId}`,
			() =>
				this.driver.executeScript<WebElement | null>(
					'return document.querySelector(`[data-testid="${arguments[0]}"]`)',
					testId
				),
			timeout
		);
	}
	async waitForTestId(testId: string, timeout?: number) {
		await this.#testId(testId, timeout);
	}
	async textOf(testId: string) {
		const element = await this.#testId(testId);
		return this.driver.executeScript<string>('return arguments[0].innerText', element);
	}
	#selector(selector: string, timeout?: number) {
		return this.#wait(
			selector,
			() =>
				this.driver.executeScript<WebElement | null>(
					'const el = document.querySelector(arguments[0]); return el && el.getClientRects().length > 0 ? el : null',
					selector
				),
			timeout
		);
	}
	async tap(selector: string) {
		const element = await this.#selector(selector);
		await this.driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', element);
		await element.click();
	}
	async waitForSelector(selector: string, timeout?: number) {
		await this.#selector(selector, timeout);
	}
	attribute(selector: string, name: string) {
		return this.driver.executeScript<string | null>(
			'const el = document.querySelector(arguments[0]); return el ? el.getAttribute(arguments[1]) : null',
			selector,
			name
		);
	}
	hasTestId(testId: string) {
		return this.driver.executeScript<boolean>(
			'return document.querySelector(`[data-testid="${arguments[0]}"]`) !== null',
			testId
		);
	}
	async fill(label: string, value: string) {
		// The field whose label is exactly this, else the first whose label has it (as Playwright).
		const element = await this.#wait(`field "${label}"`, async () => {
			const exact = await this.#find('textbox', label, { exact: true });
			return exact[0] ?? (await this.#find('textbox', label))[0] ?? null;
		});
		await element.clear();
		await element.sendKeys(value);
	}
	async drag(role: Role, name: Name, path: [number, number][]) {
		const element = await this.#one(role, name);
		await this.driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', element);
		const rect = await element.getRect();
		// Offsets from the element's centre, as WebDriver measures them.
		const at = ([x, y]: [number, number]) => ({
			origin: element,
			x: Math.round((x - 0.5) * rect.width),
			y: Math.round((y - 0.5) * rect.height)
		});
		let actions = this.driver.actions({ async: true }).move(at(path[0]!)).press();
		for (const point of path.slice(1)) actions = actions.move({ ...at(point), duration: 30 });
		await actions.release().perform();
	}
	evaluate<T>(body: string, ...args: unknown[]): Promise<T> {
		return this.driver.executeScript<T>(body, ...args);
	}
	async waitUntil(body: string, timeout = defaultTimeout, ...args: unknown[]) {
		await this.#wait(
			`page condition ${body.slice(0, 80)}`,
			async () => ((await this.driver.executeScript<unknown>(body, ...args)) ? true : null),
			timeout
		);
	}
	async setViewport(width: number, height: number) {
		const window = this.driver.manage().window();
		// GTK applies a new window size a moment after the driver answers: read the page's size
		// only once the window has its new size and the page's size has stopped changing, or a
		// stale reading makes the guess of the window's chrome (and so the viewport) wrong.
		for (let attempt = 0; attempt < 5; attempt++) {
			const outer = { width: width + this.#chrome.width, height: height + this.#chrome.height };
			await window.setRect(outer);
			const inner = await this.#settledInner(outer);
			if (inner.w === width && inner.h === height) return;
			const rect = await window.getRect();
			this.#chrome = { width: rect.width - inner.w, height: rect.height - inner.h };
		}
		throw new Error(`WebKit would not take a ${width} × ${height} viewport`);
	}
	/** The page's inner size once the window has the size asked for and the page agrees twice running. */
	async #settledInner(outer: { width: number; height: number }): Promise<{ w: number; h: number }> {
		const read = () =>
			this.driver.executeScript<{ w: number; h: number }>(
				'return { w: innerWidth, h: innerHeight }'
			);
		let last = { w: -1, h: -1 };
		for (let poll = 0; poll < 100; poll++) {
			const rect = await this.driver.manage().window().getRect();
			const inner = await read();
			const sized = rect.width === outer.width && rect.height === outer.height;
			if (sized && inner.w === last.w && inner.h === last.h) return inner;
			last = inner;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		return last;
	}
	async screenshot(file: string) {
		writeFileSync(file, await this.driver.takeScreenshot(), 'base64');
	}
	async expectAccessible() {
		const loaded = await this.driver.executeScript<boolean>(
			'return typeof window.axe === "object"'
		);
		if (!loaded) await this.driver.executeScript(axeSource);
		const results = await this.driver.executeAsyncScript<{
			violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
		}>(
			'const done = arguments[arguments.length - 1]; window.axe.run(document).then(done, (e) => done({ violations: [{ id: "axe-failed", impact: "critical", help: String(e), nodes: [] }] }));'
		);
		const bad = results.violations
			.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map(
				(v) =>
					`${v.impact}: ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`
			);
		expect(bad, `axe in WebKit on ${await this.url()}`).toEqual([]);
	}
	takeConsoleErrors() {
		return this.browser.takeConsole().filter((line) => /CONSOLE( \w+)? ERROR/.test(line));
	}
	url() {
		return this.driver.getCurrentUrl();
	}
}
