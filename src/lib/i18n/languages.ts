/** The languages Lantern speaks. `dir` is here so a right-to-left language needs only a line. */
export const languages = {
	en: { name: 'English', dir: 'ltr', staff: true },
	cy: { name: 'Cymraeg', dir: 'ltr', staff: true },
	// Pupil screens only: staff screens are in English and Welsh.
	pl: { name: 'Polski', dir: 'ltr', staff: false },
	ur: { name: 'اردو', dir: 'rtl', staff: false }
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

/** The language for a staff screen: a pupil-only language falls back to English. */
export function staffLanguage(lang: Language): Language {
	return languages[lang].staff ? lang : defaultLanguage;
}
