import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import {
	ClassesPage,
	ClassPage,
	ImportPage,
	PeoplePage,
	SetPasswordPage,
	SignInPage,
	StaffHomePage
} from './pages/staff-pages';
import { openPage } from './support/browser';
import { browserSuite } from './support/suite';

describe('classes, staff and pupils in the browser', () => {
	const suite = browserSuite({ seed: 'demo' });

	async function signedIn(email: string, password = demoPassword): Promise<Page> {
		const page = await openPage(suite.browser);
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(email, password);
		await page.waitForURL('**/staff', { timeout: 5000 }).catch(async () => {
			throw new Error(`Could not sign in as ${email}: ${await page.locator('main').innerText()}`);
		});
		return page;
	}

	/** Signs in, opens the class and its import page; gives back the class list as it was. */
	async function importInto(email: string, className: string) {
		const page = await signedIn(email);
		const classes = new ClassesPage(page, suite.server.url);
		await classes.visit('/staff/classes');
		await classes.openClass(className);
		const classPage = new ClassPage(page, suite.server.url);
		const before = await classPage.pupils();
		await classPage.openImport();
		return { page, classPage, before, importPage: new ImportPage(page, suite.server.url) };
	}

	it('lets the admin add a teacher and a class, give the class to the teacher, and manage its pupils', async () => {
		const page = await signedIn(demoStaff.admin.email);
		const people = new PeoplePage(page, suite.server.url);
		await people.visit('/staff/people');
		const link = await people.addStaff({
			name: 'Gwen Price',
			email: 'gwen@brightwater.example',
			role: 'teacher'
		});
		expect(await page.getByRole('status').innerText()).toContain('The account has been made');
		expect(await people.row('Gwen Price').innerText()).toContain('Teacher');

		const classes = new ClassesPage(page, suite.server.url);
		await classes.visit('/staff/classes');
		await classes.addClass('Wrens', 'Year 3');
		expect(await page.getByRole('row', { name: /Wrens/ }).innerText()).toContain('KS2');
		await classes.openClass('Wrens');

		const wrens = new ClassPage(page, suite.server.url);
		await wrens.assignTeacher('Gwen Price');
		expect(await wrens.teachers()).toEqual([expect.stringContaining('Gwen Price')]);
		await wrens.addPupil('Ianto', 'Lloyd');
		await wrens.addPupil('Mair', 'Evans');
		expect(await wrens.pupils()).toEqual(['Ianto L.', 'Mair E.']);

		// Bad input: a name with digits is refused calmly and nothing is added.
		await wrens.addPupil('R2D2', 'Droid');
		expect(await page.getByRole('alert').innerText()).toContain('only letters');
		expect(await wrens.pupils()).toEqual(['Ianto L.', 'Mair E.']);

		// Marking a leaver asks first; cancelling changes nothing.
		await wrens.press('Ianto L. has left');
		await page.getByRole('link', { name: 'Cancel' }).click();
		await page.waitForLoadState('load');
		expect(await wrens.pupils()).toEqual(['Ianto L.', 'Mair E.']);
		await wrens.markLeft('Ianto L.');
		expect(await wrens.pupils()).toEqual(['Mair E.']);
		expect(await page.getByRole('status').innerText()).toContain('archived');

		// The new teacher chooses a password through the link; the DSL approves the class.
		const setPassword = new SetPasswordPage(await openPage(suite.browser));
		await setPassword.open(link);
		await setPassword.choose('a first password of mine');
		const dsl = new StaffHomePage(await signedIn(demoStaff.dsl.email), suite.server.url);
		await dsl.approve('Gwen Price');

		// The new teacher sees this class and no other.
		const teacher = await signedIn('gwen@brightwater.example', 'a first password of mine');
		expect(await teacher.getByRole('link', { name: /Wrens/ }).count()).toBe(1);
		expect(await teacher.getByRole('link', { name: /Kestrels/ }).count()).toBe(0);
		// Five screens, three people: a generous budget on a shared machine.
	}, 120_000);

	it('hides other classes and admin pages from a teacher', async () => {
		const page = await signedIn(demoStaff.year1.email);
		const classes = new ClassesPage(page, suite.server.url);
		await classes.visit('/staff/classes');
		expect(await page.getByRole('link', { name: 'Hedgehogs' }).count()).toBe(1);
		expect(await page.getByRole('link', { name: 'Otters' }).count()).toBe(0);
		expect(await page.getByRole('heading', { name: 'Add a class' }).count()).toBe(0);

		const admin = await signedIn(demoStaff.admin.email);
		await admin.goto(suite.server.url + '/staff/classes');
		const ottersHref = await admin.getByRole('link', { name: 'Otters' }).getAttribute('href');

		const notMine = await page.goto(suite.server.url + ottersHref);
		expect(notMine?.status()).toBe(404);
		const people = await page.goto(suite.server.url + '/staff/people');
		expect(people?.status()).toBe(403);
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain(
			"can't open this page"
		);
		expect(await page.getByRole('link', { name: 'Back to your staff home' }).count()).toBe(1);
	});

	it('imports a class list after a column-mapping step and a preview', async () => {
		const {
			page,
			classPage: otters,
			before,
			importPage
		} = await importInto(demoStaff.year6.email, 'Otters');
		const csv =
			'Pupil given name,Family,Date of birth,Home address\nRhodri,Bevan,2015-02-03,1 Any Road\nSian,Cole,2015-06-07,2 Any Road\n';
		await importPage.upload('otters.csv', csv);
		// The headers are unusual, so Lantern asks which column is which.
		expect(await page.getByRole('status').innerText()).toContain(
			'Choose the first name and surname columns'
		);
		await importPage.chooseColumns('Pupil given name', 'Family');
		expect(await importPage.previewNames()).toEqual([
			'2\tRhodri\tB\tRhodri Bevan',
			'3\tSian\tC\tSian Cole'
		]);
		await importPage.commit();
		expect(await page.getByRole('status').innerText()).toContain('2 pupils have been imported');

		await page.getByRole('link', { name: 'Back to the class' }).click();
		await page.waitForURL('**/staff/classes/*');
		const after = await otters.pupils();
		expect(after).toHaveLength(before.length + 2);
		expect(after).toEqual(expect.arrayContaining(['Rhodri B.', 'Sian C.']));
		expect((await page.content()).includes('2015-02-03')).toBe(false);
	});

	it('imports nothing from a file with bad rows and lists each one with its reason', async () => {
		const {
			page,
			classPage: kestrels,
			before,
			importPage
		} = await importInto(demoStaff.year4.email, 'Kestrels');
		const csv = 'First name,Last name\nTomos,Hughes\n,Jenkins\nNel,\n<b>Bold</b>,Price\n';
		await importPage.upload('kestrels.csv', csv);
		expect(await importPage.badRows()).toEqual([
			'Line 3: The first name is missing.',
			'Line 4: The surname or initial is missing.',
			'Line 5: The first name should have only letters, spaces, hyphens or apostrophes.'
		]);
		expect(await page.getByText('Nothing has been imported').count()).toBe(1);
		expect(await importPage.hasCommitButton()).toBe(false);

		// Posting the commit step by hand is refused too.
		const importUrl = page.url().split('?')[0]!;
		const response = await page.request.post(importUrl + '?/commit', {
			multipart: { csv, firstNameColumn: 'First name', lastNameColumn: 'Last name' },
			headers: { origin: suite.server.url, 'x-sveltekit-action': 'true' }
		});
		expect(response.status()).toBeLessThan(500);
		const body = (await response.json()) as { type: string; status: number };
		expect(body).toMatchObject({ type: 'failure', status: 400 });

		// A stray comma refuses the whole file, naming the line.
		await page.goto(importUrl);
		await importPage.upload('kestrels.csv', 'First name,Last name\nCari,Wyn,extra\nTomos,Hughes\n');
		expect(await page.getByRole('alert').innerText()).toContain("can't be read safely");
		expect(await importPage.badRows()).toEqual([
			'Line 2: this row has 3 cells but the header has 2'
		]);
		expect(await importPage.hasCommitButton()).toBe(false);

		await page.goto(importUrl.replace('/import', ''));
		expect(await kestrels.pupils()).toEqual(before);
	});

	it('refuses an oversized file and changes nothing', async () => {
		const {
			page,
			classPage: kestrels,
			before,
			importPage
		} = await importInto(demoStaff.year4.email, 'Kestrels');
		const big = 'First name,Last name\n' + 'Aled,Morris\n'.repeat(30_000);
		await importPage.upload('huge.csv', big);
		expect(await page.getByRole('alert').innerText()).toContain('too big');
		await page.goto(page.url().split('?')[0]!.replace('/import', ''));
		expect(await kestrels.pupils()).toEqual(before);
	});
});
