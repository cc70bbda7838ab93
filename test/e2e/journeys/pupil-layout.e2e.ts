import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '$lib/i18n/languages';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoStaff } from '$lib/server/demo/demo-school';
import { classDetail } from '$lib/server/services/class.service';
import { createEnrolmentCode } from '$lib/server/services/device.service';
import {
	makePicturePasswords,
	type PictureSlip
} from '$lib/server/services/picture-password.service';
import { ClassIPad } from '../pages/ipad';
import { engines, ipadSizes, openWindow } from '../support/engines';
import { actorFor, classIdByName, openSchool } from '../support/school';
import { startServer, type RunningServer } from '../support/server';
import type { Ui } from '../support/ui';
import { wordsIn } from '../support/words';

const languages: Language[] = ['en', 'cy', 'pl', 'ur'];
/** Set LANTERN_SHOTS_DIR to keep a screenshot of every screen checked, to look at. */
const shotsDir = process.env.LANTERN_SHOTS_DIR;
const firstLesson = 'k1-trusted-grown-ups';
const sortLesson = 'k4-stop-ask-tap';

/**
 * Every pupil screen at every iPad size, in every pupil language, in both engines: nothing
 * sideways off the screen, and a KS1 question with its prompt, every answer and Next on the
 * screen at once.
 */
describe.each(engines)('pupil screens at each iPad size and in each language, in %s', (engine) => {
	let server: RunningServer;
	let school: AppContext & { close(): Promise<void> };
	let teacher: StaffActor;
	let hedgehogs: string;
	let slip: PictureSlip;
	const dir = mkdtempSync(join(tmpdir(), `lantern-layout-${engine}-`));

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

	/** What the test does on one iPad of this size. */
	function onIPad(ui: Ui, size: { width: number; height: number }) {
		const tag = `${engine}-${size.width}x${size.height}`;
		const ipad = new ClassIPad(ui, server.url);

		async function speak(lang: Language) {
			await ipad.chooseLanguage(lang);
			// Polish and Urdu load their words when chosen: wait until they are on screen.
			await ui.waitUntil(
				'return document.querySelector(\'label[for="language-switch"]\').textContent.includes(arguments[0])',
				undefined,
				wordsIn(lang)('language.label')
			);
		}

		/** No sideways scrolling, and a look for axe. */
		async function fits(screen: string, lang: Language) {
			const what = `${screen} in ${lang} at ${tag}`;
			if (shotsDir) await ui.screenshot(join(shotsDir, `${tag}-${lang}-${screen}.png`));
			const measured = await ui.evaluate<{ scrollWidth: number; innerWidth: number }>(
				'return { scrollWidth: document.documentElement.scrollWidth, innerWidth }'
			);
			// A touch browser widens the layout viewport to take in a page that is too wide (an
			// iPad zooms out): so the viewport must still be the screen's own width too.
			expect(measured.innerWidth, `${what}: the viewport`).toBe(size.width);
			expect(measured.scrollWidth, `${what}: the page's width`).toBeLessThanOrEqual(
				measured.innerWidth
			);
			await ui.expectAccessible();
		}

		/** Every element the selectors find is on the screen at once, with no scrolling at all. */
		async function onScreen(what: string, selectors: string[]) {
			const off = await ui.evaluate<string[]>(
				`const [selectors, width, height] = arguments;
				const off = [];
				for (const selector of selectors) {
					const found = [...document.querySelectorAll(selector)];
					if (found.length === 0) off.push(selector + ': missing');
					for (const el of found) {
						const box = el.getBoundingClientRect();
						if (box.left < 0 || box.top < 0 || box.right > width || box.bottom > height)
							off.push(selector + ' at ' + JSON.stringify([box.left, box.top, box.right, box.bottom]));
					}
				}
				return off;`,
				selectors,
				size.width,
				size.height
			);
			expect(off, `${what} at ${tag}: off screen`).toEqual([]);
		}

		/** Through "Tell an adult" to the last step named, checking each, then Stop. */
		async function tell(lang: Language, steps: string[]) {
			const t = wordsIn(lang);
			await ui.tap('[data-testid="tell-button"]');
			for (const [i, step] of steps.entries()) {
				await ui.waitForSelector(`[data-testid="tell-flow"][data-step="${step}"]`);
				await fits(`tell-${step}`, lang);
				if (i === steps.length - 1) break;
				if (step === 'more') await ui.click('button', t('tell.more.skip'), { within: 'tell-flow' });
				else if (step === 'topic') await ui.tap('[data-testid="tell-flow"] [data-topic]');
				else await ui.tap('[data-testid="tell-flow"] ul button');
			}
			await ui.click('button', t('tell.stop'), { exact: true, within: 'tell-flow' });
			// Once something is chosen, Stop asks first.
			if (steps.length > 1) {
				await ui.waitForTestId('tell-stop');
				await fits('tell-stop', lang);
				await ui.click('button', t('tell.stopYes'), { exact: true, within: 'tell-flow' });
			}
			await ui.waitUntil("return document.querySelector('[data-testid=tell-flow]') === null");
		}

		async function openLesson(id: string) {
			await ui.tap(`button.lesson-tile[data-lesson="${id}"]`);
			await ui.waitForSelector(`article.lesson[data-lesson="${id}"]`);
			// Through the story to the first question.
			while (!(await ui.hasTestId('question'))) {
				const step = await ui.attribute('article.lesson', 'data-step');
				await ui.tap('[data-testid="next"]');
				await ui.waitForSelector(`article.lesson:not([data-step="${step}"])`);
			}
		}

		async function backToList(lang: Language) {
			await ui.click('button', wordsIn(lang)('lesson.backToList'), { exact: true });
			await ui.waitForSelector('button.lesson-tile');
		}

		/** Each bin of a sort is drawn as a box (a visible border) around its buttons. */
		function drawnBoxes(bins: string[]): Promise<string[]> {
			return ui.evaluate<string[]>(
				`const wrong = [];
				for (const bin of arguments[0]) {
					const box = document.querySelector('[data-box="' + bin + '"]');
					if (!box) { wrong.push('no box for ' + bin); continue; }
					const style = getComputedStyle(box);
					if (style.borderTopStyle === 'none' || parseFloat(style.borderTopWidth) < 2)
						wrong.push('the ' + bin + ' box has no border');
					const outer = box.getBoundingClientRect();
					for (const button of document.querySelectorAll('[data-bin="' + bin + '"]')) {
						const inner = button.getBoundingClientRect();
						if (inner.left < outer.left || inner.right > outer.right || inner.top < outer.top || inner.bottom > outer.bottom)
							wrong.push('a ' + bin + ' button is outside its box');
					}
				}
				return wrong;`,
				bins
			);
		}

		/** The text direction of the first element the selector finds (or its own [lang] part). */
		function direction(selector: string) {
			return ui.evaluate<string>(
				"const el = document.querySelector(arguments[0]); return getComputedStyle(el.querySelector('[lang]') ?? el).direction",
				selector
			);
		}

		return { ipad, speak, fits, onScreen, tell, openLesson, backToList, drawnBoxes, direction };
	}

	it.each(ipadSizes)(
		'fits every pupil screen on a $width × $height iPad, in English, Welsh, Polish and Urdu',
		async (size) => {
			const code = await createEnrolmentCode(school, teacher, {
				name: `Hedgehogs iPad ${size.width}`,
				classIds: [hedgehogs]
			});
			if (!code.ok) throw new Error(code.error);
			const window = await openWindow(engine, {
				profileDir: join(dir, `${size.width}x${size.height}`),
				...size,
				touch: true,
				// This iPad's camera cannot help, so "Find my name" is offered.
				noCamera: true
			});
			const ui = window.ui;
			try {
				const s = onIPad(ui, size);
				await s.ipad.open();
				await s.ipad.enrolWithTypedCode(code.code);
				const name = `${slip.firstName} ${slip.lastInitial}.`;

				// Signed out: the scan screen, and "Tell an adult" from it.
				for (const lang of languages) {
					await s.speak(lang);
					await s.fits('scan', lang);
					await s.tell(lang, ['who']);
				}

				// "Find my name", "Is this you?" and the picture password.
				await s.speak('en');
				await ui.click('button', 'Turn on the camera');
				// The camera is tried and found wanting: the scanner is off again, and the way in
				// without a card appears (the scanner's code may still be arriving on a busy machine).
				await ui.waitForSelector('[data-camera="off"]', 30_000);
				await ui.waitFor('button', 'Find my name', { timeout: 30_000 });
				await ui.click('button', 'Find my name');
				await ui.click('button', name);
				for (const lang of languages) {
					await s.speak(lang);
					await s.fits('is-this-you', lang);
				}
				await s.speak('en');
				await ui.click('button', 'No, go back');
				for (const lang of languages) {
					await s.speak(lang);
					await s.fits('find-my-name', lang);
				}
				await s.speak('en');
				await ui.click('button', name);
				await ui.click('button', "Yes, it's me");
				for (const lang of languages) {
					await s.speak(lang);
					await s.fits('pictures', lang);
				}
				await s.speak('en');
				const t = wordsIn('en');
				for (const picture of slip.pictures)
					await ui.click('button', t(`pictures.name.${picture}`), { exact: true });
				await s.ipad.waitUntilSignedIn(slip.firstName);

				// Signed in: the lesson list, a KS1 question, and every step of "Tell an adult".
				for (const lang of languages) {
					await s.speak(lang);
					await ui.waitForSelector('button.lesson-tile');
					await s.fits('lessons', lang);

					await s.openLesson(firstLesson);
					await s.fits('question', lang);
					await s.onScreen(`the question in ${lang}`, [
						'[data-testid="question"] .prompt',
						'[data-testid="question"] [data-option]',
						'[data-testid="next"]'
					]);
					// An English lesson reads left to right, even on a right-to-left (Urdu) screen.
					expect(await s.direction('article.lesson .prompt'), `the prompt in ${lang}`).toBe('ltr');
					await s.backToList(lang);
					expect(
						await s.direction(`[data-lesson="${firstLesson}"] .lesson-tile-title`),
						`a lesson's title in ${lang}`
					).toBe('ltr');

					await s.tell(lang, ['feeling', 'topic', 'more', 'adult']);
				}

				// The question once answered: the reason and Next are on screen too.
				await s.speak('en');
				await s.openLesson(firstLesson);
				await ui.tap('[data-option="teacher"]');
				await ui.tap('[data-option="dinner-lady"]');
				await ui.waitForSelector('[data-testid="next"]:enabled');
				await s.fits('answered', 'en');
				await s.onScreen('the answered question', [
					'[data-testid="feedback"]',
					'[data-testid="next"]'
				]);
				await s.backToList('en');

				// A sort: "Put each button in a box" draws the boxes, each choice inside its box.
				await s.openLesson(sortLesson);
				await ui.tap('[data-option="ask"]');
				await ui.tap('[data-option="close-tell"]');
				await ui.tap('[data-testid="next"]');
				await ui.waitForSelector('[data-question="traffic-light"]');
				await s.fits('sort', 'en');
				expect(await s.drawnBoxes(['ok', 'ask', 'not-ok'])).toEqual([]);
				await s.backToList('en');

				await s.ipad.finish();
				expect(ui.takeConsoleErrors()).toEqual([]);
			} finally {
				await window.close();
			}
		},
		240_000
	);
});
