import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Lesson } from '$lib/domain/lesson';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { listTripDevices, checksOfTrip } from '$lib/server/repositories/trip.repository';
import { issueCards, type PrintableCard } from '$lib/server/services/card.service';
import { createEnrolmentCode } from '$lib/server/services/device.service';
import { lessonsForYear } from '$lib/server/services/lesson.service';
import { tripsOverview } from '$lib/server/services/trip.service';
import { ClassIPad, StaffWindow, TellAdult } from '../pages/ipad';
import { LessonScreen } from '../pages/lesson-pages';
import { TripScreen } from '../pages/trip-pages';
import { engines, openWindow, type BrowserWindow } from '../support/engines';
import { actorFor, classIdByName, openSchool } from '../support/school';
import { startServer, type RunningServer } from '../support/server';

/**
 * The journeys of a school day, each in both engines (WebKit is every iPad): a class iPad set
 * up and a pupil signed in by card; lessons with every kind of question; a worry arriving live
 * in the teacher's inbox, with its voice note; and a trip list taken, then used with no signal.
 * Every page visited is checked with axe and must log no console error.
 */
describe.each(engines)('a school day in %s', (engine) => {
	let server: RunningServer;
	let school: AppContext & { close(): Promise<void> };
	let teacher: StaffActor;
	let kestrels: string;
	let cards: PrintableCard[];
	const windows: BrowserWindow[] = [];
	const dir = mkdtempSync(join(tmpdir(), `lantern-day-${engine}-`));

	async function open(profile?: string) {
		const window = await openWindow(engine, profile ? { profileDir: join(dir, profile) } : {});
		windows.push(window);
		return window;
	}

	async function serverUp() {
		try {
			return (await fetch(server.url + '/signin')).ok;
		} catch {
			return false;
		}
	}

	async function classIPad(profile: string) {
		const code = await createEnrolmentCode(school, teacher, {
			name: 'Kestrels iPad',
			classIds: [kestrels]
		});
		if (!code.ok) throw new Error(code.error);
		const window = await open(profile);
		const ipad = new ClassIPad(window.ui, server.url);
		await ipad.open();
		await ipad.enrolWithTypedCode(code.code);
		return { window, ipad };
	}

	/** What each engine logs when the server cannot be reached: the only errors allowed offline. */
	// Chromium also logs the service worker's calm "unreachable" answer (a 503) to the page.
	const refusedConnection =
		/ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED|Could not connect to (the server|localhost)|status of 503/;

	beforeAll(async () => {
		server = await startServer({ seed: 'demo' });
		school = await openSchool(server.dbFile);
		teacher = await actorFor(school, demoStaff.year4.email);
		kestrels = await classIdByName(school, teacher, 'Kestrels');
		const issued = await issueCards(school, teacher, kestrels, { kind: 'missing' });
		if (!issued.ok) throw new Error(issued.error);
		cards = issued.cards;
	});
	afterEach(async () => {
		// A journey that took the server down and failed part-way leaves it up for the next.
		if (!(await serverUp())) await server.restart();
		// Every page of the journey logged no console error.
		for (const window of windows) expect(window.ui.takeConsoleErrors()).toEqual([]);
		for (const window of windows.splice(0)) await window.close();
	});
	afterAll(async () => {
		for (const window of windows) await window.close();
		await school?.close();
		await server?.stop();
		server?.cleanUp();
		rmSync(dir, { recursive: true, force: true });
	});

	it('sets up a class iPad, signs a pupil in with their card, and forgets them on "I\'ve finished"', async () => {
		const { window, ipad } = await classIPad('card');
		const card = cards[0]!;
		await ipad.showCard(card.token);
		await ipad.waitUntilSignedIn(card.firstName);
		await window.ui.waitFor('heading', 'My lessons');
		await window.ui.expectAccessible();
		await ipad.finish();
		expect(await window.ui.count('heading', `Hello, ${card.firstName}!`)).toBe(0);
		await window.ui.expectAccessible();
	});

	it('opens from a cold start with the school out of reach, keeps a worry, and sends it once when school is back', async () => {
		const first = await classIPad('cold');
		await first.ipad.untilReadyOffline();
		// The iPad is switched off; the school's server goes down; the iPad starts cold.
		expect(first.window.ui.takeConsoleErrors()).toEqual([]);
		windows.splice(windows.indexOf(first.window), 1);
		await first.window.close();
		await server.stop();
		const window = await open('cold');
		const ipad = new ClassIPad(window.ui, server.url);
		await window.ui.goto(server.url + '/pupil');
		await ipad.ready();
		await window.ui.waitFor('heading', 'Scan your card');
		await window.ui.expectAccessible();
		const flow = new TellAdult(window.ui);
		await flow.start("I'd rather not say", 'Scared', "I'm not safe right now");
		await flow.type('Please come');
		await flow.send();
		expect(await flow.outcome()).toBe('kept');
		await flow.close();
		const count = async () =>
			Number(
				(
					await school.db
						.selectFrom('report')
						.select((eb) => eb.fn.countAll<number>().as('n'))
						.where('words', '=', 'Please come')
						.executeTakeFirstOrThrow()
				).n
			);
		expect(await count()).toBe(0);
		const refused = refusedConnection;
		expect(window.ui.takeConsoleErrors().filter((l) => !refused.test(l))).toEqual([]);

		const kept = await ipad.outbox();
		await server.restart();
		await ipad.untilOutboxSent();
		expect(await count()).toBe(1);
		// The answer lost on the way: sent again, kept once.
		await ipad.putBackInOutbox(kept);
		await ipad.untilOutboxSent();
		expect(await count()).toBe(1);
		expect(window.ui.takeConsoleErrors().filter((l) => !refused.test(l))).toEqual([]);
	});

	it('walks lessons with every kind of question to the end, and the server keeps each once', async () => {
		const { window, ipad } = await classIPad('lessons');
		const pupil = cards[1]!;
		await ipad.findMyName(`${pupil.firstName} ${pupil.lastInitial}.`);
		await ipad.waitUntilSignedIn(pupil.firstName);
		const all = lessonsForYear(school.lessons.all, 4);
		// The fewest lessons that between them ask every kind of question.
		const chosen: Lesson[] = [];
		const kinds = new Set<string>();
		for (const lesson of all) {
			const adds = lesson.questions.some((q) => !kinds.has(q.type));
			if (!adds) continue;
			chosen.push(lesson);
			lesson.questions.forEach((q) => kinds.add(q.type));
		}
		expect([...kinds].sort()).toEqual(
			[
				'always-sometimes-never',
				'best-step',
				'branching',
				'choice',
				'hotspot',
				'how-sure',
				'order',
				'sort',
				'thumbs'
			].sort()
		);
		const screen = new LessonScreen(window.ui);
		for (const lesson of chosen) {
			await screen.open(lesson.id);
			await window.ui.expectAccessible();
			await screen.throughScenes(lesson);
			await screen.toTheEnd(lesson, 0, { checkAccess: true });
			await window.ui.expectAccessible();
			await window.ui.click('button', 'My lessons', { exact: true, within: 'lesson-end' });
			await window.ui.waitFor('heading', 'My lessons');
		}
		const until = Date.now() + 30_000;
		const stored = async () =>
			school.db
				.selectFrom('lesson_attempt')
				.select('lesson_id')
				.where('pupil_id', '=', pupil.pupilId)
				.execute();
		while ((await stored()).length < chosen.length && Date.now() < until)
			await new Promise((r) => setTimeout(r, 250));
		expect((await stored()).map((a) => a.lesson_id).sort()).toEqual(chosen.map((l) => l.id).sort());
		await ipad.finish();
	});

	it('brings a worry with a voice note live into the teacher’s inbox, and signs the teacher out cleanly', async () => {
		const staffWindow = await open();
		const staff = new StaffWindow(staffWindow.ui, server.url);
		await staff.signIn(demoStaff.year4.email, demoPassword);
		await staff.openFromMenu('Reports', '/staff/reports');
		const before = (await staff.reportRows()).length;

		const { window } = await classIPad('tell');
		const flow = new TellAdult(window.ui);
		await flow.start(
			"I'd rather not say",
			'Worried',
			'Someone I don’t know talked to me'.replace('’', "'")
		);
		await flow.record();
		await flow.send();
		expect(await flow.outcome()).toBe('delivered');

		// No reload: the row arrives by itself.
		await staffWindow.ui.waitUntil(
			"return document.querySelectorAll('[data-testid=report-row]').length === arguments[0]",
			20_000,
			before + 1
		);
		// Newest first below any urgent report pinned at the top (an earlier journey sent one).
		const newest = await staffWindow.ui.evaluate<string>(
			'return document.querySelector(\'[data-testid=report-row]:not([data-pinned="true"])\').innerText'
		);
		// Staff read it in their own words: "Someone they don't know talked to them".
		expect(newest).toMatch(/Someone they don.t know talked to them/);
		await staffWindow.ui.tap('[data-testid="report-row"]:not([data-pinned="true"]) a');
		await staffWindow.ui.waitFor('heading', /Someone they don.t know/, { level: 1 });
		await staffWindow.ui.expectAccessible();
		const audio = await staffWindow.ui.attribute('audio', 'src');
		expect(audio).toMatch(/^data:audio\/(mp4|webm);base64,/);
		await staffWindow.ui.click('button', 'Sign out', { exact: true });
		await staffWindow.ui.waitUntil("return location.pathname === '/signin'");
		await staffWindow.ui.waitFor('heading', /./, { level: 1 });
		await staffWindow.ui.expectAccessible();
	});

	it('takes a trip list, then with no signal unlocks it, checks a pupil and a group, and the checks reach school once', async () => {
		const window = await open('trip');
		const trip = new TripScreen(window.ui, server.url);
		await trip.open();
		await trip.signInFromHere(demoStaff.trip.email, demoPassword);
		await trip.takeList('Castle trip', ['Kestrels'], '482913');
		await window.ui.waitUntil('return navigator.serviceWorker.controller !== null', 60_000);
		await trip.lock();
		await window.ui.expectAccessible();

		// The coach leaves: no signal. The page is opened again from the iPad's own copy.
		await server.stop();
		await window.ui.goto(server.url + '/trip');
		await window.ui.waitForSelector('main.trip[data-ready="true"]');
		expect(await trip.state()).toBe('locked');
		await trip.unlockAndWait('482913');
		await window.ui.expectAccessible();
		await trip.chooseUse('Local or national press');
		const one = await trip.checkByName(
			cards[0]!.firstName,
			`${cards[0]!.firstName} ${cards[0]!.lastInitial}., Kestrels`
		);
		expect(['allowed', 'not-allowed', 'check']).toContain(one.answer);
		await window.ui.expectAccessible();
		await trip.done();
		// The same scanner as pupil sign-in, reading a card held up to the camera.
		await new ClassIPad(window.ui, server.url).showCard(cards[3]!.token, "Scan a pupil's card");
		const scanned = await trip.answer();
		expect(scanned.text).toContain(`${cards[3]!.firstName} ${cards[3]!.lastInitial}.`);
		await trip.done();
		await trip.groupMode();
		await trip.addByName(
			cards[1]!.firstName,
			`${cards[1]!.firstName} ${cards[1]!.lastInitial}., Kestrels`
		);
		await trip.addByName(
			cards[2]!.firstName,
			`${cards[2]!.firstName} ${cards[2]!.lastInitial}., Kestrels`
		);
		await window.ui.click('button', 'Check the group');
		await trip.answer();
		await window.ui.expectAccessible();
		await trip.done();
		// Requests refused while the server was down are the only errors allowed here.
		const refused = refusedConnection;
		expect(window.ui.takeConsoleErrors().filter((l) => !refused.test(l))).toEqual([]);

		// Back in reach: the three checks arrive, once.
		await server.restart();
		await window.ui.evaluate("window.dispatchEvent(new Event('online')); return true;");
		const admin = await actorFor(school, demoStaff.admin.email);
		const [list] = (await listTripDevices(school.db, admin.schoolId)).filter(
			(t) => t.groupName === 'Castle trip'
		);
		const until = Date.now() + 30_000;
		while (
			(await checksOfTrip(school.db, admin.schoolId, list!.deviceId)).length < 3 &&
			Date.now() < until
		)
			await new Promise((r) => setTimeout(r, 250));
		expect(await checksOfTrip(school.db, admin.schoolId, list!.deviceId)).toHaveLength(3);
		expect(window.ui.takeConsoleErrors().filter((l) => !refused.test(l))).toEqual([]);
	});

	it('takes a named group, refuses anyone else, and wipes the list after five wrong PINs', async () => {
		const window = await open('pond');
		const trip = new TripScreen(window.ui, server.url);
		await trip.open();
		await trip.signInFromHere(demoStaff.trip.email, demoPassword);
		await window.ui.click('checkbox', 'Kestrels', { exact: true });
		await window.ui.click('radio', 'Only some pupils (a named group)');
		for (const card of cards.slice(0, 2))
			await window.ui.click('checkbox', `${card.firstName} ${card.lastInitial}.`);
		await window.ui.waitUntil("return document.body.innerText.includes('2 pupils chosen.')");
		await window.ui.expectAccessible();
		await trip.takeList('Pond dipping', [], '482913');
		await trip.chooseUse('Local or national press');
		await trip.search(cards[2]!.firstName);
		await window.ui.waitUntil(
			'return document.body.innerText.includes(arguments[0])',
			undefined,
			`Nobody on this list matches “${cards[2]!.firstName}”.`
		);
		await trip.lock();
		for (const wrong of ['111112', '222223', '333334', '444445']) {
			await trip.wrongPin(wrong);
			expect(await trip.state()).toBe('locked');
		}
		expect(await window.ui.hasText('1 try left')).toBe(true);
		await window.ui.expectAccessible();
		await trip.wrongPin('555556');
		expect(await trip.state()).toBe('setup');
		expect(await trip.wipedNotice()).toContain('five wrong PINs');
		expect(await trip.dumpIndexedDb()).toContain('"lantern-device/trip":[]');
		await window.ui.expectAccessible();
	});

	it('ends the trip when staff say so: the list is wiped and school is told', async () => {
		const window = await open('end');
		const trip = new TripScreen(window.ui, server.url);
		await trip.open();
		await trip.signInFromHere(demoStaff.trip.email, demoPassword);
		await trip.takeList('Farm visit', ['Kestrels'], '482913');
		await window.ui.clickAndConfirm('button', 'End the trip');
		await trip.untilState('setup');
		expect(await trip.wipedNotice()).toContain('The trip was ended');
		expect(await trip.dumpIndexedDb()).toContain('"lantern-device/trip":[]');
		await window.ui.expectAccessible();
		// School hears of it: the list is closed on the trip lists page.
		const admin = await actorFor(school, demoStaff.admin.email);
		const farm = async () =>
			(await tripsOverview(school, admin)).find((t) => t.groupName === 'Farm visit')?.state;
		await expect.poll(farm, { timeout: 30_000 }).toBe('revoked');
	});
});
