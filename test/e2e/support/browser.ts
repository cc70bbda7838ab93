import { chromium, type Browser, type BrowserContext } from 'playwright-core';

type LaunchOptions = NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>;

/** Debian's Chromium: browsers cannot be downloaded here. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/** A browser with a profile on disk, so a second launch finds the service worker and caches. */
export function launchWithProfile(
	userDataDir: string,
	options: Pick<LaunchOptions, 'viewport' | 'isMobile' | 'hasTouch'> = {}
): Promise<BrowserContext> {
	return chromium.launchPersistentContext(userDataDir, {
		executablePath: chromiumPath,
		args: chromiumArgs,
		headless: true,
		...options
	});
}

/** A page in its own context (a fresh profile), as axe needs. */
export async function openPage(browser: Browser) {
	const context = await browser.newContext();
	return context.newPage();
}

/**
 * A browser whose camera shows a video the test made (Y4M), with the camera already allowed:
 * Chromium's fake capture device, as a class iPad's front camera would see a card.
 */
export function launchWithCamera(userDataDir: string, videoFile: string): Promise<BrowserContext> {
	return chromium.launchPersistentContext(userDataDir, {
		executablePath: chromiumPath,
		args: [
			...chromiumArgs,
			'--use-fake-device-for-media-stream',
			'--use-fake-ui-for-media-stream',
			`--use-file-for-fake-video-capture=${videoFile}`
		],
		permissions: ['camera'],
		headless: true
	});
}
