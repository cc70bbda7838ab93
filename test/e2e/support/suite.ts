import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser';
import { startServer, type RunningServer, type ServerOptions } from './server';

export interface BrowserSuite {
	server: RunningServer;
	browser: Browser;
}

/**
 * One production server (with its own database) and one Chromium for a describe block,
 * started before its tests and stopped after. Read the fields inside tests, not at import.
 */
export function browserSuite(options: ServerOptions = { seed: 'demo' }): BrowserSuite {
	const suite = {} as BrowserSuite;
	beforeAll(async () => {
		suite.server = await startServer(options);
		suite.browser = await launchBrowser();
	});
	afterAll(async () => {
		await suite.browser?.close();
		await suite.server?.stop();
		suite.server?.cleanUp();
	});
	return suite;
}
