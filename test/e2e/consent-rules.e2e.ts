import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentEntry } from '$lib/domain/consent';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import { consentUses, recordConsent } from '$lib/server/services/consent.service';
import { SignInPage } from './pages/staff-pages';
import { TripScreen } from './pages/trip-pages';
import { expectAccessible } from './support/axe';
import { launchWithProfile, openPage } from './support/browser';
import { actorFor, classIdByName, openSchool } from './support/school';
import { browserSuite } from './support/suite';
import { ChromiumUi } from './support/ui';

/** Set LANTERN_SHOTS_DIR to keep a screenshot of each screen at both iPad-ish sizes. */
const shotsDir = process.env.LANTERN_SHOTS_DIR;
const sizes = [
	{ width: 1024, height: 768 },
	{ width: 820, height: 1180 }
];

async function shots(page: Page, name: string) {
	if (!shotsDir) return;
	for (const size of sizes) {
		await page.setViewportSize(size);
		await page.screenshot({
			path: join(shotsDir, `${size.width}x${size.height}-${name}.png`),
			fullPage: true
		});
	}
}

/** The seeds' own consent rules, as the office turns them on and a trip device answers. */
describe('the school’s consent rules', () => {
	// The demo school without its consent list: the rules start off, as for any school.
	const suite = browserSuite({ seed: 'demo' });
	let school: AppContext & { close(): Promise<void> };
	let admin: StaffActor;
	/** Hedgehogs: the first with one parent's yes, the second with both parents'. */
	let onlyMum: { id: string; name: string; firstName: string };
	let bothParents: { id: string; name: string };
	const dir = mkdtempSync(join(tmpdir(), 'lantern-rules-'));
	const contexts: BrowserContext[] = [];

	const entry = (useId: string, givenBy: string, relationship: string): ConsentEntry => ({
		useId,
		decision: 'granted',
		givenBy,
		relationship,
		givenOn: '2026-09-08',
		validFrom: '2026-09-08',
		validUntil: null,
		source: 'paper-form'
	});

	beforeAll(async () => {
		school = await openSchool(suite.server.dbFile);
		admin = await actorFor(school, demoStaff.admin.email);
		const hedgehogs = await classIdByName(school, admin, 'Hedgehogs');
		const [first, second] = await listPupilsOfClass(school.db, admin.schoolId, hedgehogs);
		onlyMum = {
			id: first!.id,
			name: `${first!.firstName} ${first!.lastInitial}.`,
			firstName: first!.firstName
		};
		bothParents = { id: second!.id, name: `${second!.firstName} ${second!.lastInitial}.` };
		for (const use of await consentUses(school, admin.schoolId)) {
			const answers = [
				[onlyMum.id, 'A made-up mother', 'mother'],
				[bothParents.id, 'A made-up mother', 'mother'],
				[bothParents.id, 'A made-up father', 'father']
			] as const;
			for (const [pupilId, who, relationship] of answers) {
				const done = await recordConsent(school, admin, pupilId, entry(use.id, who, relationship));
				if (!done.ok) throw new Error(done.error);
			}
		}
	});
	afterAll(async () => {
		for (const context of contexts) await context.close().catch(() => undefined);
		await school?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	const cell = (page: Page, pupilId: string, useId: string) =>
		page.getByTestId('consent-grid').locator(`tr[data-pupil="${pupilId}"] td[data-use="${useId}"]`);

	it('the office turns on "every carer", marks names with photos never allowed; the overview, pupil page and trip device say so', async () => {
		const page = await openPage(suite.browser);
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(demoStaff.admin.email, demoPassword);
		await page.waitForURL('**/staff**');
		const uses = await consentUses(school, admin.schoolId);
		const website = uses.find((u) => u.key === 'website')!;
		const named = uses.find((u) => u.key === 'named')!;

		// Off by default: one parent's yes allows, and the overview says the rule is off.
		await page.goto(`${suite.server.url}/staff/consent`);
		await page.getByRole('heading', { name: 'Photo consent', level: 1 }).waitFor();
		const rules = page.getByTestId('consent-rules');
		expect(await rules.innerText()).toContain('Consent counts when a carer says yes');
		expect(await cell(page, onlyMum.id, website.id).getAttribute('data-verdict')).toBe('allowed');
		await expectAccessible(page);

		// The office changes the school's rules.
		await rules.getByRole('link', { name: 'Change the school’s consent rules' }).click();
		await page.getByRole('heading', { name: 'The school’s consent rules' }).waitFor();
		await page
			.getByLabel('Consent needs every carer with parental responsibility who is recorded')
			.check();
		await page.getByRole('button', { name: 'Save the rules' }).click();
		await page.getByRole('status').filter({ hasText: 'consent rules are saved' }).waitFor();
		const namedCard = page
			.getByTestId('uses')
			.locator('li')
			.filter({
				has: page.locator(`input[name="id"][value="${named.id}"]`)
			});
		await namedCard.getByLabel('Never allowed by school policy, whatever carers say').check();
		await namedCard.getByRole('button', { name: 'Save', exact: true }).click();
		await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
		// The saved form still shows the use's name (it is not emptied after saving).
		expect(await namedCard.locator('input[name="name"]').inputValue()).toBe(named.name);
		expect(
			await namedCard.getByLabel('Never allowed by school policy, whatever carers say').isChecked()
		).toBe(true);
		await expectAccessible(page);
		await shots(page, 'consent-rules-settings');

		// The overview: the rule is on, one parent's yes is "Check" (in words), both is allowed,
		// and the named use is "Not allowed (school rule)" for everyone.
		await page.goto(`${suite.server.url}/staff/consent`);
		await page.getByRole('heading', { name: 'Photo consent', level: 1 }).waitFor();
		expect(await rules.innerText()).toContain(
			'consent counts only when every carer with parental responsibility who is recorded has said yes'
		);
		expect(await rules.innerText()).toContain(
			'Never allowed by school policy: Named together with a photo.'
		);
		const check = cell(page, onlyMum.id, website.id);
		expect(await check.getAttribute('data-verdict')).toBe('check');
		expect(await check.innerText()).toContain('Check');
		expect(await check.innerText()).toContain('1 of 2 carers said yes');
		expect(await cell(page, bothParents.id, website.id).getAttribute('data-verdict')).toBe(
			'allowed'
		);
		for (const pupil of [onlyMum, bothParents]) {
			const never = cell(page, pupil.id, named.id);
			expect(await never.getAttribute('data-verdict')).toBe('not-allowed');
			expect(await never.innerText()).toContain('Not allowed (school rule)');
		}
		await expectAccessible(page);
		await shots(page, 'consent-rules-overview');

		// The pupil's page says why, and the office can record one carer with responsibility.
		await page.setViewportSize({ width: 1024, height: 768 });
		await page.goto(`${suite.server.url}/staff/consent/pupils/${onlyMum.id}`);
		await page.getByRole('heading', { name: `Photo consent: ${onlyMum.name}` }).waitFor();
		const websiteRow = page.getByTestId('pupil-verdicts').locator(`tr[data-use="${website.id}"]`);
		expect(await websiteRow.innerText()).toContain('Check');
		expect(await websiteRow.innerText()).toContain('1 of 2 carers said yes');
		expect(
			await page.getByTestId('pupil-verdicts').locator(`tr[data-use="${named.id}"]`).innerText()
		).toContain('Not allowed (school rule)');
		expect(await page.getByTestId('carers').innerText()).toContain(
			'Not recorded: Lantern counts two (both parents).'
		);
		await expectAccessible(page);
		await shots(page, 'consent-rules-pupil');

		// On a trip device: "check" for one parent's yes (never why), and the named use is
		// "Not allowed (school rule)".
		const profile = mkdtempSync(join(dir, 'profile-'));
		const context = await launchWithProfile(profile);
		contexts.push(context);
		const trip = context.pages()[0] ?? (await context.newPage());
		const screen = new TripScreen(new ChromiumUi(trip), suite.server.url);
		await screen.open();
		await screen.signInFromHere(demoStaff.trip.email, demoPassword);
		await screen.takeList('Hedgehogs pond visit', ['Hedgehogs'], '482913');
		await screen.chooseUse('School website');
		let answer = await screen.checkByName(onlyMum.firstName, `${onlyMum.name}, Hedgehogs`);
		expect(answer.answer).toBe('check');
		expect(answer.text).toContain('Check with the trip lead');
		expect(answer.text).not.toMatch(/carer|parent|responsib/i);
		await expectAccessible(trip);
		await shots(trip, 'consent-rules-trip-check');
		await screen.done();
		await screen.chooseUse('Named together with a photo');
		answer = await screen.checkByName(onlyMum.firstName, `${onlyMum.name}, Hedgehogs`);
		expect(answer.answer).toBe('not-allowed');
		expect(answer.text).toContain('Not allowed (school rule)');
		await expectAccessible(trip);
		await shots(trip, 'consent-rules-trip-school-rule');
		await screen.done();

		// Back in the office: one carer has parental responsibility, so one yes is enough.
		await page
			.getByLabel('How many carers have parental responsibility for this pupil')
			.selectOption('1');
		await page.getByRole('button', { name: 'Save the number' }).click();
		await page.getByRole('status').filter({ hasText: 'The number of carers is saved' }).waitFor();
		await websiteRow.filter({ hasText: 'Allowed' }).waitFor();
		expect(await page.getByTestId('carers').innerText()).toContain('Recorded by the office: 1.');
		await expectAccessible(page);
	});
});
