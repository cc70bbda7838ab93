import type { Language } from '$lib/i18n/languages';
import lessonsCy from '$lib/i18n/lessons/cy.json';
import lessonsEn from '$lib/i18n/lessons/en.json';
import cy from '$lib/i18n/locales/cy.json';
import en from '$lib/i18n/locales/en.json';
import pl from '$lib/i18n/locales/pl.json';
import ur from '$lib/i18n/locales/ur.json';
import tellCy from '$lib/i18n/tell/cy.json';
import tellEn from '$lib/i18n/tell/en.json';
import tellPl from '$lib/i18n/tell/pl.json';
import tellUr from '$lib/i18n/tell/ur.json';

type Tree = { [key: string]: string | Tree };
const bundles: Record<Language, Tree[]> = {
	en: [en, tellEn, lessonsEn],
	cy: [cy, tellCy, lessonsCy],
	pl: [pl, tellPl],
	ur: [ur, tellUr]
};

function find(tree: Tree, path: string): string | undefined {
	let here: string | Tree | undefined = tree;
	for (const part of path.split('.')) {
		if (typeof here !== 'object') return undefined;
		here = here[part];
	}
	return typeof here === 'string' ? here : undefined;
}

/**
 * The words a pupil screen shows for a key, in a language, falling back to English as the app
 * does: so a browser test can press a button by its name in any pupil language.
 */
export function wordsIn(lang: Language): (key: string) => string {
	return (key) => {
		for (const tree of [...bundles[lang], ...bundles.en]) {
			const found = find(tree, key);
			if (found !== undefined) return found;
		}
		throw new Error(`No words for ${key}`);
	};
}
