import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { classesFor } from '$lib/server/services/class.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	classes: await classesFor(app(), staffActor(locals))
});
