import { json } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { tripSnapshot } from '$lib/server/services/consent.service';
import { readJsonBody, refusal, smallJsonBytes } from '$lib/server/json-body';
import type { RequestHandler } from './$types';

/**
 * A photo-check snapshot for a trip's classes (audited). The device that asks becomes a trip
 * device with its own token, and seals the snapshot under the trip PIN.
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	const read = await readJsonBody(request, { maxBytes: smallJsonBytes });
	if (!read.ok) return refusal(read);
	const result = await tripSnapshot(app(), staffActor(locals), read.value);
	if (!result.ok) return json({ error: result.error }, { status: result.status });
	return json(result.download, { status: 201, headers: { 'cache-control': 'no-store' } });
};
