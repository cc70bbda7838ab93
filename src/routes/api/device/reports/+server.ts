import { json } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { deviceActor } from '$lib/server/access';
import { receiveReport } from '$lib/server/services/report.service';
import type { RequestHandler } from './$types';

/**
 * A pupil's worry from a class device's outbox. 201 the first time, 200 with the same answer
 * for a replay, 422 for an id reused with another body, 400 for a malformed one: both kept
 * for staff. 413 for a body too big to read, 429 when this device has had too much refused
 * today (the device keeps the item and tries later). Only devices reach this; no device can
 * read a report back.
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	const result = await receiveReport(app(), deviceActor(locals), request);
	return json(result.body, { status: result.status });
};
