import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Lesson } from '$lib/domain/lesson';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { folderLibrary } from '$lib/server/lessons/folder-library';
import { SignInPage } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { openPage } from './support/browser';
import { actorFor, classIdByName, openSchool } from './support/school';
import { browserSuite } from './support/suite';

const library = folderLibrary();

async function signedInTeacher(page: Page, base: string, email: string) {
	const signIn = new SignInPage(page, base);
	await signIn.open();
	await signIn.signIn(email, demoPassword);
	await page.waitForURL('**/staff**');
}

describe('presenter mode on the whiteboard', () => {
	const suite = browserSuite({ seed: 'demo' });
	let lesson: Lesson;
	beforeAll(() => {
		lesson = library.get('k1-trusted-grown-ups')!;
	});

	it('moves by keyboard and clicker keys, counts a class vote, and keeps notes off the whiteboard', async () => {
		const page = await openPage(suite.browser);
		const context = page.context();
		await signedInTeacher(page, suite.server.url, demoStaff.year1.email);
		await page.goto(suite.server.url + '/staff/lessons');
		await expectAccessible(page);
		await page.locator(`[data-present="${lesson.id}"]`).click();
		const presenter = page.getByTestId('presenter');
		await presenter.waitFor();
		await page.waitForSelector('html[data-hydrated="true"]');
		const step = () => presenter.getAttribute('data-step');
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(lesson.title);
		await expectAccessible(page);

		// Arrow keys and Page Down / Page Up (what a clicker sends); Home and End.
		await page.keyboard.press('ArrowRight');
		expect(await step()).toBe('1');
		await page.getByText(lesson.scenes[0]!.text).waitFor();
		await page.keyboard.press('PageDown');
		expect(await step()).toBe('2');
		await page.keyboard.press('PageUp');
		expect(await step()).toBe('1');
		await page.keyboard.press('End');
		await page.getByText(lesson.keyMessage).waitFor();
		await page.keyboard.press('Home');
		expect(await step()).toBe('0');

		// Nothing of the teacher notes is on the whiteboard.
		const body = await page.locator('body').innerText();
		expect(body).not.toContain(lesson.teacherNotes.disclosure.slice(0, 40));
		for (const scene of lesson.scenes) {
			if (scene.notes) expect(body).not.toContain(scene.notes);
		}

		// The notes open in their own window and follow the presenter.
		const [notes] = await Promise.all([
			context.waitForEvent('page'),
			page.getByTestId('open-notes').click()
		]);
		await notes.getByTestId('notes').waitFor();
		await notes.waitForSelector('html[data-hydrated="true"]');
		expect(await notes.getByTestId('disclosure-notes').innerText()).toContain(
			lesson.teacherNotes.disclosure.slice(0, 40)
		);
		await expectAccessible(notes);
		await page.bringToFront();
		await page.keyboard.press('ArrowRight');
		await notes.locator('[data-testid="notes"][data-step="1"]').waitFor();
		expect(await notes.getByTestId('notes-current').innerText()).toBe(lesson.scenes[0]!.text);
		// And the teacher can move the whiteboard on from the notes window.
		await notes.getByRole('button', { name: /Next/ }).click();
		await page.locator('[data-testid="presenter"][data-step="2"]').waitFor();

		// A question: count the class's hands, then show the answer.
		const firstQuestion = lesson.scenes.length + 1;
		for (let i = 2; i < firstQuestion; i++) await page.keyboard.press('ArrowRight');
		await page
			.locator(`[data-question="${lesson.questions[0]!.id}"], [data-type]`)
			.first()
			.waitFor();
		const tally = page.getByTestId('tally');
		const option = lesson.questions[0]!.type === 'choice' ? lesson.questions[0]!.options[0]! : null;
		await tally.getByRole('button', { name: `Add a vote for ${option!.text}` }).click();
		await tally.getByRole('button', { name: `Add a vote for ${option!.text}` }).click();
		await tally.getByText('2 votes').waitFor();
		await page.getByRole('button', { name: 'Show the answer' }).click();
		await page.getByTestId('answer').waitFor();
		await expectAccessible(page);
		// Moving on clears the answer; the keys still work after clicking on the page.
		await page.keyboard.press('ArrowRight');
		expect(await page.getByTestId('answer').count()).toBe(0);
		await notes.close();
		await context.close();
	});

	it('presents a Welsh lesson in Welsh', async () => {
		const page = await openPage(suite.browser);
		const context = page.context();
		await signedInTeacher(page, suite.server.url, demoStaff.year1.email);
		await page.goto(suite.server.url + `/staff/lessons/${lesson.id}/present?lang=cy`);
		await page.getByTestId('presenter').waitFor();
		expect(await page.getByTestId('presenter').getAttribute('lang')).toBe('cy');
		expect(await page.getByRole('heading', { level: 1 }).innerText()).not.toBe(lesson.title);
		await expectAccessible(page);
		await context.close();
	});
});

describe('lesson results for a class', () => {
	const suite = browserSuite({ seed: 'demo-reports' });

	it('shows pupils × lessons, strands and hardest questions, exports CSV and presents a recap', async () => {
		const school = await openSchool(suite.server.dbFile);
		const teacher = await actorFor(school, demoStaff.year4.email);
		const kestrels = await classIdByName(school, teacher, 'Kestrels');
		await school.close();
		const page = await openPage(suite.browser);
		const context = page.context();
		await signedInTeacher(page, suite.server.url, demoStaff.year4.email);
		await page.goto(suite.server.url + `/staff/classes/${kestrels}`);
		await page.getByRole('link', { name: 'Lesson results' }).click();
		await page.getByRole('heading', { name: 'Lesson results: Kestrels' }).waitFor();
		await expectAccessible(page);

		const grid = page.getByTestId('results-grid');
		expect(await grid.locator('tbody tr').count()).toBe(12);
		expect(await grid.getByText('first time').count()).toBeGreaterThan(10);
		expect(await page.getByTestId('hardest').locator('li').count()).toBeGreaterThan(0);
		expect(await page.getByTestId('strands').locator('tbody tr').count()).toBe(8);

		const csv = await page.request.get(
			suite.server.url + `/staff/classes/${kestrels}/results/export`
		);
		expect(csv.status()).toBe(200);
		expect(csv.headers()['content-type']).toContain('text/csv');
		expect((await csv.text()).split('\r\n')[0]).toContain('Pupil');

		await page.getByRole('link', { name: 'Present a recap quiz of these questions' }).click();
		await page.getByTestId('presenter').waitFor();
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Recap quiz: Kestrels');
		await expectAccessible(page);
		await page.keyboard.press('ArrowRight');
		await page.getByTestId('tally').waitFor();
		await expectAccessible(page);

		// Another class's teacher is refused.
		const other = await openPage(suite.browser);
		await signedInTeacher(other, suite.server.url, demoStaff.year1.email);
		const refused = await other.goto(suite.server.url + `/staff/classes/${kestrels}/results`);
		expect(refused?.status()).toBe(403);
		await other.context().close();
		await context.close();
	});
});
