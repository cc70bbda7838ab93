import { describe, expect, it } from 'vitest';
import { pinProblem, seal, unseal } from './sealed';

// Few iterations here: the rule is the same, and the tests stay quick. The real count is in
// `pinIterations` and its cost is measured in bench/.
const iterations = 1000;
const snapshot = {
	pupils: [{ firstName: 'Nia', lastInitial: 'R', verdicts: { website: 'allowed' } }],
	takenAt: '2026-11-22T09:00:00.000Z'
};

describe('the sealed trip snapshot', () => {
	it('opens with the PIN it was sealed with, and not with another', async () => {
		const sealed = await seal(snapshot, '482915', iterations);
		expect(await unseal(sealed, '482915')).toEqual(snapshot);
		expect(await unseal(sealed, '482916')).toBeNull();
		expect(await unseal(sealed, '')).toBeNull();
	});

	it('holds no pupil name in plain text, and a fresh salt and IV each time', async () => {
		const a = await seal(snapshot, '482915', iterations);
		const b = await seal(snapshot, '482915', iterations);
		expect(JSON.stringify(a)).not.toContain('Nia');
		expect(atob(a.data)).not.toContain('Nia');
		expect(a.salt).not.toBe(b.salt);
		expect(a.iv).not.toBe(b.iv);
		expect(a.data).not.toBe(b.data);
	});

	it('refuses a snapshot that was tampered with', async () => {
		const sealed = await seal(snapshot, '482915', iterations);
		const bytes = Uint8Array.from(atob(sealed.data), (c) => c.charCodeAt(0));
		bytes[0] = bytes[0]! ^ 1;
		const changed = { ...sealed, data: btoa(String.fromCharCode(...bytes)) };
		expect(await unseal(changed, '482915')).toBeNull();
	});

	it('seals a large snapshot (2,000 pupils)', async () => {
		const big = {
			pupils: Array.from({ length: 2000 }, (_, i) => ({
				firstName: `Pupil${i}`,
				lastInitial: 'A',
				verdicts: { a: 'allowed', b: 'not-allowed' }
			}))
		};
		const sealed = await seal(big, '482915', iterations);
		expect(await unseal(sealed, '482915')).toEqual(big);
	});

	it('asks for a PIN that is not easy to guess', () => {
		expect(pinProblem('482915')).toBeNull();
		expect(pinProblem('12345')).toBe('trip.error.pinShape');
		expect(pinProblem('4829150371')).toBeNull();
		expect(pinProblem('4829150371625')).toBe('trip.error.pinShape');
		expect(pinProblem('12a456')).toBe('trip.error.pinShape');
		expect(pinProblem('111111')).toBe('trip.error.pinRepeated');
		expect(pinProblem('123456')).toBe('trip.error.pinSequence');
		expect(pinProblem('987654')).toBe('trip.error.pinSequence');
	});
});
