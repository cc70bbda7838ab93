import { error } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { recapFor } from '$lib/server/services/lesson.service';
import type { PageServerLoad } from './$types';

/** Which questions to recap; the questions themselves (with pictures) come from the build. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const outcome = await recapFor(app(), staffActor(locals), params.classId);
	if (!outcome.ok)
		error(outcome.status, outcome.status === 403 ? 'Not your class.' : 'No such class.');
	return {
		classId: params.classId,
		className: outcome.className,
		picked: outcome.questions.map((q) => ({ lessonId: q.lessonId, questionId: q.question.id }))
	};
};
