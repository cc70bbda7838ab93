import { json } from '@sveltejs/kit';
import { tripActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { recordTripCheck } from '$lib/server/services/trip.service';
import { readJsonBody, refusal, smallJsonBytes } from '$lib/server/json-body';
import type { RequestHandler } from './$types';

/**
 * A photo check from a trip device's outbox. 201 the first time, 200 with the same answer for a
 * replay; 400 malformed, 403 a pupil not on the trip or a check made after the list closed, 422
 * an unknown use or an id reused with another body. Nothing is stored then.
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	const trip = tripActor(locals);
	const read = await readJsonBody(request, { maxBytes: smallJsonBytes });
	if (!read.ok) return refusal(read);
	const result = await recordTripCheck(app(), trip, read.value);
	return json(result.body, { status: result.status });
};
