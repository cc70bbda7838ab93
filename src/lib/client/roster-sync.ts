import { heartbeatSchema, rosterSchema, type Roster } from '$lib/domain/device';
import {
	forgetEvents,
	readIdentity,
	saveIdentity,
	saveRoster,
	waitingEvents,
	wipeDevice,
	type DeviceIdentity
} from './device-store';

export type RefreshOutcome = 'updated' | 'offline' | 'revoked' | 'not-enrolled' | 'refused';

/** Asks the server for this device's roster; a revoked device wipes itself. */
export async function refreshRoster(): Promise<RefreshOutcome> {
	const identity = await readIdentity();
	if (!identity) return 'not-enrolled';
	let response: Response;
	try {
		response = await fetch('/api/device/roster', { headers: deviceHeaders(identity) });
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
	if (identity.token !== undefined) await adoptCookie(identity);
	return 'updated';
}

/**
 * What proves this device: its HttpOnly cookie, which the browser sends by itself; only a
 * device set up before the cookie still sends the token it keeps.
 */
export function deviceHeaders(identity: DeviceIdentity): Record<string, string> {
	return identity.token === undefined ? {} : { authorization: `Bearer ${identity.token}` };
}

/**
 * A device set up before the cookie: the server has just set the cookie with the roster.
 * Once a request without the token is accepted, the token leaves IndexedDB, where the page's
 * script could read it. If the cookie did not take, nothing changes (and nothing is wiped).
 */
async function adoptCookie(identity: DeviceIdentity): Promise<void> {
	try {
		const response = await fetch('/api/device/roster', { method: 'HEAD' });
		if (!response.ok) return;
		const { token: _kept, ...rest } = identity;
		void _kept;
		await saveIdentity(rest);
	} catch {
		// Offline again: try at the next roster.
	}
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
			headers: { ...deviceHeaders(identity), 'content-type': 'application/json' },
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
