import type { Page } from 'playwright-core';
import { expectAccessible } from '../support/axe';
import { nextCode, rememberSecret } from '../support/second-factor';

/** Page models: what a person does on each staff screen, in their words. */
export class SetupPage {
	constructor(
		private page: Page,
		private base: string
	) {}
	async open() {
		await this.page.goto(this.base + '/');
		await this.page.waitForURL('**/setup');
		await expectAccessible(this.page);
	}
	async createSchool(school: string, name: string, email: string, password: string) {
		await this.page.getByLabel('School name').fill(school);
		await this.page.getByLabel('Your name').fill(name);
		await this.page.getByLabel('Email address').fill(email);
		await this.page.getByLabel('New password', { exact: true }).fill(password);
		await this.page.getByLabel('New password again').fill(password);
		await this.page.getByRole('button', { name: 'Create school and admin account' }).click();
	}
}

/** The page a set-password link opens: the person chooses their own password. */
export class SetPasswordPage {
	constructor(private page: Page) {}
	async open(link: string) {
		await this.page.goto(link);
		await expectAccessible(this.page);
	}
	async choose(password: string) {
		await this.page.getByLabel('New password', { exact: true }).fill(password);
		await this.page.getByLabel('New password again').fill(password);
		await this.page.getByRole('button', { name: 'Save my password' }).click();
		await this.page.waitForLoadState('load');
		await expectAccessible(this.page);
	}
	problem() {
		return this.page.getByRole('alert').innerText();
	}
}

export class SignInPage {
	constructor(
		private page: Page,
		private base: string
	) {}
	async open() {
		await this.page.goto(this.base + '/signin');
		await expectAccessible(this.page);
	}
	/**
	 * Signs in, and past the second factor when the account asks for it: a code from the demo
	 * secret (or the one seen at enrolment), or setting one up with the key the page shows.
	 */
	async signIn(email: string, password: string) {
		await this.page.getByLabel('Email address').fill(email);
		await this.page.getByLabel('Password').fill(password);
		await newDocument(this.page, () => this.page.getByRole('button', { name: 'Sign in' }).click());
		await new SecondFactorPage(this.page, this.base).finish(email);
	}
	/** The password step alone: where the second factor, if any, takes over. */
	async passwordOnly(email: string, password: string) {
		await this.page.getByLabel('Email address').fill(email);
		await this.page.getByLabel('Password').fill(password);
		await newDocument(this.page, () => this.page.getByRole('button', { name: 'Sign in' }).click());
	}
	problem() {
		return this.page.getByRole('alert').innerText();
	}
	notice() {
		return this.page.getByRole('status').first().innerText();
	}
}

/** Does something that loads a new document (a form post, a redirect) and waits for it. */
async function newDocument(page: Page, act: () => Promise<void>) {
	await page.evaluate(() => ((window as unknown as { lanternOld?: boolean }).lanternOld = true));
	await act();
	await page.waitForFunction(
		() =>
			!(window as unknown as { lanternOld?: boolean }).lanternOld &&
			document.readyState === 'complete'
	);
}

/** The second step of signing in, and setting up a second factor. */
export class SecondFactorPage {
	constructor(
		private page: Page,
		private base: string
	) {}
	path() {
		return new URL(this.page.url()).pathname;
	}
	/** Whatever the second factor asks for now (nothing for most teachers), then on to Lantern. */
	async finish(email: string) {
		if (this.path() === '/signin/code') await this.enterCode(await nextCode(this.base, email));
		else if (this.path() === '/signin/enrol') {
			await this.enrol(email);
			await this.carryOn();
		}
	}
	async enterCode(code: string) {
		await expectAccessible(this.page);
		await this.page.getByLabel('Six-digit code from the app').fill(code);
		await newDocument(this.page, () =>
			this.page.getByRole('button', { name: 'Carry on', exact: true }).click()
		);
	}
	async useRecoveryCode(code: string) {
		await this.page.getByText('Lost your phone? Use a recovery code').click();
		await this.page.getByLabel('Recovery code').fill(code);
		await newDocument(this.page, () =>
			this.page.getByRole('button', { name: 'Use this recovery code' }).click()
		);
	}
	/** Sets up the app from the key on the page (a test cannot scan), and returns the recovery codes. */
	async enrol(email: string): Promise<string[]> {
		await expectAccessible(this.page);
		const secret = await this.page.getByTestId('second-factor-secret').innerText();
		rememberSecret(this.base, email, secret);
		await this.page
			.getByLabel('Six-digit code from the app')
			.fill(await nextCode(this.base, email));
		await newDocument(this.page, () =>
			this.page.getByRole('button', { name: 'Confirm and carry on' }).click()
		);
		await expectAccessible(this.page);
		return this.page.getByTestId('recovery-codes').locator('code').allInnerTexts();
	}
	async carryOn() {
		// A link: the app moves on without loading a new document.
		await this.page.getByRole('link', { name: 'Carry on to Lantern' }).click();
		await this.page.waitForURL((url) => url.pathname !== '/signin/enrol');
		await this.page.waitForLoadState('load');
	}
	problem() {
		return this.page.getByRole('alert').innerText();
	}
}

export class StaffArea {
	constructor(
		private page: Page,
		private base: string
	) {}
	async visit(path: string) {
		await this.page.goto(this.base + path);
		await expectAccessible(this.page);
	}
	heading() {
		return this.page.getByRole('heading', { level: 1 }).innerText();
	}
	async signOut() {
		await this.page.getByRole('button', { name: 'Sign out' }).click();
		await this.page.waitForURL('**/signin?reason=signed-out');
	}
	async submitted() {
		await this.page.waitForLoadState('load');
		await expectAccessible(this.page);
	}
}

export class PeoplePage extends StaffArea {
	constructor(
		private p: Page,
		base: string
	) {
		super(p, base);
	}
	/** Adds someone; the answer is their one-time set-password link, shown once. */
	async addStaff(person: { name: string; email: string; role: string }): Promise<string> {
		const form = this.p.locator('form[action="?/add"]');
		await form.getByLabel('Name').fill(person.name);
		await form.getByLabel('Email address').fill(person.email);
		await form.getByLabel('Role').selectOption(person.role);
		await form.getByRole('button', { name: 'Add member of staff' }).click();
		await this.submitted();
		return this.passwordLink(person.name);
	}
	/** The one-time link on the page just now, for this person. */
	async passwordLink(name: string): Promise<string> {
		return this.p.getByLabel(`Set-password link for ${name}`).inputValue();
	}
	async newPasswordLink(name: string): Promise<string> {
		await this.press(`New set-password link for ${name}`);
		return this.passwordLink(name);
	}
	row(name: string) {
		return this.p.getByTestId('staff-row').filter({ hasText: name });
	}
	async press(label: string) {
		await this.p.getByRole('button', { name: label }).click();
		await this.submitted();
	}
}

export class ClassesPage extends StaffArea {
	constructor(
		private p: Page,
		base: string
	) {
		super(p, base);
	}
	async addClass(name: string, year: string) {
		const form = this.p.locator('form[action="?/add"]');
		await form.getByLabel('Class name').fill(name);
		await form.getByLabel('Year group').selectOption({ label: year });
		await form.getByRole('button', { name: 'Add class' }).click();
		await this.submitted();
	}
	async openClass(name: string) {
		await this.p.getByRole('link', { name, exact: true }).click();
		await this.p.waitForURL('**/staff/classes/*');
		await expectAccessible(this.p);
	}
}

export class ClassPage extends StaffArea {
	constructor(
		private p: Page,
		base: string
	) {
		super(p, base);
	}
	pupils() {
		return this.p.getByTestId('pupil').locator('.pupil-name').allInnerTexts();
	}
	async addPupil(firstName: string, surname: string) {
		await this.p.getByLabel('First name').fill(firstName);
		await this.p.getByLabel('Surname (only the first letter is kept)').fill(surname);
		await this.p.getByRole('button', { name: 'Add pupil' }).click();
		await this.submitted();
	}
	async markLeft(name: string) {
		await this.press(`${name} has left`);
		await this.press(`Yes, ${name} has left`);
	}
	async press(label: string) {
		await this.p.getByRole('button', { name: label }).click();
		await this.submitted();
	}
	async assignTeacher(name: string) {
		// The select's name includes its chosen option, so match the start of it.
		await this.p.getByRole('combobox', { name: /^Teacher/ }).selectOption({ label: name });
		await this.press('Give this class to the teacher');
	}
	teachers() {
		return this.p.getByTestId('class-teacher').allInnerTexts();
	}
	async openImport() {
		await this.p.getByRole('link', { name: 'Import a class list (CSV)' }).click();
		await this.p.waitForURL('**/import');
		await expectAccessible(this.p);
	}
}

export class ImportPage extends StaffArea {
	constructor(
		private p: Page,
		base: string
	) {
		super(p, base);
	}
	async upload(fileName: string, contents: string | Buffer) {
		await this.p
			.getByLabel('CSV file')
			.setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(contents) });
		await this.p.getByRole('button', { name: 'Upload and check' }).click();
		await this.submitted();
	}
	async chooseColumns(firstName: string, surname: string) {
		await this.column('First name column').selectOption(firstName);
		await this.column('Surname column').selectOption(surname);
		await this.p.getByRole('button', { name: 'Check again' }).click();
		await this.submitted();
	}
	previewNames() {
		return this.p.getByTestId('preview').locator('tbody tr').allInnerTexts();
	}
	badRows() {
		return this.p.getByTestId('bad-rows').locator('li').allInnerTexts();
	}
	async commit() {
		await this.p.getByRole('button', { name: /^Import \d+ pupils? into/ }).click();
		await this.submitted();
	}
	hasCommitButton() {
		return this.p.getByRole('button', { name: /^Import \d+ pupils? into/ }).isVisible();
	}
	/** A column choice by its label (a select's name also carries its chosen option). */
	column(label: string) {
		const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		return this.p.getByRole('combobox', { name: new RegExp(`^${escaped}`) });
	}
	/** The pupils the file names who are already in the class ("Chloë D. — Dubois, Chloë (line 2)"). */
	alreadyHere() {
		return this.p.getByTestId('already-here').locator('li').allInnerTexts();
	}
	/** Notes on different children who will show with the same short name. */
	sameShortName() {
		return this.p.getByTestId('same-short-name').allInnerTexts();
	}
	/** What the page says about the file's encoding, when it is not UTF-8. */
	readAs() {
		return this.p.getByTestId('read-as').innerText();
	}
}

/** A class's cards page: printed cards, and the class's picture passwords. */
export class CardsPage extends StaffArea {
	constructor(
		private p: Page,
		base: string
	) {
		super(p, base);
	}
	async open(className: string) {
		await this.visit('/staff/classes');
		await this.p.getByRole('link', { name: className, exact: true }).click();
		await this.p.getByRole('link', { name: 'Print pupil cards' }).click();
		await this.p.waitForURL('**/cards');
		await expectAccessible(this.p);
	}
	async press(label: string) {
		await this.p.getByRole('button', { name: label, exact: true }).click();
		await this.submitted();
	}
	/** The pictures shown once, by pupil name ("Kit L."), in order. */
	async slips(): Promise<Map<string, string[]>> {
		const slips = this.p.getByTestId('picture-slip');
		await slips.first().waitFor();
		const found = new Map<string, string[]>();
		for (const slip of await slips.all()) {
			const name = await slip.getAttribute('data-name');
			const pictures = await slip.getAttribute('data-pictures');
			found.set(name ?? '', (pictures ?? '').split(','));
		}
		return found;
	}
	pictureRow(name: string) {
		return this.p.getByTestId('picture-row').filter({ hasText: name });
	}
}

/** The staff home page; for the DSL, its "Account changes" panel. */
export class StaffHomePage extends StaffArea {
	constructor(
		private p: Page,
		base: string
	) {
		super(p, base);
	}
	notices() {
		return this.p.getByTestId('account-notice').allInnerTexts();
	}
	async approve(name: string) {
		await this.p
			.getByRole('button', { name: `Approve the change for ${name}` })
			.first()
			.click();
		await this.submitted();
	}
	async refuse(name: string) {
		await this.p
			.getByRole('button', { name: `Refuse the change for ${name}` })
			.first()
			.click();
		await this.submitted();
	}
	reportsShown() {
		return this.p.getByTestId('home-reports').count();
	}
}
