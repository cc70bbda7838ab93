/**
 * `npm run lessons:check`: reads every lesson as the build does and prints what needs fixing,
 * then the house rules the content tests apply (KS1 reading level, phrases to avoid) and
 * which strands each key stage covers. Exits 1 when anything needs fixing.
 */
import { resolve } from 'node:path';
import { strands } from '../src/lib/domain/lesson';
import {
	avoidedPhrasesIn,
	ks1ReadingProblems,
	pupilTexts,
	readability
} from '../src/lib/domain/lesson-words';
import { describeProblems, readLessonFolder } from '../src/lib/server/lessons/lesson-folder';

const folder = readLessonFolder(resolve(process.argv[2] ?? 'lessons'));
let failed = folder.problems.length > 0;
if (failed) console.log(`Files that need fixing:\n${describeProblems(folder.problems)}\n`);

for (const source of folder.lessons) {
	for (const [lang, lesson] of Object.entries(source.languages)) {
		const file = `lessons/${source.id}/${lang === 'en' ? 'lesson.yaml' : `lesson.${lang}.yaml`}`;
		const r = readability(pupilTexts(lesson));
		const reading = lesson.keyStage === 'KS1' && lang === 'en' ? ks1ReadingProblems(lesson) : [];
		const phrases = lang === 'en' ? avoidedPhrasesIn(lesson) : [];
		const flag = reading.length + phrases.length > 0 ? '✗' : '✓';
		console.log(
			`${flag} ${file}: ${lesson.questions.length} questions, ${r.averageSentenceWords.toFixed(1)} words a sentence (longest ${r.longestSentenceWords}), ${r.averageWordLetters.toFixed(2)} letters a word`
		);
		for (const p of reading) console.log(`    reading: ${p}`);
		for (const p of phrases) console.log(`    avoid "${p.phrase}" (${p.why}) in: ${p.text}`);
		if (reading.length + phrases.length > 0) failed = true;
	}
}

for (const stage of ['KS1', 'KS2'] as const) {
	const covered = new Set(
		folder.lessons.filter((l) => l.english.keyStage === stage).flatMap((l) => l.english.strands)
	);
	const missing = strands.filter((s) => !covered.has(s));
	console.log(
		`${stage}: ${folder.lessons.filter((l) => l.english.keyStage === stage).length} lessons; strands missing: ${missing.join(', ') || 'none'}`
	);
}
process.exit(failed ? 1 : 0);
