import type { Lesson } from '$lib/domain/lesson';

/**
 * The lessons the server knows (English, without pictures): what attempts are checked against
 * and results are counted from. The app builds it from the lessons compiled into the build;
 * scripts and tests read the lessons/ folder (see `folderLibrary`).
 */
export interface LessonLibrary {
	readonly all: readonly Lesson[];
	get(id: string): Lesson | undefined;
}

export function libraryOf(lessons: readonly Lesson[]): LessonLibrary {
	const byId = new Map(lessons.map((l) => [l.id, l]));
	return { all: lessons, get: (id) => byId.get(id) };
}
