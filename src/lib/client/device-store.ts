import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import { deviceEventSchema, rosterSchema, type DeviceEvent, type Roster } from '$lib/domain/device';
import { freshPictureLock, type PictureLock } from '$lib/domain/picture-password';
import { answerSchema } from '$lib/domain/attempt';
import type { TripCheck } from '$lib/domain/trip';

/**
 * The one module that owns this device's IndexedDB: its identity, its roster and
 * the scan events waiting to be reported. Everything read back is checked with zod.
 */
const identitySchema = z.object({
	/**
	 * Only on a device set up before the token moved to an HttpOnly cookie (see
	 * server/cookies.ts): it is dropped once the device has shown the cookie works.
	 */
	token: z.string().min(20).optional(),
	deviceId: z.string(),
	enrolledAt: z.string()
});
export type DeviceIdentity = z.output<typeof identitySchema>;

interface DeviceDb extends DBSchema {
	identity: { key: string; value: DeviceIdentity };
	roster: { key: string; value: Roster };
	events: { key: string; value: DeviceEvent };
	/** Picture-password tries, by pupil id. */
	locks: { key: string; value: PictureLock };
	/** Work made on this device and not yet acknowledged by the server. */
	outbox: { key: string; value: OutboxItem };
	/** A lesson a pupil has started and not finished, by `pupilId:lessonId`. */
	progress: { key: string; value: LessonProgress };
	/** Lessons finished on this device, by `pupilId:lessonId` (the roster adds other devices'). */
	finished: { key: string; value: { pupilId: string; lessonId: string; at: number } };
	/** A trip device's photo list: sealed under the trip PIN, with what it needs while locked. */
	trip: { key: string; value: TripRecord };
	/** The checks made on this trip (ids and answers, no names), kept until the list is wiped. */
	tripLog: { key: string; value: TripCheck };
}

/** What a trip device keeps: see client/trip/trip-record.ts, which checks it when read. */
export type TripRecord = import('./trip/trip-record').TripRecord;

const progressSchema = z.object({
	pupilId: z.string(),
	lessonId: z.string(),
	version: z.string(),
	language: z.string(),
	/** The step reached: scenes first, then questions. */
	step: z.number().int().min(0),
	answers: z.array(answerSchema),
	startedAt: z.string(),
	savedAt: z.number()
});
export type LessonProgress = z.output<typeof progressSchema>;

/**
 * An outbox item's wrapper. The body is checked when it is queued (`queueReport`), not when
 * it is read back: a worry queued by an older version of the app must still be sent (and
 * parked by the server if it no longer fits), never hidden because today's rules differ.
 */
const outboxItemSchema = z.object({
	id: z.string().min(1),
	kind: z.enum(['report', 'attempt', 'trip-check', 'trip-end']),
	body: z.unknown(),
	/** A trip device's own token, for items it queued (a class device uses its identity). */
	token: z.string().optional(),
	queuedAt: z.number(),
	attempts: z.number().int().min(0),
	nextTryAt: z.number(),
	/** 'attention': the server refused it (4xx); kept, counted for staff, not resent by itself. */
	status: z.enum(['waiting', 'attention']),
	problem: z.string().nullable()
});
export type OutboxItem = z.output<typeof outboxItemSchema>;
const lockSchema = z.object({
	failures: z.number().int().min(0),
	lockedAt: z.string().nullable(),
	forHash: z.string().optional()
});

const name = 'lantern-device';
let opening: Promise<IDBPDatabase<DeviceDb>> | undefined;

function database(): Promise<IDBPDatabase<DeviceDb>> {
	opening ??= openDB<DeviceDb>(name, 5, {
		upgrade(db, oldVersion) {
			if (oldVersion < 1) {
				db.createObjectStore('identity');
				db.createObjectStore('roster');
				db.createObjectStore('events', { keyPath: 'id' });
			}
			if (oldVersion < 2) db.createObjectStore('locks');
			if (oldVersion < 3) db.createObjectStore('outbox', { keyPath: 'id' });
			if (oldVersion < 4) {
				db.createObjectStore('progress');
				db.createObjectStore('finished');
			}
			if (oldVersion < 5) {
				db.createObjectStore('trip');
				db.createObjectStore('tripLog', { keyPath: 'id' });
			}
		}
	}).catch((error: unknown) => {
		// Let the next call try again (storage may come back), rather than keep a failed open.
		opening = undefined;
		throw error;
	});
	return opening;
}

export async function readIdentity(): Promise<DeviceIdentity | null> {
	const value = await (await database()).get('identity', 'device');
	const parsed = identitySchema.safeParse(value);
	return parsed.success ? parsed.data : null;
}

export async function saveIdentity(identity: DeviceIdentity): Promise<void> {
	await (await database()).put('identity', identity, 'device');
}

export async function readRoster(): Promise<Roster | null> {
	const parsed = rosterSchema.safeParse(await (await database()).get('roster', 'roster'));
	return parsed.success ? parsed.data : null;
}

export async function saveRoster(roster: Roster): Promise<void> {
	await (await database()).put('roster', roster, 'roster');
}

export async function queueEvent(event: DeviceEvent): Promise<void> {
	await (await database()).put('events', event);
}

export async function waitingEvents(): Promise<DeviceEvent[]> {
	const all = await (await database()).getAll('events');
	return all.flatMap((e) => {
		const parsed = deviceEventSchema.safeParse(e);
		return parsed.success ? [parsed.data] : [];
	});
}

/** Forgets events only once the server has acknowledged them. */
export async function forgetEvents(ids: readonly string[]): Promise<void> {
	const tx = (await database()).transaction('events', 'readwrite');
	await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
}

export async function readLock(pupilId: string): Promise<PictureLock> {
	const parsed = lockSchema.safeParse(await (await database()).get('locks', pupilId));
	return parsed.success ? parsed.data : freshPictureLock;
}

export async function saveLock(pupilId: string, lock: PictureLock): Promise<void> {
	await (await database()).put('locks', lock, pupilId);
}

/** Puts one item in the outbox; throws when the device cannot store it (full or blocked). */
export async function putOutboxItem(item: OutboxItem): Promise<void> {
	await (await database()).put('outbox', outboxItemSchema.parse(item));
}

/** Every item in the outbox, oldest first; anything unreadable is left where it is. */
export async function outboxItems(): Promise<OutboxItem[]> {
	const all: unknown[] = await (await database()).getAll('outbox');
	return all
		.flatMap((item): OutboxItem[] => {
			const parsed = outboxItemSchema.safeParse(item);
			if (parsed.success) return [parsed.data];
			// Unreadable, but never dropped: counted as needing attention for staff to see.
			const id = (item as { id?: unknown } | null)?.id;
			return typeof id === 'string'
				? [
						{
							id,
							kind: 'report',
							body: item,
							queuedAt: 0,
							attempts: 0,
							nextTryAt: 0,
							status: 'attention',
							problem: 'unreadable on this device'
						}
					]
				: [];
		})
		.sort((a, b) => a.queuedAt - b.queuedAt);
}

/**
 * Where an item stands: still waiting to be sent, refused by the server (kept for staff), or
 * gone, because the server has acknowledged it.
 */
export async function outboxStatus(id: string): Promise<'waiting' | 'attention' | 'gone'> {
	const item = (await (await database()).get('outbox', id)) as { status?: unknown } | undefined;
	if (item === undefined) return 'gone';
	return item.status === 'attention' ? 'attention' : 'waiting';
}

/** Forgets one item: only ever called once the server has acknowledged it. */
export async function deleteOutboxItem(id: string): Promise<void> {
	await (await database()).delete('outbox', id);
}

export async function outboxCounts(): Promise<{ waiting: number; attention: number }> {
	const items = await outboxItems();
	const attention = items.filter((i) => i.status === 'attention').length;
	return { waiting: items.length - attention, attention };
}

/**
 * A revoked device goes back to its setup screen with nothing of the school left on it —
 * except its outbox: a pupil's worry not yet delivered is never thrown away. It is sent once
 * the device is set up again (and parked for staff if its class is not the new one's).
 */
export async function wipeDevice(): Promise<void> {
	const db = await database();
	const stores = ['identity', 'roster', 'events', 'locks', 'progress', 'finished'] as const;
	const tx = db.transaction(stores, 'readwrite');
	await Promise.all([...stores.map((store) => tx.objectStore(store).clear()), tx.done]);
}

const progressKey = (pupilId: string, lessonId: string) => `${pupilId}:${lessonId}`;

/** Where a pupil got to in a lesson; read only for the pupil signed in. */
export async function readProgress(
	pupilId: string,
	lessonId: string
): Promise<LessonProgress | null> {
	const parsed = progressSchema.safeParse(
		await (await database()).get('progress', progressKey(pupilId, lessonId))
	);
	return parsed.success ? parsed.data : null;
}

export async function saveProgress(progress: LessonProgress): Promise<void> {
	await (
		await database()
	).put('progress', progress, progressKey(progress.pupilId, progress.lessonId));
}

/** The lessons a pupil has started here and not finished. */
export async function startedLessons(pupilId: string): Promise<string[]> {
	const range = IDBKeyRange.bound(`${pupilId}:`, `${pupilId}:\uffff`);
	const keys = await (await database()).getAllKeys('progress', range);
	return keys.map((k) => k.slice(pupilId.length + 1));
}

/** A finished lesson: its progress is forgotten and it is counted as finished on this device. */
export async function markFinished(pupilId: string, lessonId: string, at: number): Promise<void> {
	const tx = (await database()).transaction(['progress', 'finished'], 'readwrite');
	await Promise.all([
		tx.objectStore('progress').delete(progressKey(pupilId, lessonId)),
		tx.objectStore('finished').put({ pupilId, lessonId, at }, progressKey(pupilId, lessonId)),
		tx.done
	]);
}

export async function finishedHere(pupilId: string): Promise<string[]> {
	const range = IDBKeyRange.bound(`${pupilId}:`, `${pupilId}:\uffff`);
	const rows = await (await database()).getAll('finished', range);
	return rows.map((r) => r.lessonId);
}

/** The trip record as stored (client/trip/trip-record.ts reads and checks it). */
export async function readTripRecord(): Promise<unknown> {
	return (await database()).get('trip', 'trip');
}

export async function saveTripRecord(trip: TripRecord): Promise<void> {
	await (await database()).put('trip', trip, 'trip');
}

/**
 * Forgets the trip list and its log. The outbox keeps any check not yet sent (with the
 * trip's token), so the school's record of what was checked is never lost.
 */
export async function wipeTrip(): Promise<void> {
	const tx = (await database()).transaction(['trip', 'tripLog'], 'readwrite');
	await Promise.all([tx.objectStore('trip').clear(), tx.objectStore('tripLog').clear(), tx.done]);
}

export async function logTripCheck(check: TripCheck): Promise<void> {
	await (await database()).put('tripLog', check);
}

/** This trip's checks as stored (read and checked by client/trip/trip-device.svelte.ts). */
export async function tripCheckRecords(): Promise<unknown[]> {
	return (await database()).getAll('tripLog');
}
