import { afterEach, describe, expect, it } from 'vitest';
import type { ReportSubmission } from '$lib/domain/report';
import { outboxItems, outboxStatus, wipeDevice } from './device-store';
import { queueReport } from './outbox';

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
