import { loadLesson } from '$lib/client/lessons';
import type { Question } from '$lib/domain/lesson';
import type { PageLoad } from './$types';

/**
 * The recap's questions come from the lessons in the build, in Welsh for a teacher using
 * Welsh wherever the lesson has it (KS1 lessons do), else in English.
 */
export const load: PageLoad = async ({ data, parent }) => {
	const { lang } = await parent();
	const language: 'en' | 'cy' = lang === 'cy' ? 'cy' : 'en';
	const questions: Question[] = [];
	for (const { lessonId, questionId } of data.picked) {
		const lesson = await loadLesson(lessonId, language);
		const q = lesson?.questions.find((x) => x.id === questionId);
		// Two lessons may use the same question id: keep them apart in the recap.
		if (q) questions.push({ ...q, id: `${lessonId}--${q.id}` });
	}
	return { ...data, questions, language };
};
