import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './support/axe';
import { launchWithProfile } from './support/browser';
import { startServer, type RunningServer } from './support/server';

/** Waits until the service worker has installed and controls the page. */
async function controlledByServiceWorker(page: Page): Promise<void> {
	await page.waitForFunction(async () => {
		const registration = await navigator.serviceWorker.ready;
		return registration.active !== null && navigator.serviceWorker.controller !== null;
	});
}

describe('installable and offline', () => {
	let server: RunningServer;
	const profiles: string[] = [];
	const contexts: BrowserContext[] = [];
	const profile = () => {
		const dir = mkdtempSync(join(tmpdir(), 'lantern-profile-'));
		profiles.push(dir);
		return dir;
	};
	const launch = async (dir: string) => {
		const context = await launchWithProfile(dir);
		contexts.push(context);
		return context;
	};

	beforeAll(async () => (server = await startServer({ seed: 'demo' })));
	afterAll(async () => {
		for (const context of contexts) await context.close().catch(() => undefined);
		await server?.stop();
		server?.cleanUp();
		for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
	});

	it('serves a web app manifest that makes it installable', async () => {
		const manifest = (await (await fetch(server.url + '/manifest.webmanifest')).json()) as Record<
			string,
			unknown
		>;
		expect(manifest).toMatchObject({
			short_name: 'Lantern',
			display: 'standalone',
			start_url: '/',
			theme_color: '#1d4e89'
		});
		const icons = manifest.icons as { src: string; sizes: string; type: string }[];
		expect(icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
		for (const icon of icons) expect((await fetch(server.url + icon.src)).status).toBe(200);
	});

	it('opens from a cold start with the server stopped: pupil screen works, staff pages say so calmly', async () => {
		const dir = profile();
		let context = await launch(dir);
		let page = context.pages()[0] ?? (await context.newPage());
		await page.goto(server.url + '/pupil');
		await controlledByServiceWorker(page);
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Hello!');
		await context.close();

		await server.stop();
		context = await launch(dir);
		page = context.pages()[0] ?? (await context.newPage());

		await page.goto(server.url + '/pupil');
		expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Hello!');
		await page.locator('[data-ready="true"]').waitFor();
		await expectAccessible(page);

		await page.goto(server.url + '/staff/classes');
		await page.getByRole('heading', { name: 'This page needs the school network' }).waitFor();
		expect(await page.getByText("Pupils' screens keep working").count()).toBe(1);
		await expectAccessible(page);

		// Following the link from the offline screen reaches the pupil screen, still offline.
		await page.getByRole('link', { name: 'Go to the pupil screen' }).click();
		await page.getByRole('heading', { name: 'Hello!' }).waitFor();
		await context.close();
		await server.restart();
	});

	it('offers a new version and reloads only when the user accepts', async () => {
		const dir = profile();
		const context = await launch(dir);
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto(server.url + '/');
		await controlledByServiceWorker(page);
		const firstWorker = await page.evaluate(
			async () => (await navigator.serviceWorker.ready).active?.scriptURL
		);

		// Deploy a "new version": the same build with a service worker that differs by its version.
		// Inside the project, so the copy finds node_modules.
		const next = mkdtempSync(join(process.cwd(), '.e2e-build-'));
		profiles.push(next);
		cpSync('build', next, { recursive: true });
		const swFile = join(next, 'client', 'service-worker.js');
		writeFileSync(swFile, readFileSync(swFile, 'utf8') + '\n// next version\n');
		// The server prefers the precompressed copies: drop them so the new file is what it sends.
		rmSync(swFile + '.br', { force: true });
		rmSync(swFile + '.gz', { force: true });
		await server.restart({ buildDir: next });

		await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
		const prompt = page
			.getByRole('status')
			.filter({ hasText: 'A new version of Lantern is ready' });
		await prompt.waitFor();
		await expectAccessible(page);

		// "Not now" keeps the page as it is.
		await page.getByRole('button', { name: 'Not now' }).click();
		expect(await prompt.count()).toBe(0);

		// A fresh look offers it again; accepting reloads onto the new worker.
		await page.reload();
		await prompt.waitFor();
		const reloaded = page.waitForEvent('load');
		await page.getByRole('button', { name: 'Use the new version' }).click();
		await reloaded;
		await controlledByServiceWorker(page);
		expect(await page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');
		expect(await prompt.count()).toBe(0);
		expect(firstWorker).toContain('/service-worker.js');
		await context.close();
		await server.restart();
	});
});
