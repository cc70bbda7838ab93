import { randomUUID } from 'node:crypto';
import { protectivePath, type Question } from '$lib/domain/lesson';
import { answerList, scoreOf, type Answer } from '$lib/domain/quiz';
import type { AppContext, StaffActor } from '../context';
import { listPupilsOfClass } from '../repositories/pupil.repository';
import type { DeviceActor } from '../services/device.service';
import { lessonsForYear, submitAttempt } from '../services/lesson.service';

/**
 * Made-up lesson results for the demo: most pupils of each class have finished the first
 * lessons of their year, some needing a second go at a question, so a teacher's results page
 * has a grid, strands, "hardest questions" and a recap quiz to show.
 */

/** An answer a pupil could have given: right first time, or right at the second go. */
export function sampleAnswer(q: Question, rightFirstTime: boolean, pick = 0): Answer {
	const right = (given: string[]): Answer => ({
		questionId: q.id,
		given,
		firstTime: true,
		tries: 1
	});
	const second = (given: string[]): Answer => ({
		questionId: q.id,
		given,
		firstTime: false,
		tries: 2
	});
	switch (q.type) {
		case 'choice':
		case 'hotspot': {
			const ids = q.type === 'choice' ? q.options.map((o) => o.id) : q.spots.map((s) => s.id);
			const wanted = answerList(q.answer);
			const wrong = ids.find((id) => !wanted.includes(id));
			return rightFirstTime || !wrong ? right(wanted) : second([wrong]);
		}
		case 'best-step': {
			const best = q.options.find((o) => o.step === 'best')!.id;
			const other = q.options.find((o) => o.step !== 'best')!.id;
			return rightFirstTime ? right([best]) : second([other]);
		}
		case 'thumbs':
			return rightFirstTime ? right([q.answer]) : second([q.answer === 'up' ? 'down' : 'up']);
		case 'how-sure':
			return right([(['sure', 'bit-sure', 'not-sure'] as const)[pick % 3]!]);
		case 'sort':
		case 'always-sometimes-never': {
			const bins = q.type === 'sort' ? ['ok', 'ask', 'not-ok'] : ['always', 'sometimes', 'never'];
			const placed = q.items.map((i) => `${i.id}=${i.bin}`);
			if (rightFirstTime) return right(placed);
			const first = q.items[0]!;
			const elsewhere = bins.find((b) => b !== first.bin)!;
			return second([`${first.id}=${elsewhere}`, ...placed.slice(1)]);
		}
		case 'order': {
			const ids = q.steps.map((s) => s.id);
			return rightFirstTime ? right(ids) : second([ids[1]!, ids[0]!, ...ids.slice(2)]);
		}
		case 'branching': {
			// The second go: a path to an ending that asks to think again, where there is one.
			const rethink = (id: string, seen: string[]): string[] | null => {
				const node = q.nodes.find((n) => n.id === id);
				if (!node || seen.includes(id)) return null;
				if (node.ending) return node.ending === 'rethink' ? [id] : null;
				for (const c of node.choices ?? []) {
					const rest = rethink(c.next, [...seen, id]);
					if (rest) return [id, ...rest];
				}
				return null;
			};
			const detour = rightFirstTime ? null : rethink(q.start, []);
			return detour ? second(detour) : right(protectivePath(q)!);
		}
	}
}

/** A small, fixed pseudo-random sequence, so the demo looks the same every time. */
function sequence(seed: number): () => number {
	let s = seed;
	return () => {
		s = (s * 1103515245 + 12345) % 2147483648;
		return s / 2147483648;
	};
}

export async function addDemoLessonResults(
	ctx: AppContext,
	admin: StaffActor,
	classes: { classId: string; yearGroup: number; device: DeviceActor }[]
): Promise<number> {
	const random = sequence(20261122);
	const now = ctx.clock.now().getTime();
	let stored = 0;
	for (const { classId, yearGroup, device } of classes) {
		const pupils = await listPupilsOfClass(ctx.db, admin.schoolId, classId);
		const lessons = lessonsForYear(ctx.lessons.all, yearGroup).slice(0, 3);
		// Fewer pupils have reached each later lesson: 9, then 7, then 4 of the class.
		const reached = [9, 7, 4];
		for (const [li, lesson] of lessons.entries()) {
			for (const [pi, pupil] of pupils.slice(0, reached[li]).entries()) {
				const answers = lesson.questions.map((q, qi) =>
					// The second question of each lesson is the one classes find hardest.
					sampleAnswer(q, random() < (qi === 1 ? 0.45 : 0.85), pi)
				);
				const completedAt = new Date(now - (21 - li * 7) * 86_400_000 + pi * 60_000);
				const startedAt = new Date(completedAt.getTime() - 15 * 60_000);
				const then = { ...ctx, clock: { now: () => new Date(completedAt.getTime() + 30_000) } };
				const result = await submitAttempt(then, device, {
					id: randomUUID(),
					pupilId: pupil.id,
					lessonId: lesson.id,
					version: lesson.version,
					language: 'en',
					startedAt: startedAt.toISOString(),
					completedAt: completedAt.toISOString(),
					answers,
					score: scoreOf(lesson, answers)
				});
				if (result.status !== 201)
					throw new Error(`Demo lesson result was refused: ${JSON.stringify(result.body)}`);
				stored++;
			}
		}
	}
	return stored;
}
