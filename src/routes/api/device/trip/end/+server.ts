import { json } from '@sveltejs/kit';
import { tripActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { endTripFromDevice } from '$lib/server/services/trip.service';
import type { RequestHandler } from './$types';

/** "End the trip" on the device: the server closes its token too (the device has wiped itself). */
export const POST: RequestHandler = async ({ locals }) => {
	await endTripFromDevice(app(), tripActor(locals));
	return json({ ended: true });
};
