// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import { catalogue, loaders } from 'virtual:lantern-lessons';
import { protectivePath, type Lesson, type Question } from '$lib/domain/lesson';
import { answerList, attemptProblem, scoreOf, type Answer } from '$lib/domain/quiz';
import { i18nContext, translator } from '$lib/i18n/i18n.svelte';
import { addLessonWords } from '$lib/i18n/lessons';
import { answerInWords } from './present';
import LessonPlayer from './LessonPlayer.svelte';
import QuestionView from './QuestionView.svelte';

addLessonWords();

/**
 * Walks every lesson of the build, in every language it has, from the first scene to the
 * key message, the way a pupil would: tapping options, sorting cards, ordering steps,
 * tapping places and choosing a path through each story. The first question of each lesson
 * is answered wrongly first, to walk the "have another think" path too.
 */
async function click(container: HTMLElement, selector: string): Promise<void> {
	const el = container.querySelector<HTMLButtonElement>(selector);
	if (!el) throw new Error(`nothing matches ${selector}`);
	if (el.disabled) throw new Error(`${selector} is disabled`);
	await fireEvent.click(el);
	await tick();
	expectNothingSaidTwice(container);
}

/** "Yes!" or "Have another think." (in either language) at most once in any feedback box. */
function expectNothingSaidTwice(container: HTMLElement): void {
	const openings = ['en', 'cy'].flatMap((lang) =>
		['lesson.yes', 'lesson.thinkAgain'].map((key) => translator(lang as 'en' | 'cy')(key))
	);
	for (const box of container.querySelectorAll('.feedback')) {
		const text = box.textContent ?? '';
		for (const words of openings)
			expect(text.split(words).length - 1, `"${words}" twice in: ${text}`).toBeLessThanOrEqual(1);
	}
}

async function answerWrongFirst(c: HTMLElement, q: Question): Promise<boolean> {
	switch (q.type) {
		case 'choice': {
			const wrong = q.options.find((o) => !answerList(q.answer).includes(o.id))!;
			await click(c, `[data-option="${wrong.id}"]`);
			expect(c.querySelector('[data-testid="feedback"]')?.textContent).toContain(wrong.feedback);
			return true;
		}
		case 'best-step': {
			const other = q.options.find((o) => o.step !== 'best')!;
			await click(c, `[data-option="${other.id}"]`);
			return true;
		}
		case 'thumbs':
			await click(c, `[data-option="${q.answer === 'up' ? 'down' : 'up'}"]`);
			return true;
		default:
			return false;
	}
}

async function answerRight(c: HTMLElement, q: Question): Promise<void> {
	switch (q.type) {
		case 'choice':
			for (const id of answerList(q.answer)) await click(c, `[data-option="${id}"]`);
			break;
		case 'best-step':
			await click(c, `[data-option="${q.options.find((o) => o.step === 'best')!.id}"]`);
			break;
		case 'thumbs':
			await click(c, `[data-option="${q.answer}"]`);
			break;
		case 'how-sure':
			await click(c, '[data-option="sure"]');
			break;
		case 'sort':
		case 'always-sometimes-never':
			for (const item of q.items)
				await click(c, `[data-item="${item.id}"] [data-bin="${item.bin}"]`);
			await click(c, '[data-testid="check"]');
			break;
		case 'order':
			for (const step of q.steps) await click(c, `[data-step="${step.id}"]`);
			break;
		case 'hotspot':
			for (const id of answerList(q.answer)) await click(c, `[data-spot="${id}"]`);
			break;
		case 'branching':
			for (const next of protectivePath(q)!.slice(1)) await click(c, `[data-next="${next}"]`);
			break;
	}
}

const editions = catalogue.flatMap((summary) =>
	summary.languages.map((lang) => ({ id: summary.id, lang, name: `${summary.id} (${lang})` }))
);

describe('every lesson, walked to the end', () => {
	it('has lessons to walk', () => {
		expect(editions.length).toBeGreaterThanOrEqual(28);
	});

	it.each(editions)('$name', async ({ id, lang }) => {
		const lesson: Lesson = (await loaders[id]![lang]!()).default;
		const finished: { answers: Answer[] | null } = { answers: null };
		const { container } = render(LessonPlayer, {
			context: i18nContext(lang),
			props: {
				lesson,
				onProgress: () => undefined,
				onFinished: (answers: Answer[]) => {
					finished.answers = answers;
					return Promise.resolve('saved' as const);
				},
				onExit: () => undefined
			}
		});
		for (let i = 0; i < lesson.scenes.length; i++) {
			expect(container.querySelector('[data-testid="scene"]')?.textContent).toContain(
				lesson.scenes[i]!.text
			);
			await click(container, '[data-testid="next"]');
		}
		let wrongFirst = false;
		for (const [i, q] of lesson.questions.entries()) {
			const section = container.querySelector(`[data-question="${q.id}"]`);
			expect(section, `question ${q.id} is on screen`).not.toBeNull();
			// Nothing moves on before the question is answered.
			expect(container.querySelector<HTMLButtonElement>('[data-testid="next"]')?.disabled).toBe(
				true
			);
			if (i === 0) wrongFirst = await answerWrongFirst(container, q);
			await answerRight(container, q);
			// Every question's answer can be put into words for the teacher.
			if (q.type !== 'how-sure')
				expect(answerInWords(q, translator('en')).length).toBeGreaterThan(0);
			await click(container, '[data-testid="next"]');
		}
		expect(container.querySelector('[data-testid="lesson-end"]')?.textContent).toContain(
			lesson.keyMessage
		);
		expect(finished.answers).not.toBeNull();
		const answers = finished.answers ?? [];
		const score = scoreOf(lesson, answers);
		const attempt = {
			id: '00000000-0000-4000-8000-000000000000',
			pupilId: '00000000-0000-4000-8000-000000000001',
			lessonId: lesson.id,
			version: lesson.version,
			language: lang,
			startedAt: '2026-11-22T09:00:00.000Z',
			completedAt: '2026-11-22T09:20:00.000Z',
			answers,
			score
		};
		// What the player sends is exactly what the server accepts.
		expect(attemptProblem(lesson, attempt)).toBeNull();
		const scored = lesson.questions.filter((q) => q.type !== 'how-sure').length;
		expect(score).toEqual({ correct: scored - (wrongFirst ? 1 : 0), total: scored });
	});
});

describe('finishing a lesson', () => {
	it('offers to save again when the iPad could not, and never saves the end as progress', async () => {
		const lesson: Lesson = (await loaders['k1-trusted-grown-ups']!.en!()).default;
		const outcomes: ('saved' | 'not-saved')[] = ['not-saved', 'saved'];
		const calls: Answer[][] = [];
		const steps: number[] = [];
		const answers = lesson.questions.map((q) => ({
			questionId: q.id,
			given: ['x'],
			firstTime: true,
			tries: 1
		}));
		const { container } = render(LessonPlayer, {
			context: i18nContext('en'),
			props: {
				lesson,
				// Carrying on at the last question, already answered.
				step: lesson.scenes.length + lesson.questions.length - 1,
				answers,
				onProgress: (step: number) => steps.push(step),
				onFinished: (given: Answer[]) => {
					calls.push(given);
					return Promise.resolve(outcomes.shift()!);
				},
				onExit: () => undefined
			}
		});
		await click(container, '[data-testid="next"]');
		await tick();
		expect(container.querySelector('[data-saved]')?.getAttribute('data-saved')).toBe('not-saved');
		await fireEvent.click(screen.getByRole('button', { name: 'Try saving again' }));
		await tick();
		expect(container.querySelector('[data-saved]')?.getAttribute('data-saved')).toBe('saved');
		expect(calls).toHaveLength(2);
		expect(steps).toEqual([]);
	});
});

describe('a story with a misstep', () => {
	it('ends well after putting things right, but that is not right first time', async () => {
		const lesson: Lesson = (await loaders['u6-scams-and-phishing']!.en!()).default;
		const q = lesson.questions.find((x) => x.type === 'branching');
		if (q?.type !== 'branching') throw new Error('u6 has a story');
		const start = q.nodes.find((n) => n.id === q.start)!;
		const misstep = start.choices!.find((c) => c.misstep)!;
		// From the misstep, the first path that still ends well.
		const recover = (id: string): string[] | null => {
			const node = q.nodes.find((n) => n.id === id)!;
			if (node.ending) return node.ending === 'good' ? [] : null;
			for (const c of node.choices ?? []) {
				const rest = recover(c.next);
				if (rest) return [c.next, ...rest];
			}
			return null;
		};
		const answered: { firstTime: boolean; tries: number }[] = [];
		const { container } = render(QuestionView, {
			context: i18nContext('en'),
			props: {
				question: q,
				lang: 'en',
				onAnswered: (a: { firstTime: boolean; tries: number }) => answered.push(a)
			}
		});
		await click(container, `[data-next="${misstep.next}"]`);
		for (const next of recover(misstep.next)!) await click(container, `[data-next="${next}"]`);
		expect(container.querySelector('[data-testid="feedback"]')?.textContent).toContain(
			'even safer choice'
		);
		expect(answered).toEqual([expect.objectContaining({ firstTime: false, tries: 1 })]);
		// The pupil may go back and find the safer path; nothing more is scored.
		await click(container, '[data-testid="rewind"]');
		expect(answered).toHaveLength(1);
	});
});
