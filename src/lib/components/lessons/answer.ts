import type { Given } from '$lib/domain/quiz';

/** What a question component reports once the pupil has reached the right answer. */
export interface Answered {
	/** The first answer, as `quiz.ts` describes it. */
	given: Given;
	firstTime: boolean;
	tries: number;
}

/**
 * A fixed shuffle (the same every time for the same question), never the right order itself
 * when there is another: pupils see steps mixed up, and a reload shows them the same way.
 */
export function shuffled<T>(items: readonly T[], seed: string): T[] {
	let h = 2166136261;
	for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
	const next = () => {
		h = Math.imul(h ^ (h >>> 15), 2246822507);
		h = Math.imul(h ^ (h >>> 13), 3266489909);
		return ((h ^= h >>> 16) >>> 0) / 4294967296;
	};
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(next() * (i + 1));
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	if (out.length > 1 && out.every((x, i) => x === items[i])) out.push(out.shift()!);
	return out;
}
