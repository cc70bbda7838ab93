import { describe, expect, it } from 'vitest';
import { isYearGroup, keyStageFor } from './key-stage';

describe('key stages', () => {
	it('puts Years 1–2 in KS1 and Years 3–6 in KS2', () => {
		expect([0, 1, 2, 3, 6].map(keyStageFor)).toEqual(['EYFS', 'KS1', 'KS1', 'KS2', 'KS2']);
	});
	it('knows a primary year group', () => {
		expect(isYearGroup(4)).toBe(true);
		expect(isYearGroup(7)).toBe(false);
		expect(isYearGroup(1.5)).toBe(false);
	});
});
