import { protectivePath, type Lesson, type Question } from '$lib/domain/lesson';
import { answerList } from '$lib/domain/quiz';
import type { TFunction } from 'i18next';

/** One slide of presenter mode: the title, each scene, each question, the key message. */
export type Slide =
	| { kind: 'title' }
	| { kind: 'scene'; index: number }
	| { kind: 'question'; index: number }
	| { kind: 'end' };

export function slidesOf(lesson: Pick<Lesson, 'scenes' | 'questions'>): Slide[] {
	return [
		{ kind: 'title' },
		...lesson.scenes.map((_, index) => ({ kind: 'scene' as const, index })),
		...lesson.questions.map((_, index) => ({ kind: 'question' as const, index })),
		{ kind: 'end' }
	];
}

/** What the class can vote for on a question: its options, bins, steps, places or choices. */
export function voteOptions(q: Question, t: TFunction): { id: string; label: string }[] {
	switch (q.type) {
		case 'choice':
		case 'best-step':
			return q.options.map((o) => ({ id: o.id, label: o.text }));
		case 'thumbs':
			return [
				{ id: 'up', label: t('lesson.thumbsUp') },
				{ id: 'down', label: t('lesson.thumbsDown') }
			];
		case 'how-sure':
			return [
				{ id: 'sure', label: t('lesson.sure') },
				{ id: 'bit-sure', label: t('lesson.bitSure') },
				{ id: 'not-sure', label: t('lesson.notSure') }
			];
		case 'sort':
			return (['ok', 'ask', 'not-ok'] as const).map((b) => ({
				id: b,
				label: t(`lesson.bin.${b}`)
			}));
		case 'always-sometimes-never':
			return (['always', 'sometimes', 'never'] as const).map((b) => ({
				id: b,
				label: t(`lesson.bin.${b}`)
			}));
		case 'order':
			return q.steps.map((s) => ({ id: s.id, label: s.text }));
		case 'hotspot':
			return q.spots.map((s) => ({ id: s.id, label: s.label }));
		case 'branching': {
			const start = q.nodes.find((n) => n.id === q.start);
			return (start?.choices ?? []).map((c) => ({ id: c.next, label: c.text }));
		}
	}
}

/** The answer in words, for "Show the answer" and the teacher's notes. */
export function answerInWords(q: Question, t: TFunction): string[] {
	switch (q.type) {
		case 'choice':
			return q.options
				.filter((o) => answerList(q.answer).includes(o.id))
				.map((o) => `${o.text}: ${o.feedback}`);
		case 'best-step':
			return q.options.filter((o) => o.step === 'best').map((o) => `${o.text}: ${o.feedback}`);
		case 'thumbs':
			return [
				`${t(q.answer === 'up' ? 'lesson.thumbsUp' : 'lesson.thumbsDown')}: ${q.feedback[q.answer]}`
			];
		case 'how-sure':
			return [];
		case 'sort':
		case 'always-sometimes-never':
			return q.items.map((i) => `${i.text} → ${t(`lesson.bin.${i.bin}`)}`);
		case 'order':
			return q.steps.map((s, i) => `${i + 1}. ${s.text}`);
		case 'hotspot':
			return q.spots
				.filter((s) => answerList(q.answer).includes(s.id))
				.map((s) => `${s.label}: ${s.feedback}`);
		case 'branching': {
			// The protective path: each choice, then the good ending it leads to.
			const path = protectivePath(q) ?? [];
			return path.flatMap((id, i) => {
				const node = q.nodes.find((n) => n.id === id);
				const choice = node?.choices?.find((c) => c.next === path[i + 1]);
				return choice ? [choice.text] : node?.ending ? [node.text] : [];
			});
		}
	}
}
