import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLessonFolder } from '$lib/server/lessons/lesson-folder';
import { questionTypes, strands } from './lesson';
import {
	avoidedPhrasesIn,
	ks1Limits,
	ks1ReadingProblems,
	readability,
	pupilTexts
} from './lesson-words';

/**
 * The content rules, over the whole lessons/ folder (the one the build uses). They are the
 * house rules of lessons/README.md and the pitfalls of the lesson map, as tests.
 */
const folder = readLessonFolder(resolve(process.env.LANTERN_LESSONS_DIR ?? 'lessons'));
const lessons = folder.lessons.map((l) => l.english);
const ks1 = lessons.filter((l) => l.keyStage === 'KS1');
const ks2 = lessons.filter((l) => l.keyStage === 'KS2');
const full = !process.env.LANTERN_LESSONS_DIR;

describe('the lessons folder', () => {
	it('has no file that needs fixing', () => {
		expect(folder.problems).toEqual([]);
	});

	it.runIf(full)('has the 12 KS1 and 16 KS2 lessons of the map, and a KS2 copyright lesson', () => {
		const ids = lessons.map((l) => l.id);
		for (let n = 1; n <= 12; n++)
			expect(
				ids.some((id) => id.startsWith(`k${n}-`)),
				`K${n}`
			).toBe(true);
		for (let n = 1; n <= 8; n++) {
			expect(
				ids.some((id) => id.startsWith(`l${n}-`)),
				`L${n}`
			).toBe(true);
			expect(
				ids.some((id) => id.startsWith(`u${n}-`)),
				`U${n}`
			).toBe(true);
		}
		expect(ks1.length).toBeGreaterThanOrEqual(12);
		expect(ks2.length).toBeGreaterThanOrEqual(16);
		expect(ks2.some((l) => l.strands[0] === 'CO')).toBe(true);
	});

	it.runIf(full).each(['KS1', 'KS2'])('covers every strand in %s', (stage) => {
		const covered = new Set(lessons.filter((l) => l.keyStage === stage).flatMap((l) => l.strands));
		expect(strands.filter((s) => !covered.has(s))).toEqual([]);
		// And the questions check them: every strand is asked about, not only named.
		const asked = new Set(
			lessons.filter((l) => l.keyStage === stage).flatMap((l) => l.questions.map((q) => q.strand))
		);
		expect(strands.filter((s) => !asked.has(s))).toEqual([]);
	});

	it.runIf(full)('uses every question type', () => {
		const used = new Set(lessons.flatMap((l) => l.questions.map((q) => q.type)));
		expect(questionTypes.filter((t) => !used.has(t))).toEqual([]);
	});

	it.runIf(full)('has every KS1 lesson in Welsh too', () => {
		const missing = folder.lessons.filter((l) => l.english.keyStage === 'KS1' && !l.languages.cy);
		expect(missing.map((l) => l.id)).toEqual([]);
	});
});

describe.each(lessons.map((l) => [l.id, l] as const))('%s', (_, lesson) => {
	it('has a key message, outcomes, teacher notes with a disclosure plan, and 3 or more questions', () => {
		expect(lesson.keyMessage.length).toBeGreaterThan(10);
		expect(lesson.outcomes.length).toBeGreaterThan(0);
		expect(lesson.teacherNotes.before.length).toBeGreaterThan(40);
		expect(lesson.teacherNotes.disclosure.length).toBeGreaterThan(60);
		expect(lesson.questions.length).toBeGreaterThanOrEqual(3);
	});

	it('gives feedback for every option, item, step and place', () => {
		for (const q of lesson.questions) {
			const feedback =
				q.type === 'choice' || q.type === 'best-step'
					? q.options.map((o) => o.feedback)
					: q.type === 'sort' || q.type === 'always-sometimes-never'
						? q.items.map((i) => i.feedback)
						: q.type === 'order'
							? q.steps.map((s) => s.feedback)
							: q.type === 'hotspot'
								? q.spots.map((s) => s.feedback)
								: q.type === 'thumbs'
									? [q.feedback.up, q.feedback.down]
									: q.type === 'how-sure'
										? Object.values(q.feedback)
										: q.nodes.map((n) => n.text);
			for (const f of feedback) expect(f.trim().length, `${q.id}`).toBeGreaterThan(3);
		}
	});

	it('avoids the phrases the map warns against', () => {
		expect(avoidedPhrasesIn(lesson)).toEqual([]);
	});
});

describe.each(ks1.map((l) => [l.id, l] as const))('%s (KS1)', (_, lesson) => {
	it(`reads easily for 5-year-olds (≤ ${ks1Limits.averageSentenceWords} words a sentence on average, none over ${ks1Limits.longestSentenceWords}, ≤ ${ks1Limits.averageWordLetters} letters a word)`, () => {
		expect(ks1ReadingProblems(lesson)).toEqual([]);
	});
});

describe('the readability measure', () => {
	it('counts sentences, words and letters', () => {
		const r = readability(['Pip has a tablet. Pip says, "I will tell." Gran helps!']);
		expect(r.sentences).toBe(3);
		expect(r.words).toBe(11);
		expect(r.longestSentenceWords).toBe(5);
		expect(r.averageWordLetters).toBeCloseTo(38 / 11);
	});
	it('measures everything a pupil hears', () => {
		const texts = pupilTexts(lessons[0]!);
		expect(texts).toContain(lessons[0]!.keyMessage);
		expect(texts).toContain(lessons[0]!.questions[0]!.prompt);
	});
});

describe('the phrases to avoid', () => {
	const withWords = (text: string) => ({ ...lessons[0]!, keyMessage: text });
	it('finds a phrase on whole words, whatever the case', () => {
		expect(avoidedPhrasesIn(withWords('Remember: Stranger Danger!')).map((p) => p.phrase)).toEqual([
			'stranger danger'
		]);
		expect(avoidedPhrasesIn(withWords('Now it is too late to tell.')).map((p) => p.phrase)).toEqual(
			['too late']
		);
	});
	it('allows "it’s never too late to tell"', () => {
		expect(avoidedPhrasesIn(withWords('It’s never too late to tell a grown-up.'))).toEqual([]);
	});
});
