import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext, StaffActor } from '$lib/server/context';
import { demoStaff } from '$lib/server/demo/demo-school';
import { issueCards, type PrintableCard } from '$lib/server/services/card.service';
import {
	createEnrolmentCode,
	devicesFor,
	revokeDeviceOf
} from '$lib/server/services/device.service';
import { writeCardVideo } from '../fixtures/card-frame';
import { PupilScreen } from './pages/pupil-pages';
import { expectAccessible } from './support/axe';
import { launchWithCamera } from './support/browser';
import { actorFor, classIdByName, openSchool } from './support/school';
import { startServer, type RunningServer } from './support/server';

/** Waits until the service worker controls the page, so the screen works offline next time. */
async function controlled(page: Page) {
	await page.waitForFunction(async () => {
		await navigator.serviceWorker.ready;
		return navigator.serviceWorker.controller !== null;
	});
}

describe('signing in to a class iPad with a pupil card (fake camera)', () => {
	let server: RunningServer;
	let school: AppContext & { close(): Promise<void> };
	let teacher: StaffActor;
	let classId: string;
	let cards: PrintableCard[];
	const dir = mkdtempSync(join(tmpdir(), 'lantern-camera-'));
	const contexts: BrowserContext[] = [];

	async function ipad(
		video: string
	): Promise<{ page: Page; screen: PupilScreen; context: BrowserContext }> {
		const context = await launchWithCamera(mkdtempSync(join(dir, 'profile-')), video);
		contexts.push(context);
		const page = context.pages()[0] ?? (await context.newPage());
		return { page, screen: new PupilScreen(page, server.url), context };
	}

	async function code(): Promise<{ code: string; qrText: string }> {
		const made = await createEnrolmentCode(school, teacher, {
			name: 'Kestrels iPad',
			classIds: [classId]
		});
		if (!made.ok) throw new Error(made.error);
		return made;
	}

	beforeAll(async () => {
		server = await startServer({ seed: 'demo' });
		school = await openSchool(server.dbFile);
		teacher = await actorFor(school, demoStaff.year4.email);
		classId = await classIdByName(school, teacher, 'Kestrels');
		const issued = await issueCards(school, teacher, classId, { kind: 'missing' });
		if (!issued.ok) throw new Error(issued.error);
		cards = issued.cards;
	});
	afterAll(async () => {
		for (const context of contexts) await context.close().catch(() => undefined);
		await school?.close();
		await server?.stop();
		server?.cleanUp();
		rmSync(dir, { recursive: true, force: true });
	});

	it('enrols by a typed code, signs a pupil in by scanning, and forgets them on "I\'ve finished"', async () => {
		const card = cards[0]!;
		const video = join(dir, 'card.y4m');
		writeCardVideo(video, card.token);
		const { page, screen } = await ipad(video);
		await screen.open();
		expect(await screen.heading()).toBe('Hello!');
		await screen.enrolWithTypedCode((await code()).code);
		await expectAccessible(page);

		const started = Date.now();
		await screen.turnOnCamera();
		await screen.waitUntilSignedIn(card.firstName);
		console.log(`bench: card in view to signed in (fake camera) = ${Date.now() - started} ms`);
		expect(
			await page.getByText(`You're signed in as ${card.firstName} ${card.lastInitial}.`).count()
		).toBe(1);
		await expectAccessible(page);

		await screen.finish();
		expect(await page.content()).not.toContain(`${card.firstName} ${card.lastInitial}.`);
		await page.goBack().catch(() => undefined);
		await page.goForward().catch(() => undefined);
		expect(await screen.isSignedIn()).toBe(false);

		// The teacher's Devices page sees the iPad and the sign-in at its next contact.
		await page.reload();
		await page.locator('[data-ready="true"]').waitFor();
		await expect
			.poll(async () => (await devicesFor(school, teacher))[0]?.lastSeenAt ?? null)
			.not.toBeNull();
	});

	it('signs in with the server stopped, refuses a replaced card after a sync, and wipes itself when removed', async () => {
		const card = cards[1]!;
		const video = join(dir, 'card-2.y4m');
		writeCardVideo(video, card.token);
		const { page, screen, context } = await ipad(video);
		await screen.open();
		await controlled(page);
		await screen.enrolWithTypedCode((await code()).code);

		// Offline: the server is stopped and the iPad restarts the screen from its cache.
		await server.stop();
		await page.reload();
		await page.locator('[data-ready="true"]').waitFor();
		await screen.turnOnCamera();
		await screen.waitUntilSignedIn(card.firstName);
		await screen.finish();
		await server.restart();

		// The teacher replaces the card; after the next sync the old one is refused.
		const again = await issueCards(school, teacher, classId, {
			kind: 'pupil',
			pupilId: card.pupilId
		});
		expect(again.ok).toBe(true);
		await page.reload();
		await page.locator('[data-synced="true"]').waitFor();
		await screen.turnOnCamera();
		await expect
			.poll(() => page.getByTestId('scan-problem').count(), { timeout: 10_000 })
			.toBeGreaterThan(0);
		expect(await screen.scanProblem()).toContain("That card didn't work");
		expect(await screen.isSignedIn()).toBe(false);

		// Removing the device sends it back to its setup screen with nothing kept.
		for (const device of await devicesFor(school, teacher)) {
			if (!device.revokedAt) await revokeDeviceOf(school, teacher, device.id);
		}
		await page.reload();
		await page.getByText('This iPad has been removed from the class').waitFor();
		const kept = await page.evaluate(
			() =>
				new Promise<number>((resolve) => {
					const open = indexedDB.open('lantern-device');
					open.onsuccess = () => {
						const request = open.result.transaction('roster').objectStore('roster').count();
						request.onsuccess = () => resolve(request.result);
					};
				})
		);
		expect(kept).toBe(0);
		await context.close();
	});

	it('enrols by scanning the one-time code shown on the teacher’s screen', async () => {
		const made = await code();
		const video = join(dir, 'enrol.y4m');
		writeCardVideo(video, made.qrText);
		const { page, screen } = await ipad(video);
		await screen.open();
		await screen.enrolByScanning();
		expect(await page.getByRole('button', { name: 'Turn on the camera' }).count()).toBe(1);
		// The code worked once; it cannot set up a second iPad.
		const replay = await fetch(server.url + '/api/device/enrol', {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url },
			body: JSON.stringify({ code: made.code })
		});
		expect(replay.status).toBe(410);
	});

	it('says calmly that a QR which is not a card signs nobody in', async () => {
		const video = join(dir, 'url.y4m');
		writeCardVideo(video, 'https://example.com/prize');
		const { page, screen } = await ipad(video);
		await screen.open();
		await screen.enrolWithTypedCode((await code()).code);
		await screen.turnOnCamera();
		await expect
			.poll(() => page.getByTestId('scan-problem').count(), { timeout: 10_000 })
			.toBeGreaterThan(0);
		expect(await screen.scanProblem()).toContain("That isn't a Lantern card");
		expect(await screen.isSignedIn()).toBe(false);
		await expectAccessible(page);
	});
});
