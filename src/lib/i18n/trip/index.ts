import { addStrings } from '$lib/i18n/i18n.svelte';
import cy from './cy.json';
import en from './en.json';

/** The words of the photo-check (trip) screens, added when those screens load. */
let added = false;
export function addTripWords(): void {
	if (added) return;
	addStrings('en', en);
	addStrings('cy', cy);
	added = true;
}
