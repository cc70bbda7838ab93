import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoStaff } from '$lib/server/demo/demo-school';
import { createEnrolmentCode } from '$lib/server/services/device.service';
import { ClassIPad, TellAdult } from '../pages/ipad';
import { engines, openWindow, type BrowserWindow } from '../support/engines';
import { actorFor, classIdByName, openSchool } from '../support/school';
import { startServer, type RunningServer } from '../support/server';

/**
 * Every branch of "Tell an adult" a pupil can take, in both engines at an iPad's size: each
 * extra (draw, say, type, none) signed in and signed out, every topic's routing, Stop, a KS1
 * iPad, and a worry saved with the school out of reach. Each worry is then read back from the
 * server's database, as the teacher's inbox would show it.
 */
describe.each(engines)('Tell an adult, every branch, in %s', (engine) => {
	let server: RunningServer;
	let school: AppContext & { close(): Promise<void> };
	let teacher: StaffActor;
	let kestrels: string;
	let window: BrowserWindow;
	let ipad: ClassIPad;
	let flow: TellAdult;
	const dir = mkdtempSync(join(tmpdir(), `lantern-tell-${engine}-`));

	async function setUpIPad(className: string, profile: string, by = teacher) {
		const classId = await classIdByName(school, by, className);
		const code = await createEnrolmentCode(school, by, {
			name: `${className} iPad`,
			classIds: [classId]
		});
		if (!code.ok) throw new Error(code.error);
		const opened = await openWindow(engine, { profileDir: join(dir, profile) });
		const screen = new ClassIPad(opened.ui, server.url);
		await screen.open();
		await screen.enrolWithTypedCode(code.code);
		return { opened, screen };
	}

	/** The newest worry the server holds, with its classes and attachments. */
	async function newestReport() {
		const report = await school.db
			.selectFrom('report')
			.selectAll()
			.orderBy('received_at', 'desc')
			.orderBy('id')
			.executeTakeFirstOrThrow();
		const classes = await school.db
			.selectFrom('report_class')
			.select('class_id')
			.where('report_id', '=', report.id)
			.execute();
		const attachments = await school.db
			.selectFrom('report_attachment')
			.selectAll()
			.where('report_id', '=', report.id)
			.execute();
		return { ...report, classIds: classes.map((c) => c.class_id), attachments };
	}

	async function reportCount() {
		const row = await school.db
			.selectFrom('report')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return Number(row.n);
	}

	/** Sends and waits for the server to have one more worry than before. */
	async function sendAndStore(adult?: string) {
		const before = await reportCount();
		await flow.send(adult);
		expect(await flow.outcome()).toBe('delivered');
		expect(await reportCount()).toBe(before + 1);
		await flow.close();
		return newestReport();
	}

	beforeAll(async () => {
		server = await startServer({ seed: 'demo' });
		school = await openSchool(server.dbFile);
		teacher = await actorFor(school, demoStaff.year4.email);
		kestrels = await classIdByName(school, teacher, 'Kestrels');
		const made = await setUpIPad('Kestrels', 'kestrels');
		window = made.opened;
		ipad = made.screen;
		flow = new TellAdult(window.ui);
		await ipad.untilReadyOffline();
	});
	afterEach(() => {
		// Every page the pupil saw, in either engine, logged no error.
		expect(window.ui.takeConsoleErrors()).toEqual([]);
	});
	afterAll(async () => {
		await window?.close();
		await school?.close();
		await server?.stop();
		server?.cleanUp();
		rmSync(dir, { recursive: true, force: true });
	});

	/** What each engine logs when the server cannot be reached. */
	// Chromium also logs the service worker's calm "unreachable" answer (a 503) to the page.
	const refusedConnection =
		/ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED|Could not connect to (the server|localhost)|status of 503/;

	type Extra = 'draw' | 'say' | 'type' | 'none';
	const extras: Extra[] = ['draw', 'say', 'type', 'none'];
	const typed = 'Someone keeps messaging me in the game <b>at night</b>';

	async function addExtra(extra: Extra) {
		if (extra === 'draw') await flow.draw();
		if (extra === 'say') await flow.record();
		if (extra === 'type') await flow.type(typed);
	}

	function expectExtra(report: Awaited<ReturnType<typeof newestReport>>, extra: Extra) {
		const kinds = report.attachments.map((a) => a.kind).sort();
		expect(kinds).toEqual(extra === 'draw' ? ['drawing'] : extra === 'say' ? ['voice'] : []);
		expect(report.words).toBe(extra === 'type' ? typed : null);
		if (extra === 'say') {
			const voice = report.attachments[0]!;
			expect(voice.mime).toMatch(/^audio\//);
			// Real sound: more than a header's worth of bytes, and a length in seconds.
			expect(Buffer.from(voice.data, 'base64').length).toBeGreaterThan(500);
			expect(voice.seconds).toBeGreaterThan(0);
		}
		if (extra === 'draw') expect(report.attachments[0]!.data).toMatch(/^data:image\/png;base64,/);
	}

	for (const extra of extras) {
		it(`signed out, "I'd rather not say", with ${extra === 'none' ? 'nothing more' : `"${extra} it"`}: reaches the class`, async () => {
			await flow.start("I'd rather not say", 'Worried', 'Someone was unkind to me');
			await addExtra(extra);
			const report = await sendAndStore();
			expect(report.pupil_id).toBeNull();
			expect(report.topic).toBe('unkind');
			expect(report.audience).toBe('class');
			expect(report.classIds).toEqual([kestrels]);
			expectExtra(report, extra);
		});

		it(`signed in by Find my name, with ${extra === 'none' ? 'nothing more' : `"${extra} it"`}: says who it is from`, async () => {
			await ipad.findMyName('Elin R.');
			await ipad.waitUntilSignedIn('Elin');
			await flow.start(null, 'Sad', 'I saw something that upset me');
			await addExtra(extra);
			const report = await sendAndStore();
			const elin = await school.db
				.selectFrom('pupil')
				.select('id')
				.where('first_name', '=', 'Elin')
				.executeTakeFirstOrThrow();
			expect(report.pupil_id).toBe(elin.id);
			expect(report.feeling).toBe('sad');
			expectExtra(report, extra);
			await ipad.finish();
		});
	}

	it('keeps a drawing, a voice note and typed words together, for the adult the pupil chose', async () => {
		await ipad.findMyName('Arlo N.');
		await ipad.waitUntilSignedIn('Arlo');
		await flow.start(null, 'Scared', 'Someone asked me for pictures or private things');
		await flow.draw();
		await flow.record();
		await flow.type(typed);
		// Switching between them lost nothing: each is ticked.
		for (const done of ['Draw it ✓', 'Say it ✓', 'Type it ✓'])
			expect(await window.ui.count('button', done, { within: 'tell-flow' })).toBe(1);
		const report = await sendAndStore();
		expect(report.attachments.map((a) => a.kind).sort()).toEqual(['drawing', 'voice']);
		expect(report.words).toBe(typed);
		expect(report.topic).toBe('pictures');
		await ipad.finish();
	});

	const routing: { topic: string; id: string; audience: string; urgent: number }[] = [
		{ topic: 'Someone was unkind to me', id: 'unkind', audience: 'class', urgent: 0 },
		{ topic: 'I saw something that upset me', id: 'upsetting', audience: 'class', urgent: 0 },
		{ topic: "Someone I don't know talked to me", id: 'stranger', audience: 'class', urgent: 0 },
		{
			topic: 'Someone asked me for pictures or private things',
			id: 'pictures',
			audience: 'class',
			urgent: 0
		},
		{ topic: 'Something about a grown-up', id: 'grown-up', audience: 'dsl-only', urgent: 0 },
		{ topic: "I'm not safe right now", id: 'not-safe', audience: 'class', urgent: 1 },
		{ topic: 'Something else', id: 'something-else', audience: 'class', urgent: 0 }
	];
	it('routes every topic: a grown-up to the DSL alone, "not safe" urgent, the rest to the class', async () => {
		for (const route of routing) {
			await flow.start("I'd rather not say", 'Mixed up', route.topic);
			const report = await sendAndStore();
			expect({ topic: report.topic, audience: report.audience, urgent: report.urgent }).toEqual({
				topic: route.id,
				audience: route.audience,
				urgent: route.urgent
			});
		}
	});

	const languages = [
		{ code: 'en', dir: 'ltr' },
		{ code: 'cy', dir: 'ltr' },
		{ code: 'pl', dir: 'ltr' },
		{ code: 'ur', dir: 'rtl' }
	];
	it('goes through the whole flow in every pupil language, right to left in Urdu, with nothing off the screen', async () => {
		const wide = 'return document.documentElement.scrollWidth <= innerWidth';
		for (const { code, dir: direction } of languages) {
			await ipad.chooseLanguage(code);
			expect(await window.ui.evaluate('return document.documentElement.dir')).toBe(direction);
			// By the parts of the screen, not its words: the same taps in any language.
			await window.ui.tap('[data-testid="tell-button"]');
			await window.ui.waitForSelector('[data-testid="tell-flow"][data-step="who"]');
			expect(await window.ui.evaluate(wide)).toBe(true);
			await window.ui.expectAccessible();
			await window.ui.tap('[data-testid="tell-flow"] .choice.wide');
			await window.ui.waitForSelector('[data-step="feeling"]');
			await window.ui.tap('[data-step="feeling"] .choices .choice');
			await window.ui.waitForSelector('[data-step="topic"]');
			expect(await window.ui.evaluate(wide)).toBe(true);
			await window.ui.tap('[data-topic="stranger"]');
			await window.ui.waitForSelector('[data-step="more"]');
			expect(await window.ui.evaluate(wide)).toBe(true);
			await window.ui.expectAccessible();
			await window.ui.tap('[data-step="more"] .row.centred:last-child .primary');
			await window.ui.waitForSelector('[data-step="adult"]');
			const before = await reportCount();
			await window.ui.tap('[data-step="adult"] .send');
			expect(await flow.outcome()).toBe('delivered');
			expect(await window.ui.evaluate(wide)).toBe(true);
			expect(await reportCount()).toBe(before + 1);
			const report = await newestReport();
			expect({ lang: report.lang, topic: report.topic }).toEqual({ lang: code, topic: 'stranger' });
			await window.ui.tap('[data-testid="tell-flow"] .done .primary');
			await window.ui.waitUntil(
				"return document.querySelector('[data-testid=tell-flow]') === null"
			);
		}
		await ipad.chooseLanguage('en');
	});

	it('asks before "Stop" throws a worry away, and keeps going when the pupil says no', async () => {
		const before = await reportCount();
		await flow.start("I'd rather not say", 'Angry', 'Something else');
		await flow.type('I want to say this');
		await flow.tap('Stop');
		await window.ui.waitFor('button', 'No, keep going');
		await window.ui.expectAccessible();
		await flow.tap('No, keep going');
		// Still here, with what was typed.
		await flow.step('Tell us more');
		expect(await window.ui.count('button', 'Type it ✓', { within: 'tell-flow' })).toBe(1);
		await flow.tap('Stop');
		await flow.tap('Yes, stop');
		await window.ui.waitUntil("return document.querySelector('[data-testid=tell-flow]') === null");
		expect(await reportCount()).toBe(before);
		// With nothing chosen yet, Stop just closes.
		await flow.open();
		await flow.step('Who are you?');
		await flow.tap('Stop');
		await window.ui.waitUntil("return document.querySelector('[data-testid=tell-flow]') === null");
	});

	it('offers a KS1 pupil drawing and speaking, and says so', async () => {
		const year1 = await actorFor(school, demoStaff.year1.email);
		const hedgehogs = await setUpIPad('Hedgehogs', 'hedgehogs', year1);
		try {
			const ks1 = new TellAdult(hedgehogs.opened.ui);
			await ks1.start("I'd rather not say", 'Sad', 'Someone was unkind to me');
			expect(await hedgehogs.opened.ui.count('button', 'Type it', { within: 'tell-flow' })).toBe(0);
			const words = await hedgehogs.opened.ui.textOf('tell-flow');
			expect(words).toContain('You can draw it or say it.');
			expect(words).not.toContain('type');
			expect(hedgehogs.opened.ui.takeConsoleErrors()).toEqual([]);
		} finally {
			await hedgehogs.opened.close();
		}
	});

	it('with the school out of reach, says the worry is kept on the iPad, then delivers it exactly once', async () => {
		await server.stop();
		await flow.start("I'd rather not say", 'Worried', 'Someone was unkind to me');
		await flow.record();
		await flow.send();
		expect(await flow.outcome()).toBe('kept');
		const words = await window.ui.textOf('tell-flow');
		expect(words).toContain('kept safe on this iPad');
		expect(words).toContain('If you need help now, go and find a grown-up');
		expect(words).not.toContain('A grown-up will come and talk to you soon');
		await flow.close();
		const before = await reportCount();
		const kept = await ipad.outbox();
		expect(JSON.parse(kept)).toHaveLength(1);
		// While the server was down, the only errors are the refused connections.
		expect(window.ui.takeConsoleErrors().filter((line) => !refusedConnection.test(line))).toEqual(
			[]
		);

		await server.restart();
		await ipad.untilOutboxSent();
		expect(await reportCount()).toBe(before + 1);
		const report = await newestReport();
		expect(report.attachments.map((a) => a.kind)).toEqual(['voice']);
		// The server's answer is lost on the way, so the iPad sends the same worry again: the
		// server keeps it once, and the iPad lets it go.
		await ipad.putBackInOutbox(kept);
		await ipad.untilOutboxSent();
		expect(await reportCount()).toBe(before + 1);
	});
});
