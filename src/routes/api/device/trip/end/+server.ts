import { json } from '@sveltejs/kit';
import { tripActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { endTripFromDevice } from '$lib/server/services/trip.service';
import { readJsonBody, smallJsonBytes } from '$lib/server/json-body';
import type { RequestHandler } from './$types';

/**
 * "End the trip" (or a staff sign-out) on the device, sent through its outbox: the server
 * closes the token too. Saying it again, or after a revoke, changes nothing.
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	// Ending is idempotent and needs nothing from the body but the item's id (a bounded read).
	const read = await readJsonBody(request, { maxBytes: smallJsonBytes });
	const body = read.ok ? read.value : null;
	const id = (body as { id?: unknown } | null)?.id;
	await endTripFromDevice(app(), tripActor(locals));
	return json({ id: typeof id === 'string' ? id : null, ended: true });
};
