/** The languages Lantern speaks. `dir` is here so a right-to-left language needs only a line. */
export const languages = {
	en: { name: 'English', dir: 'ltr' },
	cy: { name: 'Cymraeg', dir: 'ltr' }
} as const;
export type Language = keyof typeof languages;
export const defaultLanguage: Language = 'en';
export const languageCookie = 'lantern_lang';

export function isLanguage(value: unknown): value is Language {
	return typeof value === 'string' && Object.hasOwn(languages, value);
}

export function languageOr(value: unknown): Language {
	return isLanguage(value) ? value : defaultLanguage;
}
