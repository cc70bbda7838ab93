import { resolve } from 'node:path';
import { describeProblems, readLessonFolder } from './lesson-folder';
import { libraryOf, type LessonLibrary } from './library';

/** The lessons/ folder read directly, for scripts and tests that run without a build. */
export function folderLibrary(
	dir = process.env.LANTERN_LESSONS_DIR ?? resolve('lessons')
): LessonLibrary {
	const folder = readLessonFolder(dir);
	if (folder.problems.length > 0)
		throw new Error(`Some lesson files need fixing:\n${describeProblems(folder.problems)}`);
	return libraryOf(
		folder.lessons.map((l) => ({ ...l.english, language: 'en' as const, version: l.version }))
	);
}
