import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinIterations, seal, unseal } from '../src/lib/client/trip/sealed';
import { nameIndex, searchNames } from '../src/lib/domain/trip';
import { demoPassword, demoStaff } from '../src/lib/server/demo/demo-school';
import { insertConsentRecords } from '../src/lib/server/repositories/consent.repository';
import { listPupilsOfClass } from '../src/lib/server/repositories/pupil.repository';
import { issueCards } from '../src/lib/server/services/card.service';
import { addClass, addPupils } from '../src/lib/server/services/class.service';
import { consentUses } from '../src/lib/server/services/consent.service';
import { TripScreen } from '../test/e2e/pages/trip-pages';
import { launchWithProfile } from '../test/e2e/support/browser';
import { actorFor, openSchool } from '../test/e2e/support/school';
import type { RunningServer } from '../test/e2e/support/server';
import { median, report } from './report';

const firstNames = [
	'Amy',
	'Arlo',
	'Bea',
	'Bryn',
	'Cerys',
	'Cody',
	'Daisy',
	'Dewi',
	'Eli',
	'Elin',
	'Finn',
	'Freya',
	'Gus',
	'Gwen',
	'Hana',
	'Harri',
	'Isla',
	'Ivo',
	'Jac',
	'Juno',
	'Kai',
	'Kit',
	'Lowri',
	'Luna',
	'Mali',
	'Nia',
	'Ola',
	'Osian',
	'Priya',
	'Rhys',
	'Sam',
	'Tia',
	'Wren',
	'Yusuf',
	'Zara',
	'Zoë'
];
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** What staff type, a key at a time: "a", "am", "amy", "amy b" … */
const typed = ['a', 'am', 'amy', 'amy b', 'z', 'zo', 'zoe', 'h', 'ha', 'har', 'harri', 'harri c'];

function pupilsFor(classIndex: number, count: number) {
	return Array.from({ length: count }, (_, i) => ({
		firstName: firstNames[(classIndex * 7 + i) % firstNames.length]!,
		lastInitial: letters[(classIndex + i * 3) % letters.length]!
	}));
}

/** Name search on its own in Node: build the index once, then each key press. */
function searchInNode(): void {
	const pupils = Array.from({ length: 40 }, (_, c) =>
		pupilsFor(c, 50).map((p, i) => ({ ...p, id: `${c}-${i}`, className: `Bench ${c}` }))
	).flat();
	let t = performance.now();
	const index = nameIndex(pupils);
	report('trip name index built, 2,000 pupils (Node)', performance.now() - t, 'ms');
	const times: number[] = [];
	for (let round = 0; round < 50; round++)
		for (const q of typed) {
			t = performance.now();
			searchNames(index, q);
			times.push(performance.now() - t);
		}
	times.sort((a, b) => a - b);
	report('trip name search, 2,000 pupils (Node), median', median(times), 'ms', '< 5 ms');
	report(
		'trip name search, 2,000 pupils (Node), p99',
		times[Math.floor(times.length * 0.99)]!,
		'ms',
		'< 5 ms'
	);
}

/** Sealing and unsealing alone in Node, with the real iteration count. */
async function sealInNode(): Promise<void> {
	const uses = [
		'in-school',
		'website',
		'social',
		'print',
		'press',
		'video',
		'outside',
		'photo',
		'named'
	];
	const snapshot = {
		uses: uses.map((id) => ({ id, name: id })),
		pupils: Array.from({ length: 2000 }, (_, i) => ({
			id: randomUUID(),
			firstName: firstNames[i % firstNames.length],
			lastInitial: 'A',
			className: `Bench ${i % 40}`,
			cardIds: ['ABCDEFGH'],
			verdicts: uses.map((_, j) => ((i + j) % 5 ? 'allowed' : 'not-allowed'))
		}))
	};
	const sealTimes: number[] = [];
	const unlockTimes: number[] = [];
	for (let i = 0; i < 3; i++) {
		let t = performance.now();
		const sealed = await seal(snapshot, '482915', pinIterations);
		sealTimes.push(performance.now() - t);
		t = performance.now();
		await unseal(sealed, '482915');
		unlockTimes.push(performance.now() - t);
	}
	report('trip list seal in Node (PBKDF2 600,000 + AES-GCM), median of 3', median(sealTimes), 'ms');
	report('trip list unlock in Node, median of 3', median(unlockTimes), 'ms');
}

/**
 * The photo check in Chromium with its CPU slowed 4× (an older iPad), for a trip of 2,000
 * pupils in 40 classes with a full consent list: download-and-seal from the button to the
 * unlocked list, the sealed size in IndexedDB, unlocking with the PIN, and each name search
 * as staff type.
 */
export async function tripBenchmarks(server: RunningServer): Promise<void> {
	searchInNode();
	await sealInNode();

	const school = await openSchool(server.dbFile);
	const admin = await actorFor(school, demoStaff.admin.email);
	const uses = await consentUses(school, admin.schoolId);
	const classNames: string[] = [];
	for (let c = 0; c < 40; c++) {
		const name = `Bench ${String(c + 1).padStart(2, '0')}`;
		const made = await addClass(school, admin, { name, yearGroup: 1 + (c % 6) });
		if (!made.ok) throw new Error(made.error);
		await addPupils(school, admin, made.classId, pupilsFor(c, 50), 'hand');
		await issueCards(school, admin, made.classId, { kind: 'all' });
		const pupils = await listPupilsOfClass(school.db, admin.schoolId, made.classId);
		await insertConsentRecords(
			school.db,
			admin.schoolId,
			pupils.flatMap((p, i) =>
				uses.map((u, j) => ({
					id: randomUUID(),
					pupilId: p.id,
					useId: u.id,
					decision: (i + j) % 6 === 0 ? ('refused' as const) : ('granted' as const),
					givenBy: 'A parent',
					relationship: 'mother',
					givenOn: '2026-09-08',
					validFrom: '2026-09-08',
					validUntil: null,
					source: 'paper-form' as const,
					recordedBy: admin.staffId,
					recordedAt: '2026-09-08T15:00:00.000Z',
					importId: null
				}))
			)
		);
		classNames.push(name);
	}
	await school.close();

	const dir = mkdtempSync(join(tmpdir(), 'lantern-trip-bench-'));
	const context = await launchWithProfile(dir);
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		const screen = new TripScreen(page, server.url);
		await screen.open();
		await screen.signInFromHere(demoStaff.trip.email, demoPassword);
		const cdp = await context.newCDPSession(page);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
		await page.getByLabel('Name of the group').fill('Whole school trip');
		for (const name of classNames) await page.getByLabel(name, { exact: true }).check();
		await page.getByLabel('Choose a PIN').fill('482913');
		await page.getByLabel('Type the PIN again').fill('482913');
		let t = Date.now();
		await page.getByRole('button', { name: 'Download and lock the list' }).click();
		await page.locator('main.trip[data-state="unlocked"]').waitFor({ timeout: 120_000 });
		report(
			'trip list download and seal in Chromium, 4× slower CPU, 2,000 pupils',
			Date.now() - t,
			'ms'
		);
		const dump = JSON.parse(await screen.dumpIndexedDb()) as Record<
			string,
			{ sealed?: { data: string } }[]
		>;
		const sealed = dump['lantern-device/trip']![0]!.sealed!;
		report(
			'trip list sealed in IndexedDB, 2,000 pupils',
			JSON.stringify(sealed).length / 1024,
			'KB'
		);

		const unlocks: number[] = [];
		for (let i = 0; i < 3; i++) {
			await screen.lock();
			t = Date.now();
			await screen.unlockAndWait('482913');
			unlocks.push(Date.now() - t);
		}
		report(
			'trip list unlock with the PIN in Chromium, 4× slower CPU, median of 3',
			median(unlocks),
			'ms'
		);

		await screen.chooseUse('School website');
		await page.evaluate(() => performance.clearMeasures('lantern:trip-search'));
		const field = page.getByLabel('Find a pupil by name');
		for (let round = 0; round < 3; round++) {
			await field.fill('');
			for (const q of typed) {
				await field.fill(q);
				await page.waitForTimeout(20);
			}
		}
		const times = await page.evaluate(() =>
			performance
				.getEntriesByName('lantern:trip-search')
				.map((e) => e.duration)
				.sort((a, b) => a - b)
		);
		report(
			`trip name search in Chromium, 4× slower CPU, 2,000 pupils, median of ${times.length}`,
			median(times),
			'ms',
			'< 5 ms'
		);
		report(
			'trip name search in Chromium, 4× slower CPU, slowest',
			times[times.length - 1] ?? 0,
			'ms',
			'< 5 ms'
		);
	} finally {
		await context.close();
		rmSync(dir, { recursive: true, force: true });
	}
}
