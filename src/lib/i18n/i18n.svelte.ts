import i18next, { type TFunction } from 'i18next';
import { getContext, setContext } from 'svelte';
import cy from './locales/cy.json';
import en from './locales/en.json';
import { languageCookie, languages, type Language } from './languages';

// One shared instance holding only the translations (no per-user state), so it is safe
// on the server; each request or component asks for the language it needs.
const instance = i18next.createInstance();
void instance.init({
	resources: {
		en: { translation: en },
		cy: { translation: cy }
	},
	lng: 'en',
	fallbackLng: 'en',
	initAsync: false,
	interpolation: { escapeValue: false },
	returnNull: false
});

/**
 * Adds a bundle of words loaded later (the "Tell an adult" flow brings its own, so the pupil
 * start screen does not carry them). Deep-merged into the one translation namespace.
 */
export function addStrings(lang: Language, strings: Record<string, unknown>): void {
	instance.addResourceBundle(lang, 'translation', strings, true, false);
}

// Polish and Urdu carry only the pupil screens' words (anything else falls back to English)
// and load when chosen, so the pupil start screen does not carry them for everyone.
const loadable: Partial<Record<Language, () => Promise<{ default: Record<string, unknown> }>>> = {
	pl: () => import('./locales/pl.json'),
	ur: () => import('./locales/ur.json')
};
// Which languages' words are in the instance: bookkeeping, not state (I18n has `#arrived`).
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const loaded = new Set<Language>(['en', 'cy']);

export async function loadLanguage(lang: Language): Promise<void> {
	const load = loadable[lang];
	if (loaded.has(lang) || !load) return;
	addStrings(lang, (await load()).default);
	loaded.add(lang);
}

export function translator(lang: Language): TFunction {
	return instance.getFixedT(lang);
}

/** The current language as runes state, shared through context. */
export class I18n {
	lang = $state<Language>('en');
	/** Moves on when a language's words arrive, so everything showing them is drawn again. */
	#arrived = $state(0);
	t = $derived.by(() => {
		void this.#arrived;
		return translator(this.lang);
	});
	dir = $derived(languages[this.lang].dir);

	constructor(lang: Language) {
		this.lang = lang;
		this.#load(lang);
	}

	#load(lang: Language): void {
		if (loaded.has(lang)) return;
		void loadLanguage(lang)
			.then(() => this.#arrived++)
			.catch(() => undefined);
	}

	/** A date and time as people here write them, in this language (staff screens). */
	when(iso: string, dateStyle: 'short' | 'medium' = 'medium'): string {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- formatted once, not state
		return new Date(iso).toLocaleString(this.lang === 'cy' ? 'cy-GB' : 'en-GB', {
			dateStyle,
			timeStyle: 'short'
		});
	}

	/** Switch language and remember it on this device for a year. */
	set(lang: Language): void {
		this.lang = lang;
		this.#load(lang);
		if (typeof document !== 'undefined') {
			document.cookie = `${languageCookie}=${lang}; path=/; max-age=31536000; samesite=lax`;
			document.documentElement.lang = lang;
			document.documentElement.dir = languages[lang].dir;
		}
	}
}

const key = Symbol('i18n');

export function provideI18n(i18n: I18n): I18n {
	return setContext(key, i18n);
}

export function useI18n(): I18n {
	return getContext<I18n>(key);
}

/** Reads the language chosen on this device, for client-rendered pages. */
export function languageFromDocument(): string | undefined {
	if (typeof document === 'undefined') return undefined;
	const match = document.cookie.match(new RegExp(`(?:^|; )${languageCookie}=([^;]*)`));
	return match?.[1];
}

/** A context map holding an I18n, for rendering a component on its own in a test. */
export function i18nContext(lang: Language = 'en'): Map<unknown, unknown> {
	// A plain Map is what Svelte's `context` option takes; it is never changed.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	return new Map<unknown, unknown>([[key, new I18n(lang)]]);
}
