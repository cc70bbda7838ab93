import { addStrings } from '$lib/i18n/i18n.svelte';
import type { Language } from '$lib/i18n/languages';
import cy from './cy.json';
import en from './en.json';
import { mediaStrings } from './media';
import pl from './pl.json';
import ur from './ur.json';

// Typed as English's shape, so a language missing a key fails the type check.
const flow: Record<Language, typeof en> = { en, cy, pl, ur };
let added = false;

/** Registers the "Tell an adult" words in every language; loaded with the flow itself. */
export function addTellStrings(): void {
	if (added) return;
	added = true;
	for (const lang of Object.keys(flow) as Language[]) {
		addStrings(lang, flow[lang]);
		addStrings(lang, mediaStrings(lang));
	}
}
