import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../test/e2e/support/browser';
import { report } from './report';

/**
 * Gzip bytes of every script a page loads before anyone can touch it: all JavaScript
 * fetched until the page has loaded and the network has gone quiet.
 */
async function scriptBytes(url: string): Promise<{ gzip: number; raw: number; files: number }> {
	const browser = await launchBrowser();
	try {
		const context = await browser.newContext({ serviceWorkers: 'block' });
		const page = await context.newPage();
		const bodies: Promise<Buffer>[] = [];
		page.on('response', (response) => {
			if (response.request().resourceType() === 'script') bodies.push(response.body());
		});
		await page.goto(url, { waitUntil: 'networkidle' });
		const scripts = await Promise.all(bodies);
		return {
			gzip: scripts.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0),
			raw: scripts.reduce((sum, body) => sum + body.length, 0),
			files: scripts.length
		};
	} finally {
		await browser.close();
	}
}

export async function javascriptBeforeInteraction(base: string): Promise<void> {
	const pupil = await scriptBytes(base + '/pupil');
	report(
		'pupil start screen JavaScript before interaction (gzip)',
		pupil.gzip / 1024,
		'KB',
		'≤ 120 KB'
	);
	report('pupil start screen JavaScript files', pupil.files, 'files');
	const signIn = await scriptBytes(base + '/signin');
	report('staff sign-in JavaScript before interaction (gzip)', signIn.gzip / 1024, 'KB');
	report('staff sign-in JavaScript files', signIn.files, 'files');
}
