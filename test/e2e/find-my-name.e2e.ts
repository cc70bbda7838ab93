import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pictures, type Picture } from '$lib/domain/picture-password';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoStaff } from '$lib/server/demo/demo-school';
import { classDetail } from '$lib/server/services/class.service';
import { deviceEventsFor } from '$lib/server/services/device.service';
import {
	makePicturePasswords,
	setClassPictures,
	unlockPictures,
	type PictureSlip
} from '$lib/server/services/picture-password.service';
import { PupilScreen } from './pages/pupil-pages';
import { expectAccessible } from './support/axe';
import { actorFor, classIdByName, openSchool } from './support/school';
import { enrolledClassIPad } from './support/class-ipad';
import { startServer, type RunningServer } from './support/server';

describe('"Find my name" and picture passwords, when the camera cannot help', () => {
	let server: RunningServer;
	let school: AppContext & { close(): Promise<void> };
	let teacher: StaffActor;
	let slips: PictureSlip[];
	let context: BrowserContext;
	let page: Page;
	const dir = mkdtempSync(join(tmpdir(), 'lantern-names-'));

	beforeAll(async () => {
		server = await startServer({ seed: 'demo' });
		school = await openSchool(server.dbFile);
		teacher = await actorFor(school, demoStaff.year1.email);
		const hedgehogs = await classIdByName(school, teacher, 'Hedgehogs');
		// The demo's Hedgehogs already use picture passwords; give two pupils new ones we know.
		await setClassPictures(school, teacher, hedgehogs, true);
		const pupils = (await classDetail(school, teacher, hedgehogs))!.pupils.slice(0, 2);
		slips = [];
		for (const pupil of pupils) {
			const made = await makePicturePasswords(school, teacher, hedgehogs, {
				kind: 'pupil',
				pupilId: pupil.id
			});
			if (!made.ok) throw new Error(made.error);
			slips.push(...made.slips);
		}
		({ context, page } = await enrolledClassIPad(
			server.url,
			school,
			teacher,
			{ name: 'Hedgehogs iPad', classIds: [hedgehogs] },
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

	async function findMyName(slip: PictureSlip) {
		// This iPad has no camera: "Find my name" appears once the camera is found wanting.
		const screen = new PupilScreen(page, server.url);
		await screen.findMyName(`${slip.firstName} ${slip.lastInitial}.`);
		await expectAccessible(page);
		await screen.itsMe();
		await page
			.getByRole('heading', { name: `${slip.firstName}, tap your three pictures in order.` })
			.waitFor();
	}

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
	async function tap(sequence: Picture[]) {
		for (const picture of sequence)
			await page.getByRole('button', { name: nameOf[picture], exact: true }).click();
	}

	it('signs a pupil in with their three pictures', async () => {
		const slip = slips[0]!;
		await findMyName(slip);
		await expectAccessible(page);
		await tap(slip.pictures);
		await page.getByRole('heading', { name: `Hello, ${slip.firstName}!` }).waitFor();
		await page.getByRole('button', { name: "I've finished" }).click();
		expect(Object.keys(pictures)).toHaveLength(9);
	});

	it('locks after five wrong tries until a teacher unlocks it', async () => {
		const slip = slips[1]!;
		const wrong = (Object.keys(pictures) as Picture[])
			.filter((p) => !slip.pictures.includes(p))
			.slice(0, 3);
		await findMyName(slip);
		for (let i = 0; i < 4; i++) {
			await tap(wrong);
			await page.getByText("Those weren't your pictures").waitFor();
		}
		await tap(wrong);
		await page.getByText('Your pictures are locked for now').waitFor();
		await expectAccessible(page);

		// Still locked on a second try, even with the right pictures.
		await page.getByRole('button', { name: 'No, go back' }).click();
		await page.getByRole('button', { name: 'Turn on the camera' }).click();
		await page.getByRole('button', { name: 'Find my name' }).click();
		await page.getByRole('button', { name: `${slip.firstName} ${slip.lastInitial}.` }).click();
		await page.getByRole('button', { name: "Yes, it's me" }).click();
		await page.getByText('Your pictures are locked for now').waitFor();

		// The teacher sees the lock and unlocks it; the iPad learns at its next sync.
		await expect
			.poll(async () =>
				(await deviceEventsFor(school, teacher)).some((e) => e.kind === 'picture-locked')
			)
			.toBe(true);
		await unlockPictures(school, teacher, slip.pupilId);
		await page.reload();
		await page.locator('[data-synced="true"]').waitFor();
		await findMyName(slip);
		await tap(slip.pictures);
		await page.getByRole('heading', { name: `Hello, ${slip.firstName}!` }).waitFor();
	});
});
