import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '$lib/i18n/languages';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoStaff } from '$lib/server/demo/demo-school';
import { classDetail } from '$lib/server/services/class.service';
import {
	makePicturePasswords,
	type PictureSlip
} from '$lib/server/services/picture-password.service';
import { PupilScreen } from './pages/pupil-pages';
import { expectAccessible } from './support/axe';
import { enrolledClassIPad } from './support/class-ipad';
import { actorFor, classIdByName, openSchool } from './support/school';
import { startServer, type RunningServer } from './support/server';
import { wordsIn } from './support/words';

/** The class iPads schools have: iPad (10th generation) landscape, iPad Air, and portrait. */
const sizes = [
	{ width: 1024, height: 768 },
	{ width: 1180, height: 820 },
	{ width: 820, height: 1180 }
];
const languages: Language[] = ['en', 'cy', 'pl', 'ur'];
/** Set LANTERN_SHOTS_DIR to keep a screenshot of every screen checked, to look at. */
const shotsDir = process.env.LANTERN_SHOTS_DIR;
const firstLesson = 'k1-trusted-grown-ups';
const sortLesson = 'k4-stop-ask-tap';

describe('pupil screens on a class iPad, at each iPad size and in each pupil language', () => {
	let server: RunningServer;
	let school: AppContext & { close(): Promise<void> };
	let teacher: StaffActor;
	let hedgehogs: string;
	let slip: PictureSlip;
	const dir = mkdtempSync(join(tmpdir(), 'lantern-layout-'));

	beforeAll(async () => {
		server = await startServer({ seed: 'demo' });
		school = await openSchool(server.dbFile);
		teacher = await actorFor(school, demoStaff.year1.email);
		hedgehogs = await classIdByName(school, teacher, 'Hedgehogs');
		// The demo's Hedgehogs use picture passwords: one pupil gets pictures the test knows.
		const pupil = (await classDetail(school, teacher, hedgehogs))!.pupils[0]!;
		const made = await makePicturePasswords(school, teacher, hedgehogs, {
			kind: 'pupil',
			pupilId: pupil.id
		});
		if (!made.ok) throw new Error(made.error);
		slip = made.slips[0]!;
		if (shotsDir) mkdirSync(shotsDir, { recursive: true });
	});
	afterAll(async () => {
		await school?.close();
		await server?.stop();
		server?.cleanUp();
		rmSync(dir, { recursive: true, force: true });
	});

	/** One iPad of this size, with touch, as Safari on an iPad lays a page out. */
	function ipadScreen(page: Page, size: { width: number; height: number }) {
		const tag = `${size.width}x${size.height}`;

		async function speak(lang: Language) {
			await page.selectOption('#language-switch', lang);
			await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
			// Polish and Urdu load their words when chosen: wait until they are on screen.
			await page
				.locator('label[for="language-switch"]')
				.filter({ hasText: wordsIn(lang)('language.label') })
				.waitFor();
		}

		/** No sideways scrolling, no hidden overflow, and a look for axe. */
		async function fits(screen: string, lang: Language) {
			const what = `${screen} in ${lang} at ${tag}`;
			if (shotsDir) await page.screenshot({ path: join(shotsDir, `${tag}-${lang}-${screen}.png`) });
			const measured = await page.evaluate(() => ({
				scrollWidth: document.documentElement.scrollWidth,
				innerWidth
			}));
			// A touch browser widens the layout viewport to take in a page that is too wide
			// (an iPad zooms out): so the viewport must still be the screen's own width too.
			expect(measured.innerWidth, `${what}: the viewport`).toBe(size.width);
			expect(measured.scrollWidth, `${what}: the page's width`).toBeLessThanOrEqual(
				measured.innerWidth
			);
			await expectAccessible(page);
		}

		/** Everything listed is on screen at once, with no scrolling at all. */
		async function onScreen(what: string, locators: Locator[]) {
			const off: string[] = [];
			for (const locator of locators) {
				const box = await locator.boundingBox();
				const inView =
					box !== null &&
					box.x >= 0 &&
					box.y >= 0 &&
					box.x + box.width <= size.width &&
					box.y + box.height <= size.height;
				if (!inView) off.push(`${locator.toString()} at ${JSON.stringify(box)}`);
			}
			expect(off, `${what} at ${tag}: off screen`).toEqual([]);
		}

		async function tell(lang: Language, steps: string[]) {
			const t = wordsIn(lang);
			await page.getByTestId('tell-button').click();
			const flow = page.getByTestId('tell-flow');
			for (const [i, step] of steps.entries()) {
				await page.locator(`[data-testid="tell-flow"][data-step="${step}"]`).waitFor();
				await fits(`tell-${step}`, lang);
				if (i === steps.length - 1) break;
				if (step === 'more') await flow.getByRole('button', { name: t('tell.more.skip') }).click();
				else if (step === 'topic') await flow.locator('[data-topic]').first().click();
				else await flow.getByRole('list').getByRole('button').first().click();
			}
			await flow.getByRole('button', { name: t('tell.stop') }).click();
			await flow.waitFor({ state: 'detached' });
		}

		async function openLesson(id: string) {
			await page.locator(`button.lesson-tile[data-lesson="${id}"]`).click();
			const lesson = page.locator(`article.lesson[data-lesson="${id}"]`);
			await lesson.waitFor();
			// Through the story to the first question.
			while ((await page.getByTestId('question').count()) === 0) {
				const step = await lesson.getAttribute('data-step');
				await page.getByTestId('next').click();
				await page.locator(`article.lesson:not([data-step="${step}"])`).waitFor();
			}
		}

		async function backToList(lang: Language) {
			await page.getByRole('button', { name: wordsIn(lang)('lesson.backToList') }).click();
			await page.locator('button.lesson-tile').first().waitFor();
		}

		/**
		 * What is wrong with a sort's boxes: each bin must be drawn as a box (a visible border)
		 * around every card's button for that bin.
		 */
		async function drawnBoxes(bins: string[]): Promise<string[]> {
			return page.evaluate((names) => {
				const wrong: string[] = [];
				for (const bin of names) {
					const box = document.querySelector(`[data-box="${bin}"]`);
					if (!box) {
						wrong.push(`no box for ${bin}`);
						continue;
					}
					const style = getComputedStyle(box);
					if (style.borderTopStyle === 'none' || parseFloat(style.borderTopWidth) < 2)
						wrong.push(`the ${bin} box has no border`);
					const outer = box.getBoundingClientRect();
					for (const button of document.querySelectorAll(`[data-bin="${bin}"]`)) {
						const inner = button.getBoundingClientRect();
						if (
							inner.left < outer.left ||
							inner.right > outer.right ||
							inner.top < outer.top ||
							inner.bottom > outer.bottom
						)
							wrong.push(`a ${bin} button is outside its box`);
					}
				}
				return wrong;
			}, bins);
		}

		return { speak, fits, onScreen, tell, openLesson, backToList, drawnBoxes };
	}

	it.each(sizes)(
		'fits every pupil screen on a $width × $height iPad, in English, Welsh, Polish and Urdu',
		async (size) => {
			const { context, page } = await enrolledClassIPad(
				server.url,
				school,
				teacher,
				{ name: `Hedgehogs iPad ${size.width}`, classIds: [hedgehogs] },
				join(dir, `${size.width}x${size.height}`),
				{ viewport: size, isMobile: true, hasTouch: true }
			);
			try {
				const ipad = ipadScreen(page, size);
				const pupil = new PupilScreen(page, server.url);

				// Signed out: the scan screen, and "Tell an adult" from it.
				for (const lang of languages) {
					await ipad.speak(lang);
					await ipad.fits('scan', lang);
					await ipad.tell(lang, ['who']);
				}

				// "Find my name", "Is this you?" and the picture password.
				await ipad.speak('en');
				await pupil.findMyName(`${slip.firstName} ${slip.lastInitial}.`);
				for (const lang of languages) {
					await ipad.speak(lang);
					await ipad.fits('is-this-you', lang);
				}
				await ipad.speak('en');
				await page.getByRole('button', { name: 'No, go back' }).click();
				for (const lang of languages) {
					await ipad.speak(lang);
					await ipad.fits('find-my-name', lang);
				}
				await ipad.speak('en');
				await page.getByRole('button', { name: `${slip.firstName} ${slip.lastInitial}.` }).click();
				await pupil.itsMe();
				for (const lang of languages) {
					await ipad.speak(lang);
					await ipad.fits('pictures', lang);
				}
				await ipad.speak('en');
				const t = wordsIn('en');
				for (const picture of slip.pictures)
					await page
						.getByRole('button', { name: t(`pictures.name.${picture}`), exact: true })
						.click();
				await pupil.waitUntilSignedIn(slip.firstName);

				// Signed in: the lesson list, a KS1 question, and every step of "Tell an adult".
				for (const lang of languages) {
					await ipad.speak(lang);
					await page.locator('button.lesson-tile').first().waitFor();
					await ipad.fits('lessons', lang);

					await ipad.openLesson(firstLesson);
					await ipad.fits('question', lang);
					const question = page.getByTestId('question');
					await ipad.onScreen(`the question in ${lang}`, [
						question.locator('.prompt'),
						...(await question.locator('[data-option]').all()),
						page.getByTestId('next')
					]);
					// An English lesson reads left to right, even on a right-to-left (Urdu) screen.
					const direction = (selector: string) =>
						page
							.locator(selector)
							.first()
							.evaluate((el) => getComputedStyle(el.querySelector('[lang]') ?? el).direction);
					expect(await direction('article.lesson .prompt'), `the prompt in ${lang}`).toBe('ltr');
					await ipad.backToList(lang);
					expect(
						await direction(`[data-lesson="${firstLesson}"] .lesson-tile-title`),
						`a lesson's title in ${lang}`
					).toBe('ltr');

					await ipad.tell(lang, ['feeling', 'topic', 'more', 'adult']);
				}

				// The question once answered: the reason and Next are on screen too.
				await ipad.speak('en');
				await ipad.openLesson(firstLesson);
				await page.locator('[data-option="teacher"]').click();
				await page.locator('[data-option="dinner-lady"]').click();
				await page.locator('[data-testid="next"]:enabled').waitFor();
				await ipad.fits('answered', 'en');
				await ipad.onScreen('the answered question', [
					page.getByTestId('feedback'),
					page.getByTestId('next')
				]);
				await ipad.backToList('en');

				// A sort: "Put each button in a box" draws the boxes, each choice inside its box.
				await ipad.openLesson(sortLesson);
				await page.locator('[data-option="ask"]').click();
				await page.locator('[data-option="close-tell"]').click();
				await page.getByTestId('next').click();
				await page.locator('[data-question="traffic-light"]').waitFor();
				await ipad.fits('sort', 'en');
				expect(await ipad.drawnBoxes(['ok', 'ask', 'not-ok'])).toEqual([]);
				await ipad.backToList('en');

				await page.getByRole('button', { name: "I've finished" }).click();
				await page.getByRole('heading', { name: 'Scan your card' }).waitFor();
			} finally {
				await context.close();
			}
		},
		240_000
	);
});
