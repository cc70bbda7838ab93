import type { Language } from '$lib/i18n/languages';

const voices: Record<Language, string> = { en: 'en-GB', cy: 'cy-GB' };

/** Reads text aloud for pupils who are not reading yet. Quietly does nothing without speech. */
export function readAloud(text: string, lang: Language): boolean {
	if (typeof window === 'undefined' || !('speechSynthesis' in window)) return false;
	window.speechSynthesis.cancel();
	const utterance = new SpeechSynthesisUtterance(text);
	utterance.lang = voices[lang];
	utterance.rate = 0.9;
	window.speechSynthesis.speak(utterance);
	return true;
}
