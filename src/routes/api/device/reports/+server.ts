import { json } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { deviceActor } from '$lib/server/access';
import { submitReport } from '$lib/server/services/report.service';
import type { RequestHandler } from './$types';

/**
 * A pupil's worry from a class device's outbox. 201 the first time, 200 with the same answer
 * for a replay, 422 for an id reused with another body, 400 for a malformed one: both kept
 * for staff. Only devices reach this; no device can read a report back.
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	const device = deviceActor(locals);
	const body: unknown = await request.json().catch(() => undefined);
	const result = await submitReport(app(), device, body === undefined ? null : body);
	return json(result.body, { status: result.status });
};
