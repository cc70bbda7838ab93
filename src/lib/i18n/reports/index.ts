import { addStrings } from '$lib/i18n/i18n.svelte';
import cy from './cy.json';
import en from './en.json';

/**
 * The words of the staff reports screens (inbox, report page, incident log, summary): kept
 * out of the main bundle, which the pupil start screen also loads. Importing this module
 * registers them; the staff layout and the CSV export import it.
 */
// (Welsh plurals use the base key, so the two files are compared by the locales test.)
addStrings('en', en);
addStrings('cy', cy);
