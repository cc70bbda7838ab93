// Adds up the Vitest JSON reports and the plain checks into one closing line.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @typedef {{ status: string, assertionResults: unknown[] }} SuiteResult */
/** @typedef {{ numPassedTests: number, numFailedTests: number, testResults: SuiteResult[] }} Report */

const [dir = 'test-results', checksPassed = '0', checksFailed = '0'] = process.argv.slice(2);
let passed = Number(checksPassed);
let failed = Number(checksFailed);
for (const file of readdirSync(dir)
	.filter((f) => f.endsWith('.json'))
	.sort()) {
	/** @type {Report} */
	const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
	// A suite that failed to load has no tests but is a failure all the same.
	const broken = report.testResults.filter(
		(r) => r.status === 'failed' && r.assertionResults.length === 0
	).length;
	console.log(
		`${file.replace('.json', '').padEnd(22)} ${report.numPassedTests} passed, ${report.numFailedTests + broken} failed`
	);
	passed += report.numPassedTests;
	failed += report.numFailedTests + broken;
}
console.log(`${'checks'.padEnd(22)} ${checksPassed} passed, ${checksFailed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
