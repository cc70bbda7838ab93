import { error } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { resultsCsv } from '$lib/server/services/lesson.service';
import type { RequestHandler } from './$types';

/** The class's lesson results as CSV (every export is audited). */
export const GET: RequestHandler = async ({ locals, params }) => {
	const outcome = await resultsCsv(app(), staffActor(locals), params.classId);
	if (!outcome.ok)
		error(outcome.status, outcome.status === 403 ? 'Not your class.' : 'No such class.');
	return new Response(outcome.csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${outcome.filename}"`,
			'cache-control': 'no-store'
		}
	});
};
