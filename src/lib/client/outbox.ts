import { attemptSchema, type Attempt } from '$lib/domain/attempt';
import { reportSubmissionSchema, tooBigToSend, type ReportSubmission } from '$lib/domain/report';
import { looksSealed, sealItem } from '$lib/shared/sealed-outbox';
import {
	deleteOutboxItem,
	outboxItems,
	putOutboxItem,
	readIdentity,
	readRoster,
	type OutboxItem
} from './device-store';
import { deviceHeaders } from './roster-sync';

/**
 * The device's outbox: every pupil's worry is saved here first, with a UUID made on the
 * device, and sent by `drainOutbox` until the server acknowledges it. Nothing is deleted
 * before that; a refusal (4xx) keeps the item and marks it for staff.
 */

export type QueueResult = { ok: true } | { ok: false; reason: 'too-big' | 'invalid' | 'storage' };

export async function queueReport(body: ReportSubmission, now = Date.now()): Promise<QueueResult> {
	if (tooBigToSend(body)) return { ok: false, reason: 'too-big' };
	// What the server will take, checked before anything is saved.
	if (!reportSubmissionSchema.safeParse(body).success) return { ok: false, reason: 'invalid' };
	return queue('report', body.id, (await sealed(body.id, body)) ?? body, now);
}

/**
 * A worry sealed to the school's public key (see $lib/shared/sealed-outbox.ts), so that only
 * the server can read it: not the storage, not a script in the page, not this device. Null
 * when the device has no key yet (set up by an older version and not yet back in touch):
 * the worry is then kept as before, in clear, and sealed once the key arrives
 * (`sealWaitingReports`). A device with no Web Crypto keeps it in clear rather than lose it.
 */
async function sealed(id: string, body: unknown): Promise<unknown> {
	try {
		const [identity, roster] = await Promise.all([readIdentity(), readRoster()]);
		if (!identity || !roster?.sealKey) return null;
		return await sealItem(JSON.parse(JSON.stringify(body)) as unknown, {
			id,
			deviceId: identity.deviceId,
			key: roster.sealKey
		});
	} catch {
		return null;
	}
}

/** Seals the worries still waiting in clear, once the school's key has arrived. */
async function sealWaitingReports(items: OutboxItem[]): Promise<OutboxItem[]> {
	return Promise.all(
		items.map(async (item) => {
			if (item.kind !== 'report' || item.status !== 'waiting' || looksSealed(item.body))
				return item;
			const body = await sealed(item.id, item.body);
			if (body === null) return item;
			const now = { ...item, body };
			await putOutboxItem(now).catch(() => undefined);
			return now;
		})
	);
}

/** A finished lesson, queued like a worry: kept until the server has it. */
export async function queueAttempt(body: Attempt, now = Date.now()): Promise<QueueResult> {
	if (!attemptSchema.safeParse(body).success) return { ok: false, reason: 'invalid' };
	return queue('attempt', body.id, body, now);
}

/**
 * Puts one item in the outbox; `token` is a trip device's own (see client/trip/trip-outbox.ts,
 * kept apart so the pupil start screen does not carry the trip code).
 */
export async function queue(
	kind: OutboxItem['kind'],
	id: string,
	body: unknown,
	now: number,
	token?: string
): Promise<QueueResult> {
	try {
		await putOutboxItem({
			id,
			kind,
			// Plain data, as it will travel: a component's reactive proxy (a voice note held in
			// `$state`) cannot be stored in IndexedDB, and a worry must never be lost for that.
			body: JSON.parse(JSON.stringify(body)) as unknown,
			...(token === undefined ? {} : { token }),
			queuedAt: now,
			attempts: 0,
			nextTryAt: now,
			status: 'waiting',
			problem: null
		});
		return { ok: true };
	} catch {
		// Storage full, blocked or gone: the pupil is told to find an adult.
		return { ok: false, reason: 'storage' };
	}
}

const endpoints: Record<OutboxItem['kind'], string> = {
	report: '/api/device/reports',
	attempt: '/api/device/attempts',
	'trip-check': '/api/device/trip/checks',
	'trip-end': '/api/device/trip/end'
};

/** Seconds to wait after the n-th failed try: 2, 4, 8 … up to 5 minutes. */
export function backoffMs(attempts: number): number {
	return Math.min(300_000, 1000 * 2 ** Math.min(attempts, 9));
}

export interface DrainOptions {
	/** Where the server is: '' in the browser, an http://127.0.0.1:port origin in tests. */
	origin?: string;
	fetch?: typeof fetch;
	now?: () => number;
	/** Requests in flight at once (a browser allows six to one server). */
	concurrency?: number;
	/** Ignore back-off (the user pressed "try again", or the network just came back). */
	force?: boolean;
}

export interface DrainResult {
	sent: number;
	refused: number;
	waiting: number;
	attention: number;
	outcome: 'done' | 'offline' | 'revoked' | 'not-enrolled';
}

let running: Promise<DrainResult> | null = null;

/** Sends what is waiting. Calls made while a drain runs share it, so nothing is sent twice at once. */
export function drainOutbox(options: DrainOptions = {}): Promise<DrainResult> {
	running ??= drain(options).finally(() => (running = null));
	return running;
}

async function drain(options: DrainOptions): Promise<DrainResult> {
	const send = options.fetch ?? fetch;
	const now = options.now ?? Date.now;
	const identity = await readIdentity();
	const items = await sealWaitingReports(await outboxItems());
	const count = (list: OutboxItem[]) => ({
		waiting: list.filter((i) => i.status === 'waiting').length,
		attention: list.filter((i) => i.status === 'attention').length
	});
	// A trip device's checks carry their own token; everything else needs this device's identity
	// (its HttpOnly cookie, which the browser sends by itself, or an older device's token).
	const credentialsOf = (item: OutboxItem): Record<string, string> | null =>
		item.token !== undefined
			? { authorization: `Bearer ${item.token}` }
			: identity
				? deviceHeaders(identity)
				: null;
	const due = items.filter(
		(i) =>
			i.status === 'waiting' &&
			credentialsOf(i) !== null &&
			(options.force === true || i.nextTryAt <= now())
	);
	if (!identity && due.length === 0)
		return { sent: 0, refused: 0, ...count(items), outcome: 'not-enrolled' };
	let sent = 0;
	let refused = 0;
	let stopped: DrainResult['outcome'] | null = null;
	const queue = [...due];

	const worker = async () => {
		for (let item = queue.shift(); item && !stopped; item = queue.shift()) {
			let response: Response;
			try {
				response = await send(`${options.origin ?? ''}${endpoints[item.kind]}`, {
					method: 'POST',
					headers: { ...credentialsOf(item), 'content-type': 'application/json' },
					body: JSON.stringify(item.body)
				});
			} catch {
				stopped = 'offline';
				await retryLater(item, now());
				return;
			}
			if (response.ok) {
				// Only the server's own answer naming this item counts as stored: a Wi-Fi sign-in
				// page or a proxy can answer 200 too, and then nothing reached the school.
				const answer = (await response.json().catch(() => null)) as { id?: unknown } | null;
				if (answer?.id !== item.id) {
					stopped = 'offline';
					await retryLater(item, now());
					return;
				}
				await deleteOutboxItem(item.id);
				sent++;
			} else if (response.status === 401 && item.token === undefined) {
				// This device's token is refused; keep everything for when it is set up again.
				stopped = 'revoked';
			} else {
				const answer = (await response.json().catch(() => null)) as {
					error?: unknown;
					parked?: unknown;
					id?: unknown;
				} | null;
				// A worry the server refused is parked there for the DSL; a lesson result it refused
				// (an unknown lesson, answers that do not fit) is only kept here. Either way it is
				// counted for staff and not resent by itself.
				// A trip check refused by the server (401: its trip is unknown there) is kept the same way.
				const final =
					item.kind === 'report'
						? (response.status === 400 || response.status === 422) && answer?.parked === true
						: [400, 401, 403, 404, 422].includes(response.status);
				if (final) {
					// The server keeps a refused worry whole (`parked`, naming this item) for the DSL
					// to read: then this device lets its copy of the content go, keeping only the
					// item's id and the reason, so staff still see that something needs attention.
					const keptThere =
						item.kind === 'report' && answer?.parked === true && answer.id === item.id;
					await putOutboxItem({
						...item,
						...(keptThere ? { body: null } : {}),
						status: 'attention',
						attempts: item.attempts + 1,
						problem:
							`${response.status} ${typeof answer?.error === 'string' ? answer.error : ''}`.trim()
					});
					refused++;
				} else {
					// Anything else (a server restarting, a proxy refusing, an older version during
					// an update) did not store the report: try again later.
					stopped = 'offline';
					await retryLater(item, now());
				}
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 6) }, worker));
	return { sent, refused, ...count(await outboxItems()), outcome: stopped ?? 'done' };
}

async function retryLater(item: OutboxItem, now: number): Promise<void> {
	await putOutboxItem({
		...item,
		attempts: item.attempts + 1,
		nextTryAt: now + backoffMs(item.attempts + 1)
	});
}
