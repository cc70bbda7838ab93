// @vitest-environment jsdom
import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { i18nContext } from '$lib/i18n/i18n.svelte';
import type { Language } from '$lib/i18n/languages';
import { addLessonWords } from '$lib/i18n/lessons';
import Feedback from './Feedback.svelte';

addLessonWords();

function shown(
	props: { right: boolean; text: string; lang: 'en' | 'cy' },
	screen: Language = 'en'
) {
	const { container } = render(Feedback, { context: i18nContext(screen), props });
	return container.querySelector('[data-testid="feedback"]')?.textContent?.replace(/\s+/g, ' ');
}
const times = (text: string | undefined, words: string) => (text ?? '').split(words).length - 1;

describe('what a pupil is told after an answer', () => {
	it('says "Yes!" before a reason that does not', () => {
		expect(shown({ right: true, text: 'A teacher can help.', lang: 'en' })).toContain(
			'Yes! A teacher can help.'
		);
	});

	it('says "Yes!" once when the reason starts with it', () => {
		const text = shown({ right: true, text: 'Yes! A teacher can help.', lang: 'en' });
		expect(times(text, 'Yes!')).toBe(1);
		expect(text).toContain('Yes! A teacher can help.');
	});

	it('keeps "Yes!" before a reason that only starts with the same letters', () => {
		expect(shown({ right: true, text: 'Yesterday Pip told Gran.', lang: 'en' })).toContain(
			'Yes! Yesterday Pip told Gran.'
		);
	});

	it('says "Have another think." once when the reason starts or ends with it', () => {
		for (const reason of [
			'Have another think. Bullying is never the target’s fault.',
			'A credit is about the person who took the photo. Have another think.',
			'Think again. A real person reads your words.'
		]) {
			const text = shown({ right: false, text: reason, lang: 'en' });
			expect(times(text, 'Have another think') + times(text, 'Think again'), reason).toBe(1);
		}
	});

	it('says it in the lesson’s language: an English lesson on a Welsh screen is not told "Ie! Yes!"', () => {
		const text = shown({ right: true, text: 'Yes! A teacher can help.', lang: 'en' }, 'cy');
		expect(times(text, 'Ie!')).toBe(0);
		expect(times(text, 'Yes!')).toBe(1);
		expect(shown({ right: true, text: 'Gall athro helpu.', lang: 'cy' }, 'cy')).toContain(
			'Ie! Gall athro helpu.'
		);
	});
});
