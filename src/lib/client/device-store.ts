import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import { deviceEventSchema, rosterSchema, type DeviceEvent, type Roster } from '$lib/domain/device';

/**
 * The one module that owns this device's IndexedDB: its identity (token), its roster and
 * the scan events waiting to be reported. Everything read back is checked with zod.
 */
const identitySchema = z.object({
	token: z.string().min(20),
	deviceId: z.string(),
	enrolledAt: z.string()
});
export type DeviceIdentity = z.output<typeof identitySchema>;

interface DeviceDb extends DBSchema {
	identity: { key: string; value: DeviceIdentity };
	roster: { key: string; value: Roster };
	events: { key: string; value: DeviceEvent };
}

const name = 'lantern-device';
let opening: Promise<IDBPDatabase<DeviceDb>> | undefined;

function database(): Promise<IDBPDatabase<DeviceDb>> {
	opening ??= openDB<DeviceDb>(name, 1, {
		upgrade(db, oldVersion) {
			if (oldVersion < 1) {
				db.createObjectStore('identity');
				db.createObjectStore('roster');
				db.createObjectStore('events', { keyPath: 'id' });
			}
		}
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

/** A revoked device goes back to its setup screen with nothing of the school left on it. */
export async function wipeDevice(): Promise<void> {
	const db = await database();
	const tx = db.transaction(['identity', 'roster', 'events'], 'readwrite');
	await Promise.all([
		tx.objectStore('identity').clear(),
		tx.objectStore('roster').clear(),
		tx.objectStore('events').clear(),
		tx.done
	]);
}
