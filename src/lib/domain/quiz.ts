import {
	sortBins,
	sureLevels,
	type LessonFile,
	type Question,
	type SortBin,
	type StoryNode
} from './lesson';
import type { Answer, Attempt } from './attempt';

/**
 * Quiz rules shared by the iPad and the server. A pupil's answer to a question is a list of
 * short strings (`given`), the same for every question type:
 * - choice, hotspot: the ids tapped, up to and including the first one that was not right;
 * - best-step, thumbs, how-sure: the one option chosen first;
 * - sort, always-sometimes-never: `item=bin` for every item, as first placed;
 * - order: the step ids in the order first given;
 * - branching: the story parts visited, from the start to the first ending reached (right
 *   first time when that ending is good and no choice on the way was a misstep).
 * What is scored is whether the first answer was the protective one ("first time").
 */

export type Given = string[];

/** Questions that count towards the score ("how sure" is a feeling, not a test). */
export function isScored(q: Question): boolean {
	return q.type !== 'how-sure';
}

const sameSet = (a: string[], b: string[]) =>
	a.length === b.length && new Set(a).size === a.length && a.every((x) => b.includes(x));

export function answerList(answer: string | string[]): string[] {
	return typeof answer === 'string' ? [answer] : answer;
}

/** Whether `given` is an answer this question could have received at all. */
export function isPossible(q: Question, given: Given): boolean {
	switch (q.type) {
		case 'choice':
		case 'hotspot': {
			const ids = q.type === 'choice' ? q.options.map((o) => o.id) : q.spots.map((s) => s.id);
			if (given.length === 0 || new Set(given).size !== given.length) return false;
			if (!given.every((g) => ids.includes(g))) return false;
			// Taps stop at the first one that is not right.
			const right = answerList(q.answer);
			const firstMiss = given.findIndex((g) => !right.includes(g));
			return firstMiss === -1 ? sameSet(given, right) : firstMiss === given.length - 1;
		}
		case 'best-step':
			return given.length === 1 && q.options.some((o) => o.id === given[0]);
		case 'thumbs':
			return given.length === 1 && (given[0] === 'up' || given[0] === 'down');
		case 'how-sure':
			return given.length === 1 && (sureLevels as readonly string[]).includes(given[0]!);
		case 'sort':
		case 'always-sometimes-never': {
			const bins: readonly string[] = sortBins[q.type];
			const placed = new Map(given.map((g) => g.split('=') as [string, string]));
			return (
				given.length === q.items.length &&
				placed.size === q.items.length &&
				q.items.every((i) => bins.includes(placed.get(i.id) ?? ''))
			);
		}
		case 'order':
			return sameSet(
				given,
				q.steps.map((s) => s.id)
			);
		case 'branching': {
			if (given[0] !== q.start) return false;
			const nodes = new Map(q.nodes.map((n) => [n.id, n]));
			for (let i = 0; i < given.length; i++) {
				const node = nodes.get(given[i]!);
				if (!node) return false;
				const last = i === given.length - 1;
				if (last) return node.ending !== undefined;
				if (!node.choices?.some((c) => c.next === given[i + 1])) return false;
			}
			return false;
		}
	}
}

/** Whether a possible answer was the right one first time. */
export function isRightFirstTime(q: Question, given: Given): boolean {
	switch (q.type) {
		case 'choice':
		case 'hotspot':
			return sameSet(given, answerList(q.answer));
		case 'best-step':
			return q.options.find((o) => o.id === given[0])?.step === 'best';
		case 'thumbs':
			return given[0] === q.answer;
		case 'how-sure':
			return true;
		case 'sort':
		case 'always-sometimes-never':
			return q.items.every((i) => given.includes(`${i.id}=${i.bin}`));
		case 'order':
			return q.steps.every((s, i) => given[i] === s.id);
		case 'branching': {
			// A good ending, reached without a misstep on the way.
			const last = q.nodes.find((n) => n.id === given[given.length - 1]);
			const misstep = given.some((id, i) =>
				q.nodes.find((n) => n.id === id)?.choices?.some((c) => c.misstep && c.next === given[i + 1])
			);
			return last?.ending === 'good' && !misstep;
		}
	}
}

/** A sort's bins for its type. */
export function binsOf(
	q: Extract<Question, { type: 'sort' | 'always-sometimes-never' }>
): readonly SortBin[] {
	return sortBins[q.type];
}

export function storyNode(
	q: Extract<Question, { type: 'branching' }>,
	id: string
): StoryNode | undefined {
	return q.nodes.find((n) => n.id === id);
}

export { answerSchema, attemptSchema, type Answer, type Attempt } from './attempt';

export function scoreOf(lesson: LessonFile, answers: Answer[]): { correct: number; total: number } {
	const scored = lesson.questions.filter(isScored);
	const correct = scored.filter(
		(q) => answers.find((a) => a.questionId === q.id)?.firstTime === true
	).length;
	return { correct, total: scored.length };
}

/**
 * Why an attempt cannot be what a pupil did in this lesson, or null when it could be: every
 * question answered once in order, each answer possible, "first time" true only when it was,
 * and the score the sum of those.
 */
export function attemptProblem(lesson: LessonFile, attempt: Attempt): string | null {
	if (attempt.lessonId !== lesson.id) return 'the attempt is for another lesson';
	if (attempt.answers.length !== lesson.questions.length)
		return `the lesson has ${lesson.questions.length} questions, the attempt answers ${attempt.answers.length}`;
	for (const [i, q] of lesson.questions.entries()) {
		const a = attempt.answers[i]!;
		if (a.questionId !== q.id) return `answer ${i + 1} is not for question "${q.id}"`;
		if (!isPossible(q, a.given)) return `the answer to "${q.id}" is not one the question allows`;
		if (a.firstTime !== isRightFirstTime(q, a.given))
			return `the answer to "${q.id}" is marked ${a.firstTime ? 'right' : 'not right'} first time, but was not`;
		if (a.firstTime && a.tries !== 1) return `"${q.id}" was right first time in more than one go`;
	}
	const score = scoreOf(lesson, attempt.answers);
	if (score.correct !== attempt.score.correct || score.total !== attempt.score.total)
		return `the score ${attempt.score.correct}/${attempt.score.total} does not match the answers (${score.correct}/${score.total})`;
	if (Date.parse(attempt.completedAt) < Date.parse(attempt.startedAt))
		return 'the lesson was finished before it was started';
	return null;
}
