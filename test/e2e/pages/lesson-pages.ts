import { protectivePath, type Lesson, type Question } from '$lib/domain/lesson';
import { answerList } from '$lib/domain/quiz';
import type { Ui } from '../support/ui';

/**
 * A pupil going through a lesson on the iPad screen, by the same data attributes the
 * component walk uses: options, bins, steps, places and story choices.
 */
export class LessonScreen {
	constructor(private ui: Ui) {}

	/** From the signed-in home: opens a lesson by its tile. */
	async open(lessonId: string) {
		await this.ui.tap(`[data-lesson="${lessonId}"]`);
		await this.ui.waitForSelector(`article.lesson[data-lesson="${lessonId}"]`);
	}

	step() {
		return this.ui.attribute('article.lesson', 'data-step');
	}

	async next() {
		await this.ui.tap('[data-testid="next"]');
	}

	async throughScenes(lesson: Lesson) {
		for (const scene of lesson.scenes) {
			await this.ui.waitUntil(
				"const s = document.querySelector('[data-testid=scene]'); return s !== null && s.textContent.includes(arguments[0])",
				undefined,
				scene.text
			);
			await this.next();
		}
	}

	async answer(q: Question, { checkAccess = false } = {}) {
		await this.ui.waitForSelector(`[data-question="${q.id}"]`);
		if (checkAccess) await this.ui.expectAccessible();
		const tap = (selector: string) => this.ui.tap(selector);
		switch (q.type) {
			case 'choice':
				for (const id of answerList(q.answer)) await tap(`[data-option="${id}"]`);
				break;
			case 'best-step':
				await tap(`[data-option="${q.options.find((o) => o.step === 'best')!.id}"]`);
				break;
			case 'thumbs':
				await tap(`[data-option="${q.answer}"]`);
				break;
			case 'how-sure':
				await tap('[data-option="sure"]');
				break;
			case 'sort':
			case 'always-sometimes-never':
				for (const item of q.items) await tap(`[data-item="${item.id}"] [data-bin="${item.bin}"]`);
				await tap('[data-testid="check"]');
				break;
			case 'order':
				for (const step of q.steps) await tap(`[data-step="${step.id}"]`);
				break;
			case 'hotspot':
				for (const id of answerList(q.answer)) await tap(`[data-spot="${id}"]`);
				break;
			case 'branching':
				for (const next of protectivePath(q)!.slice(1)) await tap(`[data-next="${next}"]`);
				break;
		}
		if (checkAccess) await this.ui.expectAccessible();
		await this.next();
	}

	async toTheEnd(lesson: Lesson, from = 0, { checkAccess = false } = {}) {
		for (const q of lesson.questions.slice(from)) await this.answer(q, { checkAccess });
		await this.ui.waitForTestId('lesson-end');
		await this.ui.waitForSelector('[data-saved="saved"]');
	}
}
