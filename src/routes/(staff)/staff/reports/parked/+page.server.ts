import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { parkedForDsl } from '$lib/server/services/report.service';
import type { PageServerLoad } from './$types';

// What class devices sent that could not be stored as it was: the DSL reads it here.
export const load: PageServerLoad = async ({ locals }) => ({
	parked: await parkedForDsl(app(), staffActor(locals))
});
