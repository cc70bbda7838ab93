import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from './browser';
import { ChromiumUi, WebKitUi, type Ui } from './ui';
import { launchWebKit } from './webkit';

/** Both engines a school meets: WebKit on every iPad, Chromium on laptops and whiteboards. */
export type Engine = 'chromium' | 'webkit';
/** `LANTERN_ENGINES=webkit` (or `chromium`) runs the journeys in one engine; both by default. */
export const engines: Engine[] = (process.env.LANTERN_ENGINES ?? 'chromium,webkit')
	.split(',')
	.map((name) => name.trim())
	.filter((name): name is Engine => name === 'chromium' || name === 'webkit');

/** The iPad sizes: landscape, the larger iPads' landscape, and portrait. */
export const ipadSizes = [
	{ width: 1024, height: 768 },
	{ width: 1180, height: 820 },
	{ width: 820, height: 1180 }
] as const;

export interface BrowserWindow {
	ui: Ui;
	/** Quits the browser; its profile stays when one was given. */
	close(): Promise<void>;
}

export interface WindowOptions {
	/** Keep the profile here, so the same "device" can be closed and started again cold. */
	profileDir?: string;
	width?: number;
	height?: number;
	/** Lay pages out as a touch browser does (Chromium's mobile emulation; WebKitGTK has none). */
	touch?: boolean;
	/** An iPad whose camera cannot help: no camera or microphone at all. */
	noCamera?: boolean;
}

/**
 * One browser window in the engine asked for, with the camera and microphone allowed (a fake
 * camera and microphone in both). Each window is its own browser process and profile.
 */
export async function openWindow(
	engine: Engine,
	options: WindowOptions = {}
): Promise<BrowserWindow> {
	const { width = 1024, height = 768 } = options;
	const profile = options.profileDir ?? mkdtempSync(join(tmpdir(), `lantern-${engine}-`));
	const throwAway = options.profileDir === undefined;
	if (engine === 'chromium') {
		const context = await chromium.launchPersistentContext(profile, {
			executablePath: chromiumPath,
			args: options.noCamera
				? chromiumArgs
				: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
			permissions: options.noCamera ? [] : ['camera', 'microphone'],
			viewport: { width, height },
			...(options.touch ? { isMobile: true, hasTouch: true } : {}),
			headless: true
		});
		const page = context.pages()[0] ?? (await context.newPage());
		return {
			ui: new ChromiumUi(page),
			close: async () => {
				await context.close().catch(() => undefined);
				if (throwAway) rmSync(profile, { recursive: true, force: true });
			}
		};
	}
	const browser = await launchWebKit({
		profileDir: profile,
		...(options.noCamera ? { noCamera: true } : {})
	});
	const ui = new WebKitUi(browser);
	try {
		await ui.setViewport(width, height);
	} catch (error) {
		await browser.quit();
		throw error;
	}
	return {
		ui,
		close: async () => {
			await browser.quit();
			if (throwAway) rmSync(profile, { recursive: true, force: true });
		}
	};
}
