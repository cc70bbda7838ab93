import { json } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { deviceActor } from '$lib/server/access';
import { submitAttempt } from '$lib/server/services/lesson.service';
import { readJsonBody, refusal, smallJsonBytes } from '$lib/server/json-body';
import type { RequestHandler } from './$types';

/**
 * A finished lesson from a class device's outbox. 201 the first time, 200 with the same
 * answer for a replay; 400 malformed, 403 a pupil of another class, 422 an unknown lesson,
 * answers that do not fit it or an id reused with another body. Nothing is stored then.
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	const device = deviceActor(locals);
	const read = await readJsonBody(request, { maxBytes: smallJsonBytes });
	if (!read.ok) return refusal(read);
	const result = await submitAttempt(app(), device, read.value);
	return json(result.body, { status: result.status });
};
