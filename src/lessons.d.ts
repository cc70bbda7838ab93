// Modules made from the lessons/ folder at build time (src/lib/server/lessons/vite-plugin.ts).

declare module 'virtual:lantern-lessons' {
	import type { LessonLanguage, Strand } from '$lib/domain/lesson';
	export interface LessonSummary {
		id: string;
		version: string;
		keyStage: 'KS1' | 'KS2';
		years: number[];
		order: number;
		strands: Strand[];
		questions: number;
		titles: Partial<Record<LessonLanguage, string>>;
		languages: LessonLanguage[];
	}
	export const catalogue: LessonSummary[];
	export const loaders: Record<
		string,
		Partial<Record<LessonLanguage, () => Promise<{ default: import('$lib/domain/lesson').Lesson }>>>
	>;
}

declare module 'virtual:lantern-lessons/all' {
	const lessons: import('$lib/domain/lesson').Lesson[];
	export default lessons;
}
