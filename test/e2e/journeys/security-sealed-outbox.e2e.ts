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
 * The attack: someone with the iPad (or a copy of its storage, or a script in its pages) reads
 * a worry that is still waiting to be sent. Each worry is told with the school out of reach;
 * then every IndexedDB store the page can open is read from page script, in both engines, and
 * the words, the drawing, the voice note and who it is from are not there. Back online, the
 * teacher gets the worry whole, and a second copy of the same sealed item is kept once.
 */
describe.each(engines)('a worry waiting on the iPad is sealed, in %s', (engine) => {
	let server: RunningServer;
	let school: AppContext & { close(): Promise<void> };
	let teacher: StaffActor;
	let window: BrowserWindow;
	let ipad: ClassIPad;
	let flow: TellAdult;
	const dir = mkdtempSync(join(tmpdir(), `lantern-sealed-${engine}-`));

	beforeAll(async () => {
		server = await startServer({ seed: 'demo' });
		school = await openSchool(server.dbFile);
		teacher = await actorFor(school, demoStaff.year4.email);
		const classId = await classIdByName(school, teacher, 'Kestrels');
		const code = await createEnrolmentCode(school, teacher, {
			name: 'Kestrels iPad',
			classIds: [classId]
		});
		if (!code.ok) throw new Error(code.error);
		window = await openWindow(engine, { profileDir: join(dir, 'kestrels') });
		ipad = new ClassIPad(window.ui, server.url);
		flow = new TellAdult(window.ui);
		await ipad.open();
		await ipad.enrolWithTypedCode(code.code);
		await ipad.untilReadyOffline();
	});
	afterEach(() => {
		// Only the refused connections of the time the school was out of reach.
		const refused =
			/ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED|Could not connect to (the server|localhost)|status of 503/;
		expect(window.ui.takeConsoleErrors().filter((line) => !refused.test(line))).toEqual([]);
	});
	afterAll(async () => {
		await window?.close();
		await school?.close();
		await server?.stop();
		server?.cleanUp();
		rmSync(dir, { recursive: true, force: true });
	});

	/**
	 * Every store of every IndexedDB database the page can open, as text: strings as they are,
	 * bytes (ArrayBuffer, typed arrays, Blobs) as Latin-1, so raw audio would show too.
	 */
	function everyStore(): Promise<Record<string, string>> {
		return window.ui.evaluate<Record<string, string>>(`return (async () => {
			const asText = async (value) => {
				if (value === null || value === undefined) return String(value);
				if (typeof value === 'string') return value;
				if (typeof value !== 'object') return String(value);
				if (value instanceof Blob) return asText(await value.arrayBuffer());
				if (value instanceof ArrayBuffer) value = new Uint8Array(value);
				if (ArrayBuffer.isView(value)) {
					const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
					let text = '';
					for (let i = 0; i < bytes.length; i += 0x8000)
						text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
					return text;
				}
				const parts = [];
				for (const [key, inner] of Object.entries(value)) parts.push(key + ':' + (await asText(inner)));
				return '{' + parts.join(',') + '}';
			};
			const request = (r) => new Promise((resolve, reject) => {
				r.onsuccess = () => resolve(r.result);
				r.onerror = () => reject(r.error);
			});
			const names = new Set(['lantern-device']);
			if (indexedDB.databases) for (const { name } of await indexedDB.databases()) names.add(name);
			const out = {};
			for (const name of names) {
				const db = await request(indexedDB.open(name));
				for (const store of db.objectStoreNames) {
					const tx = db.transaction(store);
					const [values, keys] = await Promise.all([
						request(tx.objectStore(store).getAll()),
						request(tx.objectStore(store).getAllKeys())
					]);
					out[name + '/' + store] = (await asText(keys)) + (await asText(values));
				}
				db.close();
			}
			return out;
		})();`);
	}

	/** A piece from the middle of a stored attachment, as base64 and as its raw bytes. */
	function samplesOf(base64: string): string[] {
		const from = Math.floor(base64.length / 2) & ~3;
		const piece = base64.slice(from, from + 64);
		return [piece, Buffer.from(piece, 'base64').toString('latin1')];
	}

	async function newestReport() {
		const report = await school.db
			.selectFrom('report')
			.selectAll()
			.orderBy('received_at', 'desc')
			.orderBy('id')
			.executeTakeFirstOrThrow();
		const attachments = await school.db
			.selectFrom('report_attachment')
			.selectAll()
			.where('report_id', '=', report.id)
			.execute();
		return { ...report, attachments };
	}

	async function reportCount() {
		const row = await school.db
			.selectFrom('report')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return Number(row.n);
	}

	const pupilId = (name: string) =>
		school.db
			.selectFrom('pupil')
			.select('id')
			.where('first_name', '=', name)
			.executeTakeFirstOrThrow()
			.then((p) => p.id);

	async function tellOffline(pupil: string, words: string, voice: boolean) {
		await ipad.findMyName(`${pupil} ${pupil === 'Elin' ? 'R.' : 'N.'}`);
		await ipad.waitUntilSignedIn(pupil);
		await server.stop();
		await flow.start(null, 'Scared', 'Someone asked me for pictures or private things');
		await flow.draw();
		if (voice) await flow.record();
		await flow.type(words);
		await flow.send();
		expect(await flow.outcome()).toBe('kept');
		await flow.close();
		await ipad.finish();
	}

	for (const voice of [false, true]) {
		it(`keeps words, a drawing${voice ? ' and a voice note' : ''} unreadable on the iPad, and delivers them whole`, async () => {
			const pupil = voice ? 'Arlo' : 'Elin';
			const words = `Please help ${voice ? 'with the voice' : 'me'}: someone wants my photos`;
			const before = await reportCount();
			await tellOffline(pupil, words, voice);

			const stored = await everyStore();
			const outbox = stored['lantern-device/outbox'] ?? '';
			const waiting = JSON.parse(await ipad.outbox()) as { id: string }[];
			expect(waiting).toHaveLength(1);
			// The store read is the outbox, holding this worry (by its id) and nothing else.
			expect(outbox).toContain(waiting[0]!.id);
			expect(outbox).toContain('sealed:{v:1');
			const everything = Object.values(stored).join('\n');
			expect(everything.includes(words), 'the words, in clear').toBe(false);
			expect(everything.includes('someone wants my photos'), 'part of the words').toBe(false);
			// Who it is from is not beside it (the roster names the class's pupils, as it must
			// to sign them in; nothing links a pupil to the worry).
			expect(outbox.includes(await pupilId(pupil)), 'the pupil id beside the worry').toBe(false);

			await server.restart();
			await ipad.untilOutboxSent();
			expect(await reportCount()).toBe(before + 1);
			const report = await newestReport();
			expect(report.id).toBe(waiting[0]!.id);
			expect(report.words).toBe(words);
			expect(report.pupil_id).toBe(await pupilId(pupil));
			expect(report.topic).toBe('pictures');
			const kinds = report.attachments.map((a) => a.kind).sort();
			expect(kinds).toEqual(voice ? ['drawing', 'voice'] : ['drawing']);
			const drawing = report.attachments.find((a) => a.kind === 'drawing')!;
			expect(drawing.data).toMatch(/^data:image\/png;base64,/);
			for (const sample of samplesOf(drawing.data.slice(drawing.data.indexOf(',') + 1)))
				expect(everything.includes(sample), 'the drawing').toBe(false);
			if (voice) {
				const note = report.attachments.find((a) => a.kind === 'voice')!;
				expect(note.mime).toMatch(/^audio\//);
				expect(Buffer.from(note.data, 'base64').length).toBeGreaterThan(500);
				expect(note.seconds).toBeGreaterThan(0);
				for (const sample of samplesOf(note.data))
					expect(everything.includes(sample), 'the voice note').toBe(false);
			}
		});
	}

	it('keeps the device token out of the page script’s reach: not in IndexedDB, not in document.cookie', async () => {
		const stored = await everyStore();
		const identity = stored['lantern-device/identity'] ?? '';
		// The device is set up (its id is kept) but holds no token of its own.
		expect(identity).toContain('deviceId:');
		expect(identity.includes('token:'), 'a token in IndexedDB').toBe(false);
		expect(await window.ui.evaluate<string>('return document.cookie')).not.toContain(
			'lantern_device'
		);
		// And yet the iPad still reaches school as itself: the browser sends the HttpOnly cookie.
		const status = await window.ui.evaluate<number>(
			"return fetch('/api/device/roster').then((r) => r.status)"
		);
		expect(status).toBe(200);
	});

	it('keeps a sealed worry once when the iPad sends it again (the answer was lost)', async () => {
		await tellOffline('Elin', 'Sent twice by the iPad, kept once', false);
		const kept = await ipad.outbox();
		const before = await reportCount();
		await server.restart();
		await ipad.untilOutboxSent();
		expect(await reportCount()).toBe(before + 1);
		await ipad.putBackInOutbox(kept);
		await ipad.untilOutboxSent();
		expect(await reportCount()).toBe(before + 1);
		expect((await newestReport()).words).toBe('Sent twice by the iPad, kept once');
		const parked = await school.db.selectFrom('parked_submission').select('id').execute();
		expect(parked).toEqual([]);
	});
});
