import { heartbeatSchema, rosterSchema, type Roster } from '$lib/domain/device';
import { forgetEvents, readIdentity, saveRoster, waitingEvents, wipeDevice } from './device-store';

export type RefreshOutcome = 'updated' | 'offline' | 'revoked' | 'not-enrolled' | 'refused';

/** Asks the server for this device's roster; a revoked device wipes itself. */
export async function refreshRoster(): Promise<RefreshOutcome> {
	const identity = await readIdentity();
	if (!identity) return 'not-enrolled';
	let response: Response;
	try {
		response = await fetch('/api/device/roster', {
			headers: { authorization: `Bearer ${identity.token}` }
		});
	} catch {
		return 'offline';
	}
	if (response.status === 401) {
		await wipeDevice();
		return 'revoked';
	}
	if (!response.ok) return response.status >= 500 ? 'offline' : 'refused';
	const roster = rosterSchema.safeParse(await response.json().catch(() => null));
	if (!roster.success) return 'refused';
	await saveRoster(roster.data);
	return 'updated';
}

export interface DeviceStatus {
	appVersion: string;
	queuedItems: number;
	parkedItems: number;
	storagePersisted: boolean | null;
	signedInPupilId: string | null;
}

/** Reports how this device is, with the scan events waiting; forgets them once acknowledged. */
export async function sendHeartbeat(status: DeviceStatus): Promise<RefreshOutcome> {
	const identity = await readIdentity();
	if (!identity) return 'not-enrolled';
	const events = (await waitingEvents()).slice(0, 500);
	const body = heartbeatSchema.safeParse({ ...status, events });
	if (!body.success) return 'refused';
	try {
		const response = await fetch('/api/device/heartbeat', {
			method: 'POST',
			headers: { authorization: `Bearer ${identity.token}`, 'content-type': 'application/json' },
			body: JSON.stringify(body.data)
		});
		if (response.status === 401) {
			await wipeDevice();
			return 'revoked';
		}
		if (!response.ok) return 'refused';
		await forgetEvents(events.map((e) => e.id));
		return 'updated';
	} catch {
		return 'offline';
	}
}

export type { Roster };
