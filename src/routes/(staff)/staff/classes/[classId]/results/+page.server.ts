import { error } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { classResults } from '$lib/server/services/lesson.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const outcome = await classResults(app(), staffActor(locals), params.classId);
	if (!outcome.ok)
		error(outcome.status, outcome.status === 403 ? 'Not your class.' : 'No such class.');
	return { results: outcome.results };
};
