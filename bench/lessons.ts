import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { demoStaff } from '../src/lib/server/demo/demo-school';
import { lessonsForYear } from '../src/lib/server/services/lesson.service';
import { PupilScreen } from '../test/e2e/pages/pupil-pages';
import { launchWithProfile } from '../test/e2e/support/browser';
import { enrolledClassIPad } from '../test/e2e/support/class-ipad';
import { actorFor, classIdByName, openSchool } from '../test/e2e/support/school';
import type { RunningServer } from '../test/e2e/support/server';
import { median, report } from './report';

const runs = 7;

/** Every file the service worker precaches: the built client and static files (not .gz/.br copies). */
function precached(dir = 'build/client'): string[] {
	return readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.map((f) => join(dir, f))
		.filter((f) => statSync(f).isFile() && !/\.(gz|br)$/.test(f));
}

/** A lesson's own chunk: the built module holding one lesson's words (and pictures). */
const isLessonChunk = (text: string) =>
	text.includes('teacherNotes') &&
	/["']?disclosure["']?\s*:\s*["'`]/.test(text) &&
	text.includes('keyMessage');

/** "Find my name" up to "Is this you?" (the bench iPad has no camera). */
const pickName = (page: Page, name: string) => new PupilScreen(page, '').findMyName(name);
async function confirm(page: Page) {
	await new PupilScreen(page, '').itsMe();
	await page.getByRole('heading', { name: 'My lessons' }).waitFor();
}

/**
 * Lessons: the JavaScript a pupil's iPad fetches to see its lessons and open one, the time
 * from tapping a lesson to its first scene with the server stopped and the CPU slowed 4×
 * (after a cold start of the browser), and how much the offline cache holds for lessons.
 */
export async function lessonBenchmarks(server: RunningServer): Promise<void> {
	const files = precached();
	const lessonFiles = files.filter(
		(f) => f.endsWith('.js') && isLessonChunk(readFileSync(f, 'utf8'))
	);
	const bytes = (list: string[]) => list.reduce((n, f) => n + statSync(f).size, 0);
	const gz = (list: string[]) => list.reduce((n, f) => n + gzipSync(readFileSync(f)).length, 0);
	report('lesson chunks precached (one a lesson and language)', lessonFiles.length, 'files');
	report('precache for all lessons', bytes(lessonFiles) / 1024, 'KB');
	report('precache for all lessons, gzip as served', gz(lessonFiles) / 1024, 'KB');
	report('precache for the whole app', bytes(files) / 1024, 'KB');

	const school = await openSchool(server.dbFile);
	const teacher = await actorFor(school, demoStaff.year4.email);
	const kestrels = await classIdByName(school, teacher, 'Kestrels');
	const pupil = await school.db
		.selectFrom('pupil')
		.select(['first_name', 'last_initial'])
		.where('class_id', '=', kestrels)
		.executeTakeFirstOrThrow();
	const name = `${pupil.first_name} ${pupil.last_initial}.`;
	const lesson = lessonsForYear(school.lessons.all, 4)[0]!;

	const profile = mkdtempSync(join(tmpdir(), 'lantern-bench-lessons-'));
	try {
		const { context, page } = await enrolledClassIPad(
			server.url,
			school,
			teacher,
			{ name: 'Bench iPad', classIds: [kestrels] },
			profile
		);
		await school.close();
		await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active !== null);
		await pickName(page, name);
		await page.waitForLoadState('networkidle');
		// Count what is fetched from here on (the pupil signed in), from the network or the
		// service worker alike.
		const fetched = new Map<string, Promise<Buffer>>();
		const phase = { name: 'list' as 'list' | 'lesson' };
		const seen: Record<'list' | 'lesson', string[]> = { list: [], lesson: [] };
		page.on('response', (response) => {
			if (response.request().resourceType() !== 'script' || fetched.has(response.url())) return;
			fetched.set(response.url(), response.body());
			seen[phase.name].push(response.url());
		});
		await confirm(page);
		await page.waitForLoadState('networkidle');
		phase.name = 'lesson';
		await page.locator(`button.lesson-tile[data-lesson="${lesson.id}"]`).click();
		await page.getByTestId('scene').waitFor();
		await page.waitForLoadState('networkidle');
		const size = async (urls: string[]) =>
			(await Promise.all(urls.map((u) => fetched.get(u)!))).reduce(
				(n, b) => n + gzipSync(b, { level: 9 }).length,
				0
			);
		report(
			'JavaScript to show a signed-in pupil their lessons (gzip, after the start screen)',
			(await size(seen.list)) / 1024,
			'KB'
		);
		report(
			'JavaScript to open a lesson (gzip, after the list)',
			(await size(seen.lesson)) / 1024,
			'KB'
		);
		await context.close();
		await server.stop();

		const times: number[] = [];
		for (let i = 0; i < runs; i++) {
			const cold = await launchWithProfile(profile);
			const tab = cold.pages()[0] ?? (await cold.newPage());
			const cdp = await cold.newCDPSession(tab);
			await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
			await tab.goto(server.url + '/pupil', { waitUntil: 'commit' });
			await tab.locator('[data-ready="true"]').waitFor();
			await pickName(tab, name);
			await confirm(tab);
			await tab.locator(`button.lesson-tile[data-lesson="${lesson.id}"]`).click();
			await tab.getByTestId('scene').waitFor();
			times.push(
				await tab.evaluate(
					() =>
						performance.measure('lesson', 'lantern:lesson-tapped', 'lantern:lesson-shown').duration
				)
			);
			await cold.close();
		}
		report(
			'tap a lesson to its first scene, offline cold start, 4× CPU throttle (median of 7)',
			median(times),
			'ms'
		);
		report('tap a lesson to its first scene, slowest of 7', Math.max(...times), 'ms');
	} finally {
		rmSync(profile, { recursive: true, force: true });
		await server.restart();
	}
}
