import type { Language } from '$lib/i18n/languages';

const voices: Record<Language, string> = { en: 'en-GB', cy: 'cy-GB', pl: 'pl-PL', ur: 'ur-PK' };

function voiceFor(lang: Language): SpeechSynthesisVoice | null {
	const all = window.speechSynthesis.getVoices();
	const exact = all.find((v) => v.lang.replace('_', '-') === voices[lang]);
	return exact ?? all.find((v) => v.lang.toLowerCase().startsWith(lang)) ?? null;
}

/**
 * Whether this device can read this language aloud. Where it has no voice for it, the words
 * are shown in writing only (an English voice reading Urdu would help nobody). Browsers that
 * have not listed their voices yet are given the benefit of the doubt for English.
 */
export function canReadAloud(lang: Language): boolean {
	if (typeof window === 'undefined' || !('speechSynthesis' in window)) return false;
	if (window.speechSynthesis.getVoices().length === 0) return lang === 'en';
	return voiceFor(lang) !== null;
}

/** Reads text aloud for pupils who are not reading yet. Quietly does nothing without speech. */
export function readAloud(text: string, lang: Language): boolean {
	if (!canReadAloud(lang)) return false;
	window.speechSynthesis.cancel();
	const utterance = new SpeechSynthesisUtterance(text);
	utterance.lang = voices[lang];
	const voice = voiceFor(lang);
	if (voice) utterance.voice = voice;
	utterance.rate = 0.9;
	window.speechSynthesis.speak(utterance);
	return true;
}
