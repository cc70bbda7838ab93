import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoStaff } from '../src/lib/server/demo/demo-school';
import { issueCards } from '../src/lib/server/services/card.service';
import { createEnrolmentCode } from '../src/lib/server/services/device.service';
import { writeCardVideo } from '../test/fixtures/card-frame';
import { launchWithCamera } from '../test/e2e/support/browser';
import { actorFor, classIdByName, openSchool } from '../test/e2e/support/school';
import type { RunningServer } from '../test/e2e/support/server';
import { median, report } from './report';

const runs = 5;

/** Card in view to signed in, with Chromium's fake camera showing a card (as in the browser test). */
export async function cameraSignIn(server: RunningServer): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'lantern-bench-camera-'));
	const school = await openSchool(server.dbFile);
	try {
		const teacher = await actorFor(school, demoStaff.year6.email);
		const classId = await classIdByName(school, teacher, 'Otters');
		const issued = await issueCards(school, teacher, classId, { kind: 'all' });
		const made = await createEnrolmentCode(school, teacher, {
			name: 'Bench iPad',
			classIds: [classId]
		});
		if (!issued.ok || !made.ok) throw new Error('could not set up the bench');
		const card = issued.cards[0]!;
		const video = join(dir, 'card.y4m');
		writeCardVideo(video, card.token);
		const context = await launchWithCamera(join(dir, 'profile'), video);
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto(server.url + '/pupil');
		await page.getByText('For teachers: set up this iPad').click();
		await page.getByLabel('Set-up code').fill(made.code);
		await page.getByRole('button', { name: 'Set up', exact: true }).click();

		const times: number[] = [];
		for (let i = 0; i < runs; i++) {
			await page.getByRole('heading', { name: 'Scan your card' }).waitFor();
			const started = performance.now();
			await page.getByRole('button', { name: 'Turn on the camera' }).click();
			await page.getByRole('heading', { name: `Hello, ${card.firstName}!` }).waitFor();
			times.push(performance.now() - started);
			await page.getByRole('button', { name: "I've finished" }).click();
		}
		await context.close();
		report(
			`card in view to signed in, fake camera (median of ${runs})`,
			median(times),
			'ms',
			'< 1000 ms'
		);
		report('card in view to signed in, slowest', Math.max(...times), 'ms');
	} finally {
		await school.close();
		rmSync(dir, { recursive: true, force: true });
	}
}
