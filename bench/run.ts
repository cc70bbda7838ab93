/**
 * `npm run bench`: every benchmark in bench/, each printing `bench: <name> = <value> <unit>`.
 * Figures are reported against the budgets in DESIGN.md, never asserted: machines here are
 * shared and noisy. Needs the production build (`npm run build`) and Debian's Chromium.
 */
import { existsSync } from 'node:fs';
import { cameraSignIn } from './camera-sign-in';
import { coldStart } from './cold-start';
import { decodeTimes } from './decode';
import { javascriptBeforeInteraction } from './javascript-size';
import { lessonBenchmarks } from './lessons';
import { tripBenchmarks } from './trip';
import { reportBenchmarks } from './reports';
import { startServer } from '../test/e2e/support/server';

if (!existsSync('build/index.js')) {
	console.error('Build first: npm run build');
	process.exit(1);
}

const server = await startServer({ seed: 'demo' });
try {
	await javascriptBeforeInteraction(server.url);
	await coldStart(server);
	decodeTimes();
	await cameraSignIn(server);
	await lessonBenchmarks(server);
	await reportBenchmarks(server);
	await tripBenchmarks(server);
} finally {
	await server.stop();
	server.cleanUp();
}
