import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Roster } from '$lib/domain/device';
import type { ReportSubmission } from '$lib/domain/report';
import {
	openSealed,
	sealKeySchema,
	sealedBodySchema,
	type SealKey
} from '$lib/shared/sealed-outbox';
import {
	deleteOutboxItem,
	outboxItems,
	outboxStatus,
	saveIdentity,
	saveRoster,
	wipeDevice
} from './device-store';
import { drainOutbox, queueReport } from './outbox';

/** A voice note held the way a component holds state: behind a Proxy, as Svelte's `$state` does. */
function asReactiveState<T extends object>(value: T): T {
	return new Proxy(value, {});
}

const worry = (): ReportSubmission => ({
	id: crypto.randomUUID(),
	createdAt: new Date().toISOString(),
	classId: crypto.randomUUID(),
	pupilId: null,
	cardId: null,
	feeling: 'worried',
	topic: 'unkind',
	words: null,
	drawing: null,
	voice: asReactiveState({ mime: 'audio/mp4', data: 'AAAAGGZ0eXBtcDQy', seconds: 3 }),
	talkTo: null,
	lang: 'en'
});

describe('the outbox', () => {
	afterEach(async () => {
		await wipeDevice();
		for (const item of await outboxItems()) expect(item).toBeDefined();
	});

	it('keeps a worry whose voice note is reactive state, as plain data (one was lost every time)', async () => {
		const report = worry();
		expect(await queueReport(report)).toEqual({ ok: true });
		const [stored] = (await outboxItems()).filter((i) => i.id === report.id);
		expect(stored?.body).toMatchObject({ voice: { mime: 'audio/mp4', seconds: 3 } });
		expect(await outboxStatus(report.id)).toBe('waiting');
	});

	it('says an item is gone once nothing of it is left', async () => {
		expect(await outboxStatus(crypto.randomUUID())).toBe('gone');
	});
});

describe('the outbox, sealed', () => {
	const ecdh = { name: 'ECDH', namedCurve: 'P-256' } as const;
	const deviceId = 'device-1';

	async function schoolKey(): Promise<{ key: SealKey; privateKey: CryptoKey }> {
		const pair = await crypto.subtle.generateKey(ecdh, true, ['deriveBits']);
		const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
		return { key: sealKeySchema.parse({ kid: 'k1', jwk }), privateKey: pair.privateKey };
	}

	const roster = (sealKey: SealKey | null): Roster => ({
		device: { id: deviceId, name: 'Test iPad' },
		classes: [],
		picturePasswords: [],
		pupils: [],
		finished: [],
		cards: [],
		adults: [],
		pupilIdle: { ks1Minutes: 5, ks2Minutes: 10 },
		sealKey,
		fetchedAt: new Date().toISOString()
	});

	const told = (): ReportSubmission => ({
		...worry(),
		pupilId: crypto.randomUUID(),
		words: 'Someone keeps messaging me at night',
		voice: { mime: 'audio/mp4', data: 'AAAAGGZ0eXBtcDQyAAAAAG1wNDI=', seconds: 3 }
	});

	afterEach(wipeDevice);
	beforeEach(async () => {
		for (const item of await outboxItems()) await deleteOutboxItem(item.id);
	});

	it('stores a worry sealed to the school’s key: nothing of it in clear, and only the server opens it', async () => {
		const { key, privateKey } = await schoolKey();
		await saveIdentity({ token: 't'.repeat(32), deviceId, enrolledAt: new Date().toISOString() });
		await saveRoster(roster(key));
		const report = told();
		expect(await queueReport(report)).toEqual({ ok: true });
		const stored = (await outboxItems()).find((i) => i.id === report.id);
		const text = JSON.stringify(stored);
		for (const secret of [report.words!, report.pupilId!, report.voice!.data, report.classId])
			expect(text).not.toContain(secret);
		expect(stored).toMatchObject({ id: report.id, kind: 'report', status: 'waiting' });
		const body = sealedBodySchema.parse(stored?.body);
		expect(await openSealed(body, deviceId, privateKey)).toEqual(report);
	});

	it('keeps a worry told before the key arrived, and seals it before it is sent', async () => {
		await saveIdentity({ token: 't'.repeat(32), deviceId, enrolledAt: new Date().toISOString() });
		await saveRoster(roster(null));
		const report = told();
		expect(await queueReport(report)).toEqual({ ok: true });
		expect(JSON.stringify(await outboxItems())).toContain(report.words!);
		const { key, privateKey } = await schoolKey();
		await saveRoster(roster(key));
		let sent: unknown = null;
		const server: typeof fetch = (_url, init) => {
			sent = JSON.parse(init?.body as string);
			return Promise.reject(new TypeError('offline'));
		};
		expect(await drainOutbox({ fetch: server, force: true })).toMatchObject({ outcome: 'offline' });
		expect(JSON.stringify(await outboxItems())).not.toContain(report.words!);
		expect(await openSealed(sealedBodySchema.parse(sent), deviceId, privateKey)).toEqual(report);
	});

	it('lets a refused worry’s content go only once the server says it has kept its own copy', async () => {
		const { key } = await schoolKey();
		await saveIdentity({ token: 't'.repeat(32), deviceId, enrolledAt: new Date().toISOString() });
		await saveRoster(roster(key));
		const kept = told();
		const parked = told();
		await queueReport(kept);
		await queueReport(parked);
		// An answer that does not name the item (an older server, a proxy) is no confirmation.
		const server: typeof fetch = (_url, init) => {
			const id = (JSON.parse(init?.body as string) as { id: string }).id;
			const answer =
				id === parked.id
					? { error: 'A different report already has this id.', parked: true, id }
					: { error: 'The report was not in the expected shape.', parked: true };
			return Promise.resolve(Response.json(answer, { status: id === parked.id ? 422 : 400 }));
		};
		expect(await drainOutbox({ fetch: server, force: true })).toMatchObject({
			refused: 2,
			attention: 2
		});
		const items = await outboxItems();
		const stub = items.find((i) => i.id === parked.id);
		expect(stub).toMatchObject({ status: 'attention', body: null });
		expect(stub?.problem).toMatch(/^422/);
		expect(await outboxStatus(parked.id)).toBe('attention');
		expect(items.find((i) => i.id === kept.id)?.body).toMatchObject({ id: kept.id, sealed: {} });
	});
});
