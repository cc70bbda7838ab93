/** Letters and digits only, in lower case: "Yes!", "yes." and "Yes" are the same words. */
function fold(text: string): string {
	return text
		.toLocaleLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

/**
 * The word a feedback box opens with ("Yes!", "Have another think."), or null when the
 * reason already says it, or one of `sameAs`, at its start or its end. Lesson writers often
 * begin a reason with "Yes!": a pupil should see it, and hear it read, once.
 */
export function openingWord(word: string, reason: string, sameAs: string[] = []): string | null {
	const said = fold(reason);
	for (const candidate of [word, ...sameAs].map(fold).filter(Boolean)) {
		if (said === candidate || said.startsWith(`${candidate} `) || said.endsWith(` ${candidate}`))
			return null;
	}
	return word;
}
