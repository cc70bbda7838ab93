// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loaders } from 'virtual:lantern-lessons';
import { i18nContext } from '$lib/i18n/i18n.svelte';
import { addLessonWords } from '$lib/i18n/lessons';
import LessonPlayer from './LessonPlayer.svelte';

addLessonWords();

/**
 * KS1 pupils hear every scene, question and option, from a tap (never by itself), as often
 * as they like, in the lesson's own language.
 */
describe('reading a lesson aloud', () => {
	const spoken: { text: string; lang: string }[] = [];
	beforeEach(() => {
		spoken.length = 0;
		class Utterance {
			lang = '';
			voice: unknown = null;
			rate = 1;
			constructor(public text: string) {}
		}
		vi.stubGlobal('SpeechSynthesisUtterance', Utterance);
		vi.stubGlobal('speechSynthesis', {
			getVoices: () => [
				{ lang: 'en-GB', name: 'English' },
				{ lang: 'cy-GB', name: 'Welsh' }
			],
			cancel: () => undefined,
			speak: (u: Utterance) => spoken.push({ text: u.text, lang: u.lang }),
			addEventListener: () => undefined,
			removeEventListener: () => undefined
		});
	});
	afterEach(() => vi.unstubAllGlobals());

	async function open(lang: 'en' | 'cy') {
		const lesson = (await loaders['k1-trusted-grown-ups']![lang]!()).default;
		render(LessonPlayer, {
			context: i18nContext(lang),
			props: {
				lesson,
				onProgress: () => undefined,
				onFinished: () => Promise.resolve('saved' as const),
				onExit: () => undefined
			}
		});
		return lesson;
	}

	it('reads a scene only when tapped, and again on every tap', async () => {
		const lesson = await open('en');
		expect(spoken).toEqual([]);
		const button = screen.getByRole('button', { name: /Read to me/ });
		await fireEvent.click(button);
		await fireEvent.click(button);
		expect(spoken).toEqual([
			{ text: lesson.scenes[0]!.text, lang: 'en-GB' },
			{ text: lesson.scenes[0]!.text, lang: 'en-GB' }
		]);
	});

	it('reads the question with its options, each option, and the feedback', async () => {
		const lesson = await open('en');
		for (let i = 0; i < lesson.scenes.length; i++)
			await fireEvent.click(screen.getByTestId('next'));
		const q = lesson.questions[0]!;
		if (q.type !== 'choice') throw new Error('the model lesson starts with a picture choice');
		await fireEvent.click(screen.getByRole('button', { name: /Read to me/ }));
		expect(spoken.at(-1)!.text).toBe([q.prompt, ...q.options.map((o) => o.text)].join('. '));
		for (const option of q.options) {
			await fireEvent.click(screen.getByRole('button', { name: `Hear “${option.text}”` }));
			expect(spoken.at(-1)!.text).toBe(option.text);
		}
		const wrong = q.options.find((o) => !(q.answer as string[]).includes(o.id))!;
		await fireEvent.click(screen.getByRole('button', { name: new RegExp(`^${wrong.text}`) }));
		await fireEvent.click(screen.getByRole('button', { name: 'Hear that again' }));
		expect(spoken.at(-1)!.text).toBe(wrong.feedback);
	});

	it('speaks a Welsh lesson with a Welsh voice', async () => {
		const lesson = await open('cy');
		await fireEvent.click(screen.getByRole('button', { name: /Darllen/ }));
		expect(spoken).toEqual([{ text: lesson.scenes[0]!.text, lang: 'cy-GB' }]);
	});
});
