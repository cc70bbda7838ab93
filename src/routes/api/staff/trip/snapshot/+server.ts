import { json } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { tripSnapshot } from '$lib/server/services/consent.service';
import type { RequestHandler } from './$types';

/** A photo-check snapshot for a trip's classes (audited); the device seals it under the trip PIN. */
export const POST: RequestHandler = async ({ locals, request }) => {
	const body: unknown = await request.json().catch(() => null);
	const result = await tripSnapshot(app(), staffActor(locals), body);
	if (!result.ok) return json({ error: result.error }, { status: result.status });
	return json(result.snapshot, { headers: { 'cache-control': 'no-store' } });
};
