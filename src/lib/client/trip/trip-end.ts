import type { TripEnd } from '$lib/domain/trip';
import { wipeTrip } from '../device-store';
import { readTrip } from './trip-record';
import { drainOutbox } from '../outbox';
import { queueTripEnd } from './trip-outbox';

/**
 * Ends the trip list on this device, if there is one: tells the server through the outbox (so
 * it hears even if the device is offline now), wipes the list, then tries to send at once.
 * Used by "End the trip" and by a staff sign-out on this device.
 */
export async function endTripHere(reason: TripEnd['reason'], origin = ''): Promise<void> {
	const record = await readTrip().catch(() => null);
	if (!record) return;
	await queueTripEnd(
		{ id: crypto.randomUUID(), endedAt: new Date().toISOString(), reason },
		record.token
	);
	await wipeTrip();
	await drainOutbox({ force: true, origin }).catch(() => null);
}
