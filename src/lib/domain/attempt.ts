import { z } from 'zod';

/**
 * A finished lesson as a class device sends it (the rules that check it against the lesson
 * are in quiz.ts). Kept apart from the lesson schema so that the pupil start screen, which
 * queues attempts, does not carry the whole lesson format.
 */
export const answerSchema = z.strictObject({
	questionId: z.string().min(1).max(64),
	given: z.array(z.string().min(1).max(80)).min(1).max(24),
	firstTime: z.boolean(),
	/** Goes it took to reach the right answer (1 = first time). */
	tries: z.number().int().min(1).max(99)
});
export type Answer = z.output<typeof answerSchema>;

/** A finished lesson, as a class device sends it through its outbox. */
export const attemptSchema = z.strictObject({
	id: z.string().uuid(),
	pupilId: z.string().uuid(),
	lessonId: z.string().min(1).max(80),
	version: z.string().min(1).max(40),
	language: z.enum(['en', 'cy']),
	startedAt: z.string().datetime(),
	completedAt: z.string().datetime(),
	answers: z.array(answerSchema).min(1).max(6),
	score: z.strictObject({
		correct: z.number().int().min(0).max(6),
		total: z.number().int().min(0).max(6)
	})
});
export type Attempt = z.output<typeof attemptSchema>;
