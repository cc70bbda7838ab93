import type { Page } from 'playwright-core';
import { protectivePath, type Lesson, type Question } from '$lib/domain/lesson';
import { answerList } from '$lib/domain/quiz';
import { expectAccessible } from '../support/axe';

/**
 * A pupil going through a lesson on the iPad screen, by the same data attributes the
 * component walk uses: options, bins, steps, places and story choices.
 */
export class LessonScreen {
	constructor(private page: Page) {}

	/** From the signed-in home: opens a lesson by its tile. */
	async open(lessonId: string) {
		await this.page.locator(`[data-lesson="${lessonId}"]`).first().click();
		await this.page.locator(`article.lesson[data-lesson="${lessonId}"]`).waitFor();
	}

	step() {
		return this.page.locator('article.lesson').getAttribute('data-step');
	}

	async next() {
		await this.page.getByTestId('next').click();
	}

	async throughScenes(lesson: Lesson) {
		for (const scene of lesson.scenes) {
			await this.page.getByTestId('scene').getByText(scene.text, { exact: false }).waitFor();
			await this.next();
		}
	}

	async answer(q: Question, { checkAccess = false } = {}) {
		const page = this.page;
		await page.locator(`[data-question="${q.id}"]`).waitFor();
		if (checkAccess) await expectAccessible(page);
		const tap = (selector: string) => page.locator(selector).first().click();
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
		if (checkAccess) await expectAccessible(page);
		await this.next();
	}

	async toTheEnd(lesson: Lesson, from = 0) {
		for (const q of lesson.questions.slice(from)) await this.answer(q);
		await this.page.getByTestId('lesson-end').waitFor();
		await this.page.locator('[data-saved="saved"]').waitFor();
	}
}
