import { addStrings } from '$lib/i18n/i18n.svelte';
import cy from './cy.json';
import en from './en.json';

/**
 * The words of the audit page (and its CSV): kept out of the main bundle. Importing this
 * module registers them; the staff layout and the CSV export import it.
 */
addStrings('en', en);
addStrings('cy', cy);
