// A class device's outbox, run in Node against the real production server: the same
// device-store and outbox code the iPad runs, over fake-indexeddb instead of Safari's.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outboxItems, saveIdentity } from '$lib/client/device-store';
import { drainOutbox, queueReport } from '$lib/client/outbox';
import type { ReportSubmission } from '$lib/domain/report';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoStaff } from '$lib/server/demo/demo-school';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import { createEnrolmentCode } from '$lib/server/services/device.service';
import { actorFor, classIdByName, openSchool } from './support/school';
import { startServer, type RunningServer } from './support/server';

describe('a class device’s outbox against the real server', () => {
	let server: RunningServer;
	let school: AppContext & { close(): Promise<void> };
	let teacher: StaffActor;
	let classId: string;
	let pupilIds: string[];
	let token: string;

	beforeAll(async () => {
		server = await startServer({ seed: 'demo' });
		school = await openSchool(server.dbFile);
		teacher = await actorFor(school, demoStaff.year4.email);
		classId = await classIdByName(school, teacher, 'Kestrels');
		pupilIds = (await listPupilsOfClass(school.db, teacher.schoolId, classId)).map((p) => p.id);
		const code = await createEnrolmentCode(school, teacher, {
			name: 'Test iPad',
			classIds: [classId]
		});
		if (!code.ok) throw new Error(code.error);
		const enrolled = await fetch(server.url + '/api/device/enrol', {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url },
			body: JSON.stringify({ code: code.qrText })
		});
		({ token } = (await enrolled.json()) as { token: string });
		await saveIdentity({ token, deviceId: 'test', enrolledAt: new Date().toISOString() });
	});
	afterAll(async () => {
		await school?.close();
		await server?.stop();
		server?.cleanUp();
	});
	beforeEach(async () => {
		// Each test starts with an empty outbox and knows the reports already stored.
		expect((await outboxItems()).length).toBe(0);
	});

	const storedIds = async (): Promise<string[]> =>
		(await school.db.selectFrom('report').select('id').execute()).map((r) => r.id);

	function worry(n: number): ReportSubmission {
		return {
			id: randomUUID(),
			createdAt: new Date().toISOString(),
			classId,
			pupilId: pupilIds[n % pupilIds.length]!,
			cardId: null,
			feeling: 'worried',
			topic: 'unkind',
			words: `Worry number ${n}`,
			drawing: null,
			voice: null,
			talkTo: null,
			lang: 'en'
		};
	}

	async function queue(count: number): Promise<string[]> {
		const ids: string[] = [];
		for (let n = 0; n < count; n++) {
			const body = worry(n);
			expect(await queueReport(body)).toEqual({ ok: true });
			ids.push(body.id);
		}
		return ids;
	}

	async function drainUntilEmpty(): Promise<void> {
		for (let round = 0; round < 20; round++) {
			const result = await drainOutbox({ origin: server.url, force: true });
			if (result.waiting === 0 && result.attention === 0) return;
		}
		throw new Error('The outbox never emptied');
	}

	it('loses nothing and duplicates nothing when the server is killed in the middle of a sync', async () => {
		const before = await storedIds();
		const ids = await queue(300);
		const draining = drainOutbox({ origin: server.url, force: true });
		// Kill the server once some (not all) reports have been stored.
		for (let i = 0; i < 500 && (await storedIds()).length - before.length < 40; i++)
			await new Promise((r) => setTimeout(r, 5));
		await server.kill();
		const interrupted = await draining;
		expect(interrupted.outcome).toBe('offline');
		expect(interrupted.waiting).toBeGreaterThan(0);
		// Everything not acknowledged is still on the device.
		const kept = (await outboxItems()).map((i) => i.id);
		const storedSoFar = new Set(await storedIds());
		expect(ids.every((id) => storedSoFar.has(id) || kept.includes(id))).toBe(true);

		await server.restart();
		await drainUntilEmpty();
		const after = await storedIds();
		expect(after.length - before.length).toBe(300);
		expect(new Set(after).size).toBe(after.length);
		expect(ids.every((id) => after.includes(id))).toBe(true);
	});

	it('delivers 1,000 reports queued offline once the server is back', async () => {
		const before = (await storedIds()).length;
		await server.stop();
		const ids = await queue(1000);
		const offline = await drainOutbox({ origin: server.url, force: true });
		expect(offline).toMatchObject({ outcome: 'offline', sent: 0, waiting: 1000 });
		await server.restart();
		const back = await drainOutbox({ origin: server.url, force: true });
		expect(back).toMatchObject({ outcome: 'done', sent: 1000, waiting: 0, attention: 0 });
		const after = await storedIds();
		expect(after.length - before).toBe(1000);
		expect(ids.every((id) => after.includes(id))).toBe(true);
	});

	it('keeps a refused item for staff and counts it, without sending it again and again', async () => {
		// A report reusing the id of one already stored, with other words: the server parks it (422).
		const stored = worry(1);
		expect(await queueReport(stored)).toEqual({ ok: true });
		await drainOutbox({ origin: server.url, force: true });
		const clash = { ...stored, words: 'Other words under the same id' };
		expect(await queueReport(clash)).toEqual({ ok: true });
		const first = await drainOutbox({ origin: server.url, force: true });
		expect(first).toMatchObject({ refused: 1, attention: 1, waiting: 0 });
		const second = await drainOutbox({ origin: server.url, force: true });
		expect(second).toMatchObject({ sent: 0, refused: 0, attention: 1 });
		const [kept] = await outboxItems();
		expect(kept).toMatchObject({ id: stored.id, status: 'attention' });
		expect(kept?.problem).toMatch(/^422/);
		const parked = await school.db.selectFrom('parked_submission').select('reason').execute();
		expect(parked.map((p) => p.reason)).toContain('id-reused');
		// Tidy up for the next test.
		const { deleteOutboxItem } = await import('$lib/client/device-store');
		await deleteOutboxItem(stored.id);
	});

	it('keeps retrying what a proxy or an older server turned away, instead of giving up', async () => {
		const body = worry(6);
		expect(await queueReport(body)).toEqual({ ok: true });
		// A reverse proxy that refuses the request (403, no "parked" answer) has not stored it.
		const proxy: typeof fetch = () => Promise.resolve(new Response('Forbidden', { status: 403 }));
		const refused = await drainOutbox({ origin: server.url, force: true, fetch: proxy });
		expect(refused).toMatchObject({ outcome: 'offline', waiting: 1, attention: 0 });
		const delivered = await drainOutbox({ origin: server.url, force: true });
		expect(delivered).toMatchObject({ sent: 1, waiting: 0 });
		expect(await storedIds()).toContain(body.id);
	});

	it('refuses drawings and voice notes that are too big before they are queued', async () => {
		const big = { ...worry(2), drawing: `data:image/png;base64,${'A'.repeat(400_004)}` };
		expect(await queueReport(big)).toEqual({ ok: false, reason: 'too-big' });
		const long = { ...worry(3), voice: { mime: 'audio/mp4', data: 'AAAA', seconds: 90 } };
		expect(await queueReport(long)).toEqual({ ok: false, reason: 'too-big' });
		expect(await outboxItems()).toEqual([]);
	});

	it('answers the report API the documented way over HTTP', async () => {
		const send = (body: unknown, bearer = token) =>
			fetch(server.url + '/api/device/reports', {
				method: 'POST',
				headers: {
					authorization: `Bearer ${bearer}`,
					'content-type': 'application/json',
					origin: server.url
				},
				body: typeof body === 'string' ? body : JSON.stringify(body)
			});
		const body = worry(4);
		const first = await send(body);
		expect(first.status).toBe(201);
		const replay = await send(body);
		expect(replay.status).toBe(200);
		expect(await replay.json()).toEqual(await first.json());
		expect((await send({ ...body, words: 'changed' })).status).toBe(422);
		expect((await send('{not json')).status).toBe(400);
		// A class the device no longer has is still a child's worry: stored, for the DSL.
		expect((await send({ ...body, id: randomUUID(), classId: randomUUID() })).status).toBe(201);
		expect((await send({ ...body, id: randomUUID(), topic: 'homework' })).status).toBe(400);
		expect((await send(worry(5), 'not-a-real-token')).status).toBe(401);
		// A device can send reports but never read one back.
		const read = await fetch(server.url + '/api/device/reports', {
			headers: { authorization: `Bearer ${token}` }
		});
		expect(read.status).toBe(405);
		const inbox = await fetch(server.url + '/staff/reports', {
			headers: { authorization: `Bearer ${token}` },
			redirect: 'manual'
		});
		expect(inbox.status).toBe(303);
		const stream = await fetch(server.url + '/api/staff/reports/stream', {
			headers: { authorization: `Bearer ${token}` }
		});
		expect(stream.status).toBe(401);
	});
});
