/**
 * Rate limits for sign-in, as token buckets: each holds up to a minute's worth of tries and
 * fills again steadily. Pure: the server keeps the buckets (in memory, per process) and
 * passes the time in.
 *
 * With back-off (per address): a try refused while the bucket is empty, or while an earlier
 * refusal's wait runs, doubles the wait, up to a cap. Someone who waits as asked gets in; a
 * script that keeps hammering keeps itself out. The global bucket has no back-off, so nobody
 * can stretch a wait that everyone shares.
 */
export interface Bucket {
	tokens: number;
	/** Milliseconds since the epoch when `tokens` was counted. */
	at: number;
	/** Refusals in a row. */
	refusals: number;
	/** No try before this time (ms); 0 when none is set. */
	blockedUntil: number;
}

export interface BucketRule {
	/** Tries a minute; also the most that may come at once. */
	perMinute: number;
	backOff: boolean;
	/** The longest back-off wait, in milliseconds. */
	maxWaitMs: number;
}

export type Take = { ok: true; bucket: Bucket } | { ok: false; bucket: Bucket; waitMs: number };

export function fullBucket(rule: BucketRule, now: number): Bucket {
	return { tokens: rule.perMinute, at: now, refusals: 0, blockedUntil: 0 };
}

/** The bucket as it is at `now`, after filling for the time that has passed. */
export function refill(bucket: Bucket, now: number, rule: BucketRule): Bucket {
	const elapsed = Math.max(0, now - bucket.at);
	const tokens = Math.min(rule.perMinute, bucket.tokens + (elapsed * rule.perMinute) / 60_000);
	return { ...bucket, tokens, at: Math.max(now, bucket.at) };
}

/** One try: take a token, or be refused with how long to wait. */
export function take(previous: Bucket | undefined, now: number, rule: BucketRule): Take {
	const bucket = refill(previous ?? fullBucket(rule, now), now, rule);
	const blocked = bucket.blockedUntil > now;
	if (!blocked && bucket.tokens >= 1) {
		return { ok: true, bucket: { ...bucket, tokens: bucket.tokens - 1, refusals: 0 } };
	}
	const untilToken = Math.ceil(((1 - bucket.tokens) * 60_000) / rule.perMinute);
	const refusals = bucket.refusals + 1;
	if (!rule.backOff) {
		return { ok: false, bucket: { ...bucket, refusals }, waitMs: Math.max(1, untilToken) };
	}
	const base = Math.max(1_000, untilToken);
	const waitMs = Math.min(rule.maxWaitMs, base * 2 ** Math.min(refusals - 1, 20));
	return {
		ok: false,
		bucket: { ...bucket, refusals, blockedUntil: now + waitMs },
		waitMs
	};
}

/** Whether a bucket has nothing to remember (full and not blocked), so it may be dropped. */
export function isIdle(bucket: Bucket, now: number, rule: BucketRule): boolean {
	const filled = refill(bucket, now, rule);
	return filled.tokens >= rule.perMinute && filled.blockedUntil <= now;
}

/** Whole seconds for a Retry-After header: at least one. */
export function retryAfterSeconds(waitMs: number): number {
	return Math.max(1, Math.ceil(waitMs / 1000));
}
