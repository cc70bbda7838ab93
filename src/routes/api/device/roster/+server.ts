import { json } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { deviceActor } from '$lib/server/access';
import { rosterFor } from '$lib/server/services/device.service';
import type { RequestHandler } from './$types';

/** The device's classes, pupils and live cards (hashes only), for signing in offline. */
export const GET: RequestHandler = async ({ locals }) => {
	const roster = await rosterFor(app(), deviceActor(locals));
	return json(roster, { headers: { 'cache-control': 'no-store' } });
};
