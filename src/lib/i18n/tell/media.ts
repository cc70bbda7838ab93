import cy from './media.cy.json';
import en from './media.en.json';
import pl from './media.pl.json';
import ur from './media.ur.json';

/** The words for drawing and voice notes in "Tell an adult", shaped { tell: { draw, voice } }. */
export type MediaStrings = typeof en;
export type MediaLanguage = 'en' | 'cy' | 'pl' | 'ur';

// Typed as English's shape, so a language missing a key fails the type check.
const strings: Record<MediaLanguage, MediaStrings> = { en, cy, pl, ur };

export function mediaStrings(lang: MediaLanguage): MediaStrings {
	return strings[lang];
}
