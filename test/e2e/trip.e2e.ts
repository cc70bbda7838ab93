import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { checksOfTrip, listTripDevices } from '$lib/server/repositories/trip.repository';
import { issueCards, type PrintableCard } from '$lib/server/services/card.service';
import { consentOverview } from '$lib/server/services/consent.service';
import { tripsOverview } from '$lib/server/services/trip.service';
import { writeCardVideo } from '../fixtures/card-frame';
import { SignInPage } from './pages/staff-pages';
import { TripScreen } from './pages/trip-pages';
import { ChromiumUi } from './support/ui';
import { expectAccessible } from './support/axe';
import { launchBrowser, launchWithCamera, launchWithProfile, openPage } from './support/browser';
import { actorFor, classIdByName, openSchool } from './support/school';
import { startServer, type RunningServer } from './support/server';

const pin = '482913';
const press = 'Local or national press';

/** Every file under the profile's IndexedDB folder (LevelDB logs and tables), as bytes. */
function indexedDbFiles(profile: string): Buffer[] {
	const root = join(profile, 'Default', 'IndexedDB');
	return readdirSync(root, { recursive: true, encoding: 'utf8' })
		.map((f) => join(root, f))
		.filter((f) => statSync(f).isFile())
		.map((f) => readFileSync(f));
}

/** Waits until the service worker controls the page, so the screen works offline next time. */
async function controlled(page: Page) {
	await page.waitForFunction(async () => {
		await navigator.serviceWorker.ready;
		return navigator.serviceWorker.controller !== null;
	});
}

describe('photo check on a trip device', () => {
	let server: RunningServer;
	let school: AppContext & { close(): Promise<void> };
	let admin: StaffActor;
	let kestrels: string;
	let cards: PrintableCard[];
	/** Kestrels' press verdicts, as the server's consent list has them today. */
	let allowed: { name: string; firstName: string }[];
	let notAllowed: { name: string; firstName: string }[];
	const dir = mkdtempSync(join(tmpdir(), 'lantern-trip-'));
	const contexts: BrowserContext[] = [];
	/** The office's own browser (the DSL's laptop), apart from the trip device. */
	let office: Browser;

	async function device(profile = mkdtempSync(join(dir, 'profile-')), video?: string) {
		const context = video
			? await launchWithCamera(profile, video)
			: await launchWithProfile(profile);
		contexts.push(context);
		const page = context.pages()[0] ?? (await context.newPage());
		return { context, page, screen: new TripScreen(new ChromiumUi(page), server.url), profile };
	}

	async function signedInWithList(screen: TripScreen, group: string) {
		await screen.open();
		await screen.signInFromHere(demoStaff.trip.email, demoPassword);
		await screen.takeList(group, ['Kestrels'], pin);
	}

	const tripRows = async () => listTripDevices(school.db, admin.schoolId);

	beforeAll(async () => {
		server = await startServer({ seed: 'demo-reports' });
		office = await launchBrowser();
		school = await openSchool(server.dbFile);
		admin = await actorFor(school, demoStaff.admin.email);
		kestrels = await classIdByName(school, admin, 'Kestrels');
		const issued = await issueCards(school, admin, kestrels, { kind: 'all' });
		if (!issued.ok) throw new Error(issued.error);
		cards = issued.cards;
		const overview = (await consentOverview(school, admin, kestrels))!;
		const pressUse = overview.uses.find((u) => u.name === press)!;
		const split = (verdict: string) =>
			overview.pupils
				.filter((p) => p.cells[pressUse.id]!.verdict === verdict)
				.map((p) => ({ name: p.name, firstName: p.name.split(' ')[0]! }));
		allowed = split('allowed');
		notAllowed = split('not-allowed');
		expect(allowed.length).toBeGreaterThan(1);
		expect(notAllowed.length).toBeGreaterThan(0);
	});
	afterAll(async () => {
		for (const context of contexts) await context.close().catch(() => undefined);
		await office?.close();
		await school?.close();
		await server?.stop();
		server?.cleanUp();
		rmSync(dir, { recursive: true, force: true });
	});

	it('downloads a list, then offline after a relaunch unlocks, searches, scans and checks a group; nothing readable is at rest', async () => {
		const yes = allowed[0]!;
		const no = notAllowed[0]!;
		const card = cards.find((c) => `${c.firstName} ${c.lastInitial}.` === yes.name)!;
		const video = join(dir, 'trip-card.y4m');
		writeCardVideo(video, card.token);

		const first = await device(undefined, video);
		await first.screen.open();
		await controlled(first.page);
		expect(await first.screen.state()).toBe('setup');
		await expectAccessible(first.page);
		await first.screen.signInFromHere(demoStaff.trip.email, demoPassword);
		await expectAccessible(first.page);
		await first.screen.takeList('Kestrels castle visit', ['Kestrels'], pin);
		expect(await first.page.getByRole('heading', { level: 1 }).textContent()).toContain(
			'Kestrels castle visit'
		);
		expect(await first.page.getByTestId('trip-status').textContent()).toContain(
			'List taken less than an hour ago.'
		);
		await expectAccessible(first.page);
		const [trip] = await tripRows();
		expect(trip).toMatchObject({ groupName: 'Kestrels castle visit', pupilCount: 12 });

		// No signal: the server is gone and the iPad is restarted.
		await server.stop();
		await first.context.close();
		const again = await device(first.profile, video);
		await again.screen.open();
		expect(await again.screen.state()).toBe('locked');
		await expectAccessible(again.page);
		const atRest = await again.screen.dumpIndexedDb();
		expect(atRest).not.toContain('firstName');
		const withoutCiphertext = atRest.replace(/"data":"[^"]*"/g, '"data":"…"');
		for (const p of [...allowed, ...notAllowed]) {
			expect(atRest).not.toContain(p.name);
			expect(withoutCiphertext).not.toContain(p.firstName);
		}
		expect(withoutCiphertext).not.toContain('Kestrels');
		// And the files Chromium keeps IndexedDB in, as a thief copying them would find them.
		const onDisk = indexedDbFiles(first.profile);
		// (A control: the trip record's own field names are found there in the same way.)
		expect(onDisk.some((file) => file.includes(Buffer.from('wrongPins', 'latin1')))).toBe(true);
		for (const p of [...allowed, ...notAllowed])
			for (const file of onDisk) {
				expect(file.includes(Buffer.from(p.name, 'latin1')), p.name).toBe(false);
				expect(file.includes(Buffer.from(p.name, 'utf16le')), p.name).toBe(false);
			}

		await again.screen.unlockAndWait(pin);
		// Nothing is answered until the member of staff says what the photo is for.
		expect(await again.page.getByLabel('Find a pupil by name').isDisabled()).toBe(true);
		await again.screen.chooseUse(press);
		// Only the classes downloaded: a pupil of another class is not on this device at all.
		await again.screen.search('Amara');
		await again.page.getByText('Nobody on this list matches “Amara”.').waitFor();
		let answer = await again.screen.checkByName(yes.firstName.slice(0, 3), `${yes.name}, Kestrels`);
		expect(answer.answer).toBe('allowed');
		expect(answer.text).toContain('Allowed');
		expect(answer.text).toContain(yes.name);
		expect(await again.page.getByTestId('answer-age').textContent()).toContain(
			'List taken less than an hour ago.'
		);
		await expectAccessible(again.page);
		await again.screen.done();
		answer = await again.screen.checkByName(no.firstName, `${no.name}, Kestrels`);
		expect(answer.answer).toBe('not-allowed');
		expect(answer.text).toContain('Not allowed');
		expect(answer.text).not.toMatch(/refused|withdrawn|reason/i);
		await expectAccessible(again.page);
		await again.screen.done();

		// The same scanner as pupil sign-in, reading the card in front of the camera.
		await again.page.getByRole('button', { name: "Scan a pupil's card" }).click();
		answer = await again.screen.answer();
		expect(answer).toMatchObject({ answer: 'allowed' });
		expect(answer.text).toContain(yes.name);
		await again.screen.done();

		// A group: allowed only if everyone is, naming who is not. The camera is still on with
		// the same card in front of it, so that pupil joins the group as well (once three seconds
		// have passed since it was read for one pupil). Wait for that here: how soon it happens
		// depends on the machine's speed, and a group checked before or after it differed.
		await again.screen.groupMode();
		await again.page
			.getByRole('button', { name: `Take ${yes.name}, Kestrels out of the group` })
			.waitFor();
		await again.screen.addByName(allowed[1]!.firstName, `${allowed[1]!.name}, Kestrels`);
		await again.screen.addByName(no.firstName, `${no.name}, Kestrels`);
		await expectAccessible(again.page);
		await again.page.getByRole('button', { name: 'Check the group' }).click();
		answer = await again.screen.answer();
		expect(answer.answer).toBe('not-allowed');
		expect(await again.page.getByTestId('not-allowed').textContent()).toContain(no.name);
		expect(await again.page.getByTestId('not-allowed').textContent()).not.toContain(
			allowed[1]!.name
		);
		await again.screen.done();
		// The count is read from IndexedDB after the answer shows: wait for it, not the one before.
		await again.page.getByTestId('waiting').getByText('4 checks waiting to send').waitFor();
		expect(await again.screen.dumpIndexedDb()).not.toContain(no.name);

		// Back in reach of school: the four checks arrive once, with ids only.
		await server.restart();
		await again.page.evaluate(() => window.dispatchEvent(new Event('online')));
		await expect
			.poll(async () => (await checksOfTrip(school.db, admin.schoolId, trip!.deviceId)).length, {
				timeout: 20_000
			})
			.toBe(4);
		const checks = await checksOfTrip(school.db, admin.schoolId, trip!.deviceId);
		expect(checks.map((c) => c.answer).sort()).toEqual([
			'allowed',
			'allowed',
			'not-allowed',
			'not-allowed'
		]);
		expect(checks.filter((c) => c.how === 'scan')).toHaveLength(1);
		// The group: the scanned pupil and the two found by name (the last added by name).
		const groupCheck = checks.find((c) => c.group);
		expect(groupCheck?.pupilIds).toHaveLength(3);
		expect(groupCheck?.notAllowed).toHaveLength(1);
	});

	it('takes a named group, and wipes the list after five wrong PINs', async () => {
		const { page, screen } = await device();
		await screen.open();
		await screen.signInFromHere(demoStaff.trip.email, demoPassword);
		await page.getByLabel('Kestrels', { exact: true }).check();
		await page.getByLabel('Only some pupils (a named group)').check();
		for (const p of [allowed[0]!, notAllowed[0]!]) await page.getByLabel(p.name).check();
		expect(await page.getByText('2 pupils chosen.').count()).toBe(1);
		await expectAccessible(page);
		await screen.takeList('Pond dipping', [], pin);
		const pond = (await tripRows()).find((t) => t.groupName === 'Pond dipping')!;
		expect(pond.pupilCount).toBe(2);
		await screen.chooseUse(press);
		await screen.search(allowed[1]!.firstName);
		await page.getByText(`Nobody on this list matches “${allowed[1]!.firstName}”.`).waitFor();
		await screen.lock();
		for (const wrong of ['111112', '222223', '333334', '444445']) {
			await screen.wrongPin(wrong);
			expect(await screen.state()).toBe('locked');
		}
		expect(await page.getByRole('alert').textContent()).toContain('1 try left');
		await expectAccessible(page);
		await screen.wrongPin('555556');
		expect(await screen.state()).toBe('setup');
		expect(await screen.wipedNotice()).toContain('five wrong PINs');
		expect(await screen.dumpIndexedDb()).toContain('"lantern-device/trip":[]');
		await expectAccessible(page);
	});

	it('wipes the list by its own clock at the end of the trip plus the grace period', async () => {
		const { page, screen } = await device();
		await page.clock.install();
		await screen.open();
		await screen.signInFromHere(demoStaff.trip.email, demoPassword);
		// The trip ends in two hours (in the device's own time, as the form takes it).
		const endsAt = await page.evaluate(() => {
			const end = new Date(Date.now() + 2 * 3_600_000);
			const pad = (n: number) => String(n).padStart(2, '0');
			return `${end.getFullYear()}-${pad(end.getMonth() + 1)}-${pad(end.getDate())}T${pad(end.getHours())}:${pad(end.getMinutes())}`;
		});
		await screen.takeList('Museum visit', ['Kestrels'], pin, endsAt);
		await screen.lock();
		// Past the end, within the 24 hours' grace: still there, and still opens.
		await page.clock.fastForward('25:00:00');
		expect(await screen.state()).toBe('locked');
		await screen.unlockAndWait(pin);
		await screen.lock();
		// Past the grace period: gone, with no network needed.
		await page.clock.fastForward('02:00:00');
		await page.locator('main.trip[data-state="setup"]').waitFor();
		expect(await screen.wipedNotice()).toContain('The trip is over');
		expect(await screen.dumpIndexedDb()).toContain('"lantern-device/trip":[]');
	});

	it('wipes the list at its next contact after the office revokes it, and its token opens nothing else', async () => {
		const { page, screen } = await device();
		await signedInWithList(screen, 'Forest school');
		const trip = (await tripRows()).find((t) => t.groupName === 'Forest school')!;
		const dump = JSON.parse(await screen.dumpIndexedDb()) as Record<string, { token?: string }[]>;
		const token = dump['lantern-device/trip']![0]!.token!;
		const get = (path: string) =>
			fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
		expect((await get('/api/device/roster')).status).toBe(401);

		// The DSL revokes it from the trip lists.
		const officePage = await openPage(office);
		await officePage.goto(server.url + '/signin?next=/staff/consent/trips');
		// (The page model types the DSL's second-factor code too.)
		await new SignInPage(officePage, server.url).signIn(demoStaff.dsl.email, demoPassword);
		await officePage.waitForURL('**/staff/consent/trips');
		const row = officePage.locator(`tr[data-trip="Forest school"]`);
		expect(await row.textContent()).toContain('Open');
		await expectAccessible(officePage);
		officePage.once('dialog', (dialog) => void dialog.accept());
		await row.getByRole('button', { name: 'Revoke' }).click();
		await officePage.getByText('The list is revoked.').waitFor();
		expect(await row.textContent()).toContain('Revoked');
		expect((await get('/api/device/roster')).status).toBe(401);
		expect(
			(
				await fetch(server.url + '/api/device/trip', {
					method: 'POST',
					headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
					body: '{}'
				})
			).status
		).toBe(401);

		// The trip device, still unlocked, hears of it at its next contact.
		await page.evaluate(() => window.dispatchEvent(new Event('online')));
		await page.locator('main.trip[data-state="setup"]').waitFor({ timeout: 15_000 });
		expect(await screen.wipedNotice()).toContain('The school withdrew this photo list');
		expect(await screen.dumpIndexedDb()).toContain('"lantern-device/trip":[]');
		expect(trip.pupilCount).toBe(12);
	});

	it('after an answer, the screen is where the member of staff left it, not back at the top', async () => {
		const { page, screen } = await device();
		await page.setViewportSize({ width: 1024, height: 768 });
		await signedInWithList(screen, 'Museum trip');
		await screen.chooseUse(press);
		const search = page.getByLabel('Find a pupil by name');
		const searchTop = () => search.evaluate((el) => Math.round(el.getBoundingClientRect().top));
		for (const pupil of [allowed[0]!, notAllowed[0]!]) {
			// Past every use, to the search box, as on a small screen.
			await search.evaluate((el) => el.scrollIntoView({ block: 'start' }));
			const before = await searchTop();
			expect(await page.evaluate(() => scrollY), 'the screen is scrolled').toBeGreaterThan(0);
			await screen.checkByName(pupil.firstName, `${pupil.name}, Kestrels`);
			await screen.done();
			// Back where they were: the search box where it was, ready for the next name.
			expect(await searchTop()).toBe(before);
			expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
		}
		await expectAccessible(page);
	});

	it('shows trip staff no consent pages, and wipes the list when they sign out', async () => {
		const { page, screen } = await device();
		await signedInWithList(screen, 'Beach clean');
		const response = await page.goto(server.url + '/staff/consent');
		expect(response?.status()).toBe(403);
		await page.goto(server.url + '/staff');
		await page.getByRole('link', { name: 'Photo check' }).waitFor();
		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL('**/signin?reason=signed-out');
		await expect.poll(() => screen.dumpIndexedDb()).toContain('"lantern-device/trip":[]');
		// The school hears of it too: the list is closed on the trip lists page.
		const beach = async () =>
			(await tripsOverview(school, admin)).find((t) => t.groupName === 'Beach clean')?.state;
		await expect.poll(beach).toBe('revoked');
		await screen.open();
		expect(await screen.state()).toBe('setup');
	});
});
