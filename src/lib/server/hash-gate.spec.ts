import { afterEach, describe, expect, it } from 'vitest';
import {
	HashingBusy,
	hashingStats,
	resetHashingStats,
	setHashingLimits,
	withHashingSlot
} from './hash-gate';

function gate() {
	let open = () => {};
	const opened = new Promise<void>((resolve) => (open = resolve));
	return { opened, open };
}

describe('the cap on password hashing', () => {
	afterEach(() => setHashingLimits({ concurrency: 2, queue: 8 }));

	it('runs at most the cap at once, queues a few, refuses the rest at once', async () => {
		setHashingLimits({ concurrency: 2, queue: 3 });
		resetHashingStats();
		const g = gate();
		const order: number[] = [];
		const runs = Array.from({ length: 10 }, (_, i) =>
			withHashingSlot(
				async () => {
					order.push(i);
					await g.opened;
				},
				{ refuseWhenFull: true }
			).then(
				() => 'done',
				(e: unknown) => (e instanceof HashingBusy ? 'busy' : 'other')
			)
		);
		expect(hashingStats()).toMatchObject({ running: 2, waiting: 3, refused: 5 });
		g.open();
		const answers = await Promise.all(runs);
		expect(answers.filter((a) => a === 'done')).toHaveLength(5);
		expect(answers.filter((a) => a === 'busy')).toHaveLength(5);
		expect(hashingStats()).toMatchObject({ running: 0, waiting: 0, peak: 2, started: 5 });
		expect(order).toEqual([0, 1, 2, 3, 4]);
	});

	it('puts a known device at the front of the queue, and lets work that may wait wait', async () => {
		setHashingLimits({ concurrency: 1, queue: 1 });
		const g = gate();
		const order: string[] = [];
		const run = (name: string, turn = {}) =>
			withHashingSlot(async () => {
				order.push(name);
				await g.opened;
			}, turn);
		const all = [
			run('first'),
			run('stranger', { refuseWhenFull: true }),
			run('owner', { refuseWhenFull: true, priority: true }),
			run('admin adding staff')
		];
		g.open();
		await Promise.all(all);
		expect(order).toEqual(['first', 'owner', 'stranger', 'admin adding staff']);
	});
});
