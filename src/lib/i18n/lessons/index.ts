import { addStrings } from '$lib/i18n/i18n.svelte';
import cy from './cy.json';
import en from './en.json';

/**
 * The words of lesson, presenter and results screens, in English and Welsh. They load with
 * those screens, not with the pupil start screen.
 */
let added = false;
export function addLessonWords(): void {
	if (added) return;
	addStrings('en', en);
	addStrings('cy', cy);
	added = true;
}
