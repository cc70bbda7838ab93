import { json } from '@sveltejs/kit';
import { tripActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { tripContact } from '$lib/server/services/trip.service';
import { readJsonBody, refusal, smallJsonBytes } from '$lib/server/json-body';
import type { RequestHandler } from './$types';

/**
 * A trip device's contact: "is my list still open?" hooks.server.ts has already answered 401
 * `revoked` to a device that was revoked or whose trip is over; it then wipes itself.
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	const trip = tripActor(locals);
	const read = await readJsonBody(request, { maxBytes: smallJsonBytes });
	if (!read.ok) return refusal(read);
	const raw = read.value;
	const body = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
	const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
	await tripContact(app(), trip, {
		appVersion: typeof body.appVersion === 'string' ? body.appVersion.slice(0, 40) : 'unknown',
		queuedItems: count(body.queuedItems),
		parkedItems: count(body.parkedItems)
	});
	return json({ open: true }, { headers: { 'cache-control': 'no-store' } });
};
