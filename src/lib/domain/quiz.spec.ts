import { describe, expect, it } from 'vitest';
import { lessonSchema, type LessonFile } from './lesson';
import {
	attemptProblem,
	isPossible,
	isRightFirstTime,
	scoreOf,
	type Answer,
	type Attempt
} from './quiz';

const lesson: LessonFile = lessonSchema.parse({
	id: 'demo',
	title: 'Demo',
	keyStage: 'KS2',
	years: [3],
	order: 1,
	strands: ['PS', 'OB'],
	curriculum: ['NC-KS2-safe'],
	outcomes: ['I can choose.'],
	keyMessage: 'Ask.',
	teacherNotes: { before: 'Rules.', disclosure: 'Listen and pass it on.' },
	scenes: [{ text: 'Hello.' }],
	questions: [
		{
			id: 'pick',
			type: 'choice',
			strand: 'PS',
			outcome: 1,
			prompt: 'Pick two.',
			options: [
				{ id: 'a', text: 'A', feedback: 'Yes.' },
				{ id: 'b', text: 'B', feedback: 'Yes.' },
				{ id: 'c', text: 'C', feedback: 'Not this.' }
			],
			answer: ['a', 'b']
		},
		{
			id: 'sort',
			type: 'always-sometimes-never',
			strand: 'OB',
			outcome: 1,
			prompt: 'Sort.',
			items: [
				{ id: 'x', text: 'X', bin: 'never', feedback: 'Never.' },
				{ id: 'y', text: 'Y', bin: 'sometimes', feedback: 'Sometimes.' }
			]
		},
		{
			id: 'steps',
			type: 'order',
			strand: 'OB',
			outcome: 1,
			prompt: 'Order.',
			steps: [
				{ id: 's1', text: 'One', feedback: 'First.' },
				{ id: 's2', text: 'Two', feedback: 'Second.' },
				{ id: 's3', text: 'Three', feedback: 'Third.' }
			]
		},
		{
			id: 'story',
			type: 'branching',
			strand: 'PS',
			outcome: 1,
			prompt: 'What next?',
			start: 'n1',
			nodes: [
				{
					id: 'n1',
					text: 'Start',
					choices: [
						{ text: 'Tell', next: 'good' },
						{ text: 'Hide', next: 'bad' },
						{ text: 'Wait', next: 'later', misstep: true }
					]
				},
				{
					id: 'later',
					text: 'Later.',
					choices: [
						{ text: 'Tell after all', next: 'good' },
						{ text: 'Keep hiding', next: 'bad' }
					]
				},
				{ id: 'good', text: 'Safe.', ending: 'good' },
				{ id: 'bad', text: 'Hmm.', ending: 'rethink' }
			]
		},
		{
			id: 'sure',
			type: 'how-sure',
			strand: 'PS',
			outcome: 1,
			prompt: 'How sure?',
			feedback: { sure: 'Good.', 'bit-sure': 'OK.', 'not-sure': 'Ask.' }
		}
	]
});
const q = (id: string) => lesson.questions.find((x) => x.id === id)!;

const rightAnswers: Answer[] = [
	{ questionId: 'pick', given: ['b', 'a'], firstTime: true, tries: 1 },
	{ questionId: 'sort', given: ['x=never', 'y=sometimes'], firstTime: true, tries: 1 },
	{ questionId: 'steps', given: ['s1', 's2', 's3'], firstTime: true, tries: 1 },
	{ questionId: 'story', given: ['n1', 'good'], firstTime: true, tries: 1 },
	{ questionId: 'sure', given: ['bit-sure'], firstTime: true, tries: 1 }
];
const attempt = (answers: Answer[], score = scoreOf(lesson, answers)): Attempt => ({
	id: '6c2b4a9e-3f1d-4e8a-9b7c-1d2e3f4a5b6c',
	pupilId: '7d3c5b0f-4a2e-4f9b-8c8d-2e3f4a5b6c7d',
	lessonId: 'demo',
	version: 'abc',
	language: 'en',
	startedAt: '2026-11-22T09:00:00.000Z',
	completedAt: '2026-11-22T09:10:00.000Z',
	answers,
	score
});

describe('quiz rules', () => {
	it('takes taps up to the first miss as the first answer', () => {
		expect(isPossible(q('pick'), ['a', 'c'])).toBe(true);
		expect(isRightFirstTime(q('pick'), ['a', 'c'])).toBe(false);
		expect(isPossible(q('pick'), ['c', 'a'])).toBe(false);
		expect(isPossible(q('pick'), ['a'])).toBe(false);
		expect(isPossible(q('pick'), ['a', 'a'])).toBe(false);
		expect(isPossible(q('pick'), ['z'])).toBe(false);
	});
	it('checks sorts, orders and stories', () => {
		expect(isRightFirstTime(q('sort'), ['x=never', 'y=always'])).toBe(false);
		expect(isPossible(q('sort'), ['x=ok', 'y=always'])).toBe(false);
		expect(isPossible(q('sort'), ['x=never'])).toBe(false);
		expect(isRightFirstTime(q('steps'), ['s2', 's1', 's3'])).toBe(false);
		expect(isPossible(q('steps'), ['s1', 's2'])).toBe(false);
		expect(isRightFirstTime(q('story'), ['n1', 'bad'])).toBe(false);
		expect(isPossible(q('story'), ['n1'])).toBe(false);
		expect(isPossible(q('story'), ['good'])).toBe(false);
		expect(isPossible(q('story'), ['n1', 'bad', 'good'])).toBe(false);
		// Putting things right after a misstep ends well, but is not right first time.
		expect(isPossible(q('story'), ['n1', 'later', 'good'])).toBe(true);
		expect(isRightFirstTime(q('story'), ['n1', 'later', 'good'])).toBe(false);
		expect(isRightFirstTime(q('story'), ['n1', 'good'])).toBe(true);
	});
	it('does not score how sure a pupil feels', () => {
		expect(scoreOf(lesson, rightAnswers)).toEqual({ correct: 4, total: 4 });
	});
});

describe('checking an attempt as the server does', () => {
	it('accepts what a pupil could have done', () => {
		expect(attemptProblem(lesson, attempt(rightAnswers))).toBeNull();
		const slower = rightAnswers.map((a, i) =>
			i === 1 ? { ...a, given: ['x=never', 'y=never'], firstTime: false, tries: 2 } : a
		);
		expect(attemptProblem(lesson, attempt(slower))).toBeNull();
	});
	it('refuses an impossible score', () => {
		expect(attemptProblem(lesson, attempt(rightAnswers, { correct: 5, total: 4 }))).toContain(
			'score'
		);
		expect(attemptProblem(lesson, attempt(rightAnswers, { correct: 4, total: 5 }))).toContain(
			'score'
		);
	});
	it('refuses "right first time" for an answer that was not', () => {
		const lying = rightAnswers.map((a, i) => (i === 2 ? { ...a, given: ['s2', 's1', 's3'] } : a));
		expect(attemptProblem(lesson, attempt(lying))).toContain('"steps"');
	});
	it('refuses answers for other questions, missing or out of order', () => {
		expect(attemptProblem(lesson, attempt(rightAnswers.slice(1)))).toContain('5 questions');
		expect(attemptProblem(lesson, attempt([...rightAnswers].reverse()))).toContain(
			'not for question'
		);
		expect(attemptProblem(lesson, { ...attempt(rightAnswers), lessonId: 'other' })).toContain(
			'another lesson'
		);
	});
	it('refuses a lesson finished before it started', () => {
		expect(
			attemptProblem(lesson, { ...attempt(rightAnswers), completedAt: '2026-11-22T08:00:00.000Z' })
		).toContain('before');
	});
});
