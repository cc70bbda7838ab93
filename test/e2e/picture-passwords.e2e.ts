import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Picture } from '$lib/domain/picture-password';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { PupilScreen } from './pages/pupil-pages';
import { CardsPage, SignInPage } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { enrolledClassIPad } from './support/class-ipad';
import { actorFor, classIdByName, openSchool } from './support/school';
import { startServer, type RunningServer } from './support/server';

const nameOf: Record<Picture, string> = {
	sun: 'Sun',
	moon: 'Moon',
	star: 'Star',
	tree: 'Tree',
	apple: 'Apple',
	boat: 'Boat',
	ball: 'Ball',
	cake: 'Cake',
	flower: 'Flower'
};

describe('picture passwords, from the teacher’s cards page to the class iPad', () => {
	let server: RunningServer;
	let school: AppContext & { close(): Promise<void> };
	let teacher: StaffActor;
	let browser: Browser;
	let ipad: BrowserContext;
	let pupilScreen: Page;
	const dir = mkdtempSync(join(tmpdir(), 'lantern-pictures-'));

	beforeAll(async () => {
		server = await startServer({ seed: 'demo' });
		school = await openSchool(server.dbFile);
		teacher = await actorFor(school, demoStaff.year1.email);
		const hedgehogs = await classIdByName(school, teacher, 'Hedgehogs');
		browser = await launchBrowser();
		({ context: ipad, page: pupilScreen } = await enrolledClassIPad(
			server.url,
			school,
			teacher,
			{ name: 'Hedgehogs iPad', classIds: [hedgehogs] },
			dir
		));
	});
	afterAll(async () => {
		await ipad?.close();
		await browser?.close();
		await school?.close();
		await server?.stop();
		server?.cleanUp();
		rmSync(dir, { recursive: true, force: true });
	});

	async function teacherOnCardsPage(): Promise<{ page: Page; cards: CardsPage }> {
		const page = await (await browser.newContext()).newPage();
		const signIn = new SignInPage(page, server.url);
		await signIn.open();
		await signIn.signIn(demoStaff.year1.email, demoPassword);
		await page.waitForURL('**/staff');
		const cards = new CardsPage(page, server.url);
		await cards.open('Hedgehogs');
		return { page, cards };
	}

	/** The iPad learns the latest roster (with the latest picture hashes), as at its next sync. */
	async function ipadSyncs() {
		await pupilScreen.reload();
		await pupilScreen.locator('[data-synced="true"]').waitFor();
	}

	async function findMyName(name: string, firstName: string) {
		const screen = new PupilScreen(pupilScreen, server.url);
		await screen.findMyName(name);
		await screen.itsMe();
		await pupilScreen
			.getByRole('heading', { name: `${firstName}, tap your three pictures in order.` })
			.waitFor();
	}
	async function tap(sequence: string[]) {
		for (const picture of sequence)
			await pupilScreen
				.getByRole('button', { name: nameOf[picture as Picture], exact: true })
				.click();
	}

	it('makes pictures for the pupils without them, then new pictures for a pupil who forgot theirs', async () => {
		const { page, cards } = await teacherOnCardsPage();

		// The README's Year 1 route: two Hedgehogs have no pictures yet in the demo.
		expect(await cards.pictureRow('Kit L.').innerText()).toContain('No pictures yet');
		await cards.press('Make picture passwords for the 2 pupils without one');
		const first = await cards.slips();
		expect([...first.keys()].sort()).toEqual(['Kit L.', 'Luna M.']);
		const oldPictures = first.get('Kit L.')!;
		expect(oldPictures).toHaveLength(3);
		// Everyone has pictures now: said plainly, not a button that cannot be pressed.
		await page.getByText('Every pupil in this class has a picture password.').waitFor();
		expect(await page.getByRole('button', { name: /^Make picture passwords/ }).count()).toBe(0);

		// Kit signs in with them on the class iPad.
		await ipadSyncs();
		await findMyName('Kit L.', 'Kit');
		await tap(oldPictures);
		await pupilScreen.getByRole('heading', { name: 'Hello, Kit!' }).waitFor();
		await pupilScreen.getByRole('button', { name: "I've finished" }).click();

		// Kit forgets them: the teacher makes new ones and sees them, once, on a slip to print.
		await cards.open('Hedgehogs');
		await cards.press('New pictures for Kit L.');
		const second = await cards.slips();
		expect([...second.keys()]).toEqual(['Kit L.']);
		const newPictures = second.get('Kit L.')!;
		// The page takes the teacher to the slip, below the class's lists.
		await page.waitForFunction(() => document.activeElement?.id === 'slips-heading');
		expect(newPictures).not.toEqual(oldPictures);
		await page.getByRole('button', { name: 'Print this slip' }).waitFor();
		await page.emulateMedia({ media: 'print' });
		expect(await page.getByTestId('picture-slip').isVisible()).toBe(true);
		expect(
			await page.getByRole('heading', { name: 'Picture passwords', exact: true }).isVisible()
		).toBe(false);
		await page.emulateMedia({ media: 'screen' });

		const [audit] = await listAudit(school.db, teacher.schoolId, 1);
		expect(audit).toMatchObject({
			action: 'pupil.picture-password-reset',
			actorId: teacher.staffId,
			subjectType: 'pupil'
		});

		// At the iPad's next sync the old pictures stop working, and the new ones sign Kit in.
		await ipadSyncs();
		await findMyName('Kit L.', 'Kit');
		await tap(oldPictures);
		await pupilScreen.getByText("Those weren't your pictures").waitFor();
		await expectAccessible(pupilScreen);
		await tap(newPictures);
		await pupilScreen.getByRole('heading', { name: 'Hello, Kit!' }).waitFor();
		await expectAccessible(pupilScreen);
		await page.context().close();
	});
});
