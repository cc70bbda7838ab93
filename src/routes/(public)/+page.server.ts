import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { isFirstRunDone } from '$lib/server/services/setup.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	if (!(await isFirstRunDone(app()))) redirect(303, '/setup');
};
