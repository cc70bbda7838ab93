import type { LessonFile, Question } from './lesson';

/**
 * House rules for the words of a lesson, checked over the whole `lessons/` folder by
 * `lessons.content.spec.ts` and by `npm run lessons:check`. The limits are documented for
 * writers in `lessons/README.md`; change both together.
 */

/**
 * KS1 readability, measured over everything a pupil hears or reads in one lesson (scenes,
 * prompts, options, feedback, stories). Five-year-olds follow short sentences of short words:
 * - on average at most 9 words a sentence, and no sentence longer than 16 words;
 * - on average at most 4.3 letters a word.
 */
export const ks1Limits = {
	averageSentenceWords: 9,
	longestSentenceWords: 16,
	averageWordLetters: 4.3
};

/**
 * Phrases no lesson may use, with the reason (see "Pitfalls" in shared/lesson-map.md). Matched
 * without regard to case, on whole words.
 */
export const avoidedPhrases: { phrase: string; why: string; unless?: RegExp }[] = [
	{
		phrase: 'stranger danger',
		why: 'talk about people we know in real life and people we only know online'
	},
	{
		phrase: "don't talk to strangers",
		why: 'children do talk to people online; teach what to do instead'
	},
	{ phrase: 'never talk to anyone', why: 'an abstinence rule children cannot keep' },
	{ phrase: 'your own fault', why: 'the person harmed is never to blame' },
	{ phrase: 'you should have known', why: 'the person harmed is never to blame' },
	{ phrase: 'asking for it', why: 'the person harmed is never to blame' },
	{
		phrase: 'too late',
		why: 'it is never too late to tell, and no lesson may suggest otherwise',
		// "It's never too late to tell" is the message itself.
		unless: /\b(never|not|isn't|is not|it's not)\s+too late/u
	},
	{ phrase: 'get in trouble', why: 'children must not fear telling' },
	{ phrase: 'wrong answer', why: 'wrong answers get a kind reason and another go' },
	{ phrase: 'incorrect', why: 'wrong answers get a kind reason and another go' },
	{ phrase: "time's up", why: 'no timers' },
	{ phrase: 'hurry', why: 'no timers or rushing' },
	{ phrase: 'leaderboard', why: 'no leaderboards' },
	{ phrase: 'momo', why: 'never name a viral scare' },
	{ phrase: 'huggy wuggy', why: 'never name a viral scare' },
	{ phrase: 'blue whale', why: 'never name a viral scare' },
	{
		phrase: 'paedophile',
		why: 'no depiction of an offender; show the unhealthy behaviour instead'
	},
	{ phrase: 'predator', why: 'no depiction of an offender; show the unhealthy behaviour instead' },
	{ phrase: 'kidnap', why: 'fear and shock messaging' },
	{ phrase: 'you will die', why: 'fear and shock messaging' },
	{ phrase: 'terrifying', why: 'fear and shock messaging' }
];

/** Every piece of text a pupil meets in a lesson: scenes, questions, options, feedback, stories. */
export function pupilTexts(lesson: LessonFile): string[] {
	const out: string[] = [lesson.title, lesson.keyMessage];
	for (const s of lesson.scenes) out.push(s.text);
	for (const q of lesson.questions) out.push(...questionTexts(q));
	return out;
}

export function questionTexts(q: Question): string[] {
	const out = [q.prompt];
	switch (q.type) {
		case 'choice':
		case 'best-step':
			for (const o of q.options) out.push(o.text, o.feedback);
			break;
		case 'thumbs':
			out.push(q.feedback.up, q.feedback.down);
			break;
		case 'sort':
		case 'always-sometimes-never':
			for (const i of q.items) out.push(i.text, i.feedback);
			break;
		case 'order':
			for (const s of q.steps) out.push(s.text, s.feedback);
			break;
		case 'hotspot':
			for (const s of q.spots) out.push(s.label, s.feedback);
			break;
		case 'branching':
			for (const n of q.nodes) out.push(n.text, ...(n.choices ?? []).map((c) => c.text));
			break;
		case 'how-sure':
			out.push(q.feedback.sure, q.feedback['bit-sure'], q.feedback['not-sure']);
			break;
	}
	return out;
}

/** Every text in a lesson, the teacher's notes included. */
export function allTexts(lesson: LessonFile): string[] {
	const notes = [
		lesson.teacherNotes.before,
		lesson.teacherNotes.disclosure,
		lesson.teacherNotes.help ?? '',
		...(lesson.teacherNotes.discussion ?? [])
	];
	return [...pupilTexts(lesson), ...lesson.outcomes, ...notes];
}

const wordPattern = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

function sentencesOf(text: string): string[] {
	return text
		.split(/(?<=[.!?…]["”’']?)\s+|\n+/u)
		.map((s) => s.trim())
		.filter((s) => (s.match(wordPattern) ?? []).length > 0);
}

export interface Readability {
	sentences: number;
	words: number;
	averageSentenceWords: number;
	longestSentenceWords: number;
	longestSentence: string;
	averageWordLetters: number;
}

export function readability(texts: string[]): Readability {
	let sentences = 0;
	let words = 0;
	let letters = 0;
	let longest = '';
	let longestWords = 0;
	for (const text of texts) {
		for (const sentence of sentencesOf(text)) {
			const found = sentence.match(wordPattern) ?? [];
			sentences++;
			words += found.length;
			letters += found.reduce((n, w) => n + w.replace(/['’-]/gu, '').length, 0);
			if (found.length > longestWords) {
				longestWords = found.length;
				longest = sentence;
			}
		}
	}
	return {
		sentences,
		words,
		averageSentenceWords: sentences === 0 ? 0 : words / sentences,
		longestSentenceWords: longestWords,
		longestSentence: longest,
		averageWordLetters: words === 0 ? 0 : letters / words
	};
}

/** Reasons a KS1 lesson is too hard to read, or none. */
export function ks1ReadingProblems(lesson: LessonFile): string[] {
	const r = readability(pupilTexts(lesson));
	const problems: string[] = [];
	if (r.averageSentenceWords > ks1Limits.averageSentenceWords)
		problems.push(
			`sentences average ${r.averageSentenceWords.toFixed(1)} words (at most ${ks1Limits.averageSentenceWords})`
		);
	if (r.longestSentenceWords > ks1Limits.longestSentenceWords)
		problems.push(
			`"${r.longestSentence}" has ${r.longestSentenceWords} words (at most ${ks1Limits.longestSentenceWords})`
		);
	if (r.averageWordLetters > ks1Limits.averageWordLetters)
		problems.push(
			`words average ${r.averageWordLetters.toFixed(2)} letters (at most ${ks1Limits.averageWordLetters})`
		);
	return problems;
}

/** Phrases to avoid found in the lesson, each with where and why. */
export function avoidedPhrasesIn(
	lesson: LessonFile
): { phrase: string; why: string; text: string }[] {
	const found: { phrase: string; why: string; text: string }[] = [];
	const normalise = (s: string) => s.toLowerCase().replace(/[’‘]/g, "'");
	for (const text of allTexts(lesson)) {
		const lower = normalise(text);
		for (const { phrase, why, unless } of avoidedPhrases) {
			const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			const rest = unless ? lower.replace(new RegExp(unless.source, 'gu'), '') : lower;
			if (new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, 'u').test(rest))
				found.push({ phrase, why, text });
		}
	}
	return found;
}
