import { tripCheckSchema, tripEndSchema, type TripCheck, type TripEnd } from '$lib/domain/trip';
import { queue, type QueueResult } from '../outbox';

/** A photo check from a trip device, sent with that trip's own token. */
export async function queueTripCheck(
	body: TripCheck,
	token: string,
	now = Date.now()
): Promise<QueueResult> {
	if (!tripCheckSchema.safeParse(body).success) return { ok: false, reason: 'invalid' };
	return queue('trip-check', body.id, body, now, token);
}

/** A trip ended (or its member of staff signed out) on this device: the server closes it too. */
export async function queueTripEnd(
	body: TripEnd,
	token: string,
	now = Date.now()
): Promise<QueueResult> {
	if (!tripEndSchema.safeParse(body).success) return { ok: false, reason: 'invalid' };
	return queue('trip-end', body.id, body, now, token);
}
