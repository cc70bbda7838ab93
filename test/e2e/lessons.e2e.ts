import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lesson } from '$lib/domain/lesson';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoStaff } from '$lib/server/demo/demo-school';
import { classDetail } from '$lib/server/services/class.service';
import { lessonsForYear } from '$lib/server/services/lesson.service';
import { LessonScreen } from './pages/lesson-pages';
import { ChromiumUi } from './support/ui';
import { PupilScreen } from './pages/pupil-pages';
import { expectAccessible } from './support/axe';
import { launchWithProfile } from './support/browser';
import { actorFor, classIdByName, openSchool } from './support/school';
import { enrolledClassIPad } from './support/class-ipad';
import { startServer, type RunningServer } from './support/server';

describe('lessons on a class iPad', () => {
	let server: RunningServer;
	let school: AppContext & { close(): Promise<void> };
	let teacher: StaffActor;
	let context: BrowserContext;
	let page: Page;
	let pupils: { id: string; name: string; firstName: string }[];
	let lessons: Lesson[];
	const dir = mkdtempSync(join(tmpdir(), 'lantern-lessons-'));

	beforeAll(async () => {
		server = await startServer({ seed: 'demo' });
		school = await openSchool(server.dbFile);
		teacher = await actorFor(school, demoStaff.year4.email);
		const kestrels = await classIdByName(school, teacher, 'Kestrels');
		pupils = (await classDetail(school, teacher, kestrels))!.pupils.map((p) => ({
			id: p.id,
			firstName: p.firstName,
			name: `${p.firstName} ${p.lastInitial}.`
		}));
		lessons = lessonsForYear(school.lessons.all, 4);
		({ context, page } = await enrolledClassIPad(
			server.url,
			school,
			teacher,
			{ name: 'Kestrels iPad', classIds: [kestrels] },
			dir
		));
	});
	afterAll(async () => {
		await context?.close();
		await school?.close();
		await server?.stop();
		server?.cleanUp();
		rmSync(dir, { recursive: true, force: true });
	});

	/** This iPad has no camera, so pupils use "Find my name" (the demo's Kestrels have no picture passwords). */
	async function signIn(pupil: { name: string; firstName: string }) {
		const screen = new PupilScreen(page, server.url);
		await screen.findMyName(pupil.name);
		await screen.itsMe();
		await screen.waitUntilSignedIn(pupil.firstName);
		await page.getByRole('heading', { name: 'My lessons' }).waitFor();
	}
	async function finish() {
		await page.getByRole('button', { name: "I've finished" }).click();
		await page.getByRole('heading', { name: 'Scan your card' }).waitFor();
	}
	const tile = (lessonId: string) => page.locator(`button.lesson-tile[data-lesson="${lessonId}"]`);
	/** Waits for a lesson's tile to say how far the pupil got (it is read from the device's storage). */
	const tileSays = (lessonId: string, words: string) =>
		tile(lessonId).filter({ hasText: words }).waitFor({ timeout: 5000 });
	const attemptsOf = async (pupilId: string) =>
		school.db.selectFrom('lesson_attempt').selectAll().where('pupil_id', '=', pupilId).execute();
	async function waitForAttempts(pupilId: string, count: number) {
		const until = Date.now() + 30_000;
		while ((await attemptsOf(pupilId)).length < count) {
			if (Date.now() > until) throw new Error(`no attempt arrived for ${pupilId}`);
			await new Promise((r) => setTimeout(r, 250));
		}
	}

	it('lists the year’s lessons, walks one to the end, and the server stores it once', async () => {
		const [pupil] = pupils;
		await signIn(pupil!);
		expect(await page.locator('button.lesson-tile').count()).toBe(lessons.length);
		await tileSays(lessons[0]!.id, 'New');
		await expectAccessible(page);

		const lesson = lessons[0]!;
		const screen = new LessonScreen(new ChromiumUi(page));
		await screen.open(lesson.id);
		await expectAccessible(page);
		await screen.throughScenes(lesson);
		for (const [i, q] of lesson.questions.entries()) await screen.answer(q, { checkAccess: i < 2 });
		await page.getByTestId('lesson-end').getByText(lesson.keyMessage).waitFor();
		await page.locator('[data-saved="saved"]').waitFor();
		await expectAccessible(page);

		await waitForAttempts(pupil!.id, 1);
		const [stored] = await attemptsOf(pupil!.id);
		expect(stored).toMatchObject({ lesson_id: lesson.id, lesson_version: lesson.version });
		expect(Number(stored!.total)).toBe(
			lesson.questions.filter((q) => q.type !== 'how-sure').length
		);
		expect(Number(stored!.correct)).toBe(Number(stored!.total));

		await page.getByRole('button', { name: 'My lessons' }).first().click();
		await tileSays(lesson.id, 'Finished');
		// A reload sends whatever is left again: the server still has one attempt.
		await page.reload();
		await page.locator('[data-ready="true"]').waitFor();
		await page.waitForTimeout(1000);
		expect(await attemptsOf(pupil!.id)).toHaveLength(1);
		// The finished mark comes back from the server for the next sign-in.
		await signIn(pupil!);
		await tileSays(lesson.id, 'Finished');
		await finish();
	});

	it('lets a pupil carry on later, and shows the next pupil nothing of it', async () => {
		const [, first, second] = pupils;
		const lesson = lessons[1]!;
		const screen = new LessonScreen(new ChromiumUi(page));
		await signIn(first!);
		await screen.open(lesson.id);
		await screen.throughScenes(lesson);
		await screen.answer(lesson.questions[0]!);
		await page.getByRole('button', { name: 'My lessons' }).first().click();
		await tileSays(lesson.id, 'Carry on');
		await finish();

		await signIn(second!);
		await tileSays(lesson.id, 'New');
		await screen.open(lesson.id);
		expect(await screen.step()).toBe('0');
		await page.getByRole('button', { name: 'My lessons' }).first().click();
		await finish();

		await signIn(first!);
		await tileSays(lesson.id, 'Carry on');
		await screen.open(lesson.id);
		expect(await screen.step()).toBe(String(lesson.scenes.length + 1));
		await screen.toTheEnd(lesson, 1);
		await waitForAttempts(first!.id, 1);
		await finish();
	});

	it('opens a lesson from a cold start with the server stopped, and sends it when the server is back', async () => {
		const pupil = pupils[3]!;
		const lesson = lessons[2]!;
		await server.stop();
		await context.close();
		context = await launchWithProfile(dir);
		page = context.pages()[0] ?? (await context.newPage());
		await page.goto(server.url + '/pupil');
		await page.locator('[data-ready="true"]').waitFor();
		await signIn(pupil);
		const screen = new LessonScreen(new ChromiumUi(page));
		// Never opened on this iPad before: it comes from the offline cache.
		await screen.open(lesson.id);
		const picture = page.getByTestId('scene').locator('img, [role="img"]').first();
		expect(await picture.count()).toBe(1);
		await expectAccessible(page);
		await screen.throughScenes(lesson);
		await screen.toTheEnd(lesson);
		expect(await attemptsOf(pupil.id)).toHaveLength(0);

		await server.restart();
		await waitForAttempts(pupil.id, 1);
		await page.waitForTimeout(1000);
		expect(await attemptsOf(pupil.id)).toHaveLength(1);
		await finish();
	});
});
