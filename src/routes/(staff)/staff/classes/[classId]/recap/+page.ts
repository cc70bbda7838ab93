import { loadLesson } from '$lib/client/lessons';
import type { Question } from '$lib/domain/lesson';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ data }) => {
	const questions: Question[] = [];
	for (const { lessonId, questionId } of data.picked) {
		const lesson = await loadLesson(lessonId, 'en');
		const q = lesson?.questions.find((x) => x.id === questionId);
		// Two lessons may use the same question id: keep them apart in the recap.
		if (q) questions.push({ ...q, id: `${lessonId}--${q.id}` });
	}
	return { ...data, questions };
};
