import { error } from '@sveltejs/kit';
import { loadLesson } from '$lib/client/lessons';
import type { PageLoad } from './$types';

/** The lesson comes from the build (the same chunk pupils' iPads load), in English or Welsh. */
export const load: PageLoad = async ({ params, url }) => {
	const lang = url.searchParams.get('lang') === 'cy' ? 'cy' : 'en';
	const lesson = await loadLesson(params.lessonId, lang);
	if (!lesson) error(404, 'There is no such lesson.');
	return { lesson };
};
