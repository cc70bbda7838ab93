import { z } from 'zod';

/**
 * What we keep about a pupil: first name and last initial only, with their class.
 * No date of birth, no address, no full surname — the school's data-minimising policy.
 */
// Straight and curly apostrophes alike (D’Arcy, as spreadsheets and phones type it).
const namePattern = /^[\p{L}][\p{L}\p{M}'\u2019 -]*$/u;

export const firstNameSchema = z
	.string()
	.trim()
	.min(1, 'pupil.error.firstNameMissing')
	.max(40, 'pupil.error.firstNameTooLong')
	.regex(namePattern, 'pupil.error.firstNameLetters');

/** Accepts a surname or an initial and keeps only the initial, upper-cased. */
export const lastInitialSchema = z
	.string()
	.trim()
	.min(1, 'pupil.error.lastNameMissing')
	.max(60, 'pupil.error.lastNameTooLong')
	.regex(namePattern, 'pupil.error.lastNameLetters')
	.transform((value) => firstLetter(value));

export const newPupilSchema = z.object({
	firstName: firstNameSchema,
	lastInitial: lastInitialSchema
});
export type NewPupil = z.output<typeof newPupilSchema>;

function firstLetter(value: string): string {
	const [letter] = Array.from(value);
	return (letter ?? '').toLocaleUpperCase('en-GB');
}

/** How a pupil is shown to staff: "Ada L." */
export function displayName(pupil: { firstName: string; lastInitial: string }): string {
	return `${pupil.firstName} ${pupil.lastInitial}.`;
}
