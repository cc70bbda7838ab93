import { fail } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import { revokeTrip, tripsOverview } from '$lib/server/services/trip.service';
import type { Actions, PageServerLoad } from './$types';

/** Every trip snapshot taken (the audit of downloads), and the revoke button. */
export const load: PageServerLoad = async ({ locals }) => ({
	trips: await tripsOverview(app(), staffActor(locals))
});

export const actions: Actions = {
	revoke: async ({ request, locals }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const result = await revokeTrip(app(), staffActor(locals), field(form, 'deviceId'));
		return result.ok ? { done: 'consent.trips.revoked' } : fail(400, { error: result.error });
	}
};
