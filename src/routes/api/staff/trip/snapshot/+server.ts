import { json } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { tripSnapshot } from '$lib/server/services/consent.service';
import type { RequestHandler } from './$types';

/**
 * A photo-check snapshot for a trip's classes (audited). The device that asks becomes a trip
 * device with its own token, and seals the snapshot under the trip PIN.
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	const body: unknown = await request.json().catch(() => null);
	const result = await tripSnapshot(app(), staffActor(locals), body);
	if (!result.ok) return json({ error: result.error }, { status: result.status });
	return json(result.download, { status: 201, headers: { 'cache-control': 'no-store' } });
};
