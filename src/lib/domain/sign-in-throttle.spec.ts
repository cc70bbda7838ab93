import { describe, expect, it } from 'vitest';
import { fullBucket, isIdle, retryAfterSeconds, take, type Bucket } from './sign-in-throttle';

const perAddress = { perMinute: 6, backOff: true, maxWaitMs: 15 * 60_000 };
const global = { perMinute: 6, backOff: false, maxWaitMs: 60_000 };

function drain(rule: typeof perAddress, at: number): Bucket {
	let bucket: Bucket | undefined;
	for (let i = 0; i < rule.perMinute; i++) {
		const t = take(bucket, at, rule);
		expect(t.ok).toBe(true);
		bucket = t.bucket;
	}
	return bucket!;
}

describe('sign-in rate limits (token buckets)', () => {
	it('allows a minute’s worth at once, then refuses until a token is back', () => {
		const bucket = drain(perAddress, 0);
		const refused = take(bucket, 0, perAddress);
		expect(refused).toMatchObject({ ok: false, waitMs: 10_000 });
		// A client that waits as asked gets in.
		expect(take(refused.bucket, 10_000, perAddress).ok).toBe(true);
	});

	it('doubles the wait for a client that keeps trying, up to the cap', () => {
		let bucket = drain(perAddress, 0);
		const waits: number[] = [];
		for (let i = 0; i < 12; i++) {
			const t = take(bucket, 0, perAddress);
			if (t.ok) throw new Error('should be refused');
			waits.push(t.waitMs / 1000);
			bucket = t.bucket;
		}
		expect(waits).toEqual([10, 20, 40, 80, 160, 320, 640, 900, 900, 900, 900, 900]);
	});

	it('never stretches the shared global wait', () => {
		let bucket = drain(global, 0);
		for (let i = 0; i < 5; i++) {
			const t = take(bucket, 0, global);
			expect(t).toMatchObject({ ok: false, waitMs: 10_000 });
			bucket = t.bucket;
		}
	});

	it('knows when a bucket may be forgotten', () => {
		const bucket = drain(perAddress, 0);
		expect(isIdle(bucket, 30_000, perAddress)).toBe(false);
		expect(isIdle(bucket, 60_000, perAddress)).toBe(true);
		expect(isIdle(fullBucket(perAddress, 0), 0, perAddress)).toBe(true);
	});

	it('gives Retry-After in whole seconds, at least one', () => {
		expect(retryAfterSeconds(1)).toBe(1);
		expect(retryAfterSeconds(1500)).toBe(2);
		expect(retryAfterSeconds(60_000)).toBe(60);
	});
});
