import { pinIterations, seal, unseal } from '../src/lib/client/trip/sealed';
import { median, report } from './report';

/**
 * The trip snapshot at rest for 2,000 pupils with nine uses: its size sealed, and the time to
 * seal and to unlock it with the real PBKDF2 iteration count (on this machine's Node; an iPad's
 * Safari does the same Web Crypto work).
 */
export async function tripBenchmarks(): Promise<void> {
	const uses = [
		'in-school',
		'website',
		'social-media',
		'print',
		'press',
		'video',
		'outside',
		'photographer',
		'named'
	];
	const snapshot = {
		takenAt: new Date().toISOString(),
		uses: uses.map((id) => ({ id, name: id })),
		pupils: Array.from({ length: 2000 }, (_, i) => ({
			id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
			firstName: `Pupil${i}`,
			lastInitial: 'A',
			className: `Class ${i % 60}`,
			cardIds: ['ABCDEFGH'],
			verdicts: Object.fromEntries(
				uses.map((u, j) => [u, (i + j) % 5 === 0 ? 'not-allowed' : 'allowed'])
			)
		}))
	};
	const sealTimes: number[] = [];
	const unlockTimes: number[] = [];
	let size = 0;
	for (let i = 0; i < 3; i++) {
		let t = performance.now();
		const sealed = await seal(snapshot, '482915', pinIterations);
		sealTimes.push(performance.now() - t);
		size = JSON.stringify(sealed).length;
		t = performance.now();
		await unseal(sealed, '482915');
		unlockTimes.push(performance.now() - t);
	}
	report('trip snapshot for 2,000 pupils, sealed', size / 1024, 'KB');
	report(
		'trip snapshot seal (PBKDF2 600,000 + AES-GCM), 2,000 pupils, median of 3',
		median(sealTimes),
		'ms'
	);
	report('trip snapshot unlock with the PIN, 2,000 pupils, median of 3', median(unlockTimes), 'ms');
}
