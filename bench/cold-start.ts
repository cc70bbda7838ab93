import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchWithProfile } from '../test/e2e/support/browser';
import type { RunningServer } from '../test/e2e/support/server';
import { median, report } from './report';

const runs = 7;

/**
 * Offline cold start of the pupil start screen: the browser visited once (service worker
 * installed), then the server is stopped and the browser starts again from its profile,
 * with the CPU slowed 4× through the DevTools protocol. "Interactive" is the moment the
 * page's own code has mounted (the `lantern:interactive` mark).
 */
export async function coldStart(server: RunningServer): Promise<void> {
	const profile = mkdtempSync(join(tmpdir(), 'lantern-bench-'));
	try {
		const first = await launchWithProfile(profile);
		const page = first.pages()[0] ?? (await first.newPage());
		await page.goto(server.url + '/pupil');
		await page.waitForFunction(async () => {
			await navigator.serviceWorker.ready;
			return navigator.serviceWorker.controller !== null;
		});
		await first.close();
		await server.stop();

		const times: number[] = [];
		for (let i = 0; i < runs; i++) {
			const context = await launchWithProfile(profile);
			const tab = context.pages()[0] ?? (await context.newPage());
			const cdp = await context.newCDPSession(tab);
			await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
			await tab.goto(server.url + '/pupil', { waitUntil: 'commit' });
			await tab.locator('[data-ready="true"]').waitFor();
			times.push(
				await tab.evaluate(
					() => performance.getEntriesByName('lantern:interactive')[0]?.startTime ?? NaN
				)
			);
			await context.close();
		}
		report(
			'pupil start screen offline cold start to interactive, 4× CPU throttle (median of 7)',
			median(times),
			'ms',
			'< 1000 ms'
		);
		report('pupil start screen offline cold start, slowest of 7', Math.max(...times), 'ms');
	} finally {
		rmSync(profile, { recursive: true, force: true });
		await server.restart();
	}
}
