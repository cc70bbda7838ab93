import { catalogue, loaders, type LessonSummary } from 'virtual:lantern-lessons';
import type { Lesson, LessonLanguage } from '$lib/domain/lesson';
import type { Language } from '$lib/i18n/languages';

/**
 * The lessons built into the app. This module and each lesson load only when needed (a pupil
 * signs in, a teacher presents), and every one of them is in the offline cache.
 */
export { catalogue, type LessonSummary };

/** The lessons for a year group in their order; without a year, those of the key stage. */
export function lessonsFor(yearGroup: number | null, keyStage: string): LessonSummary[] {
	return catalogue
		.filter((l) => (yearGroup === null ? l.keyStage === keyStage : l.years.includes(yearGroup)))
		.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

/** The language a lesson is shown in: the screen's, where the lesson has it, else English. */
export function lessonLanguage(summary: LessonSummary, screen: Language): LessonLanguage {
	return (summary.languages as string[]).includes(screen) ? (screen as LessonLanguage) : 'en';
}

export function titleOf(summary: LessonSummary, screen: Language): string {
	return summary.titles[lessonLanguage(summary, screen)] ?? summary.titles.en ?? summary.id;
}

export async function loadLesson(id: string, lang: LessonLanguage): Promise<Lesson | null> {
	const forLesson = loaders[id];
	const load = forLesson?.[lang] ?? forLesson?.en;
	return load ? (await load()).default : null;
}
