import { json } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { tripClassChoices } from '$lib/server/services/trip.service';
import type { RequestHandler } from './$types';

/** The classes the signed-in member of staff may take a photo list of, for the trip screen. */
export const GET: RequestHandler = async ({ locals }) => {
	const actor = staffActor(locals);
	const ctx = app();
	return json(
		{
			name: actor.name,
			graceHours: ctx.config.trip.graceHours,
			classes: await tripClassChoices(ctx, actor)
		},
		{ headers: { 'cache-control': 'no-store' } }
	);
};
