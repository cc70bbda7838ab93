import { describe, expect, it } from 'vitest';
import {
	afterFailedScan,
	afterGoodScan,
	freshScanLimit,
	isPaused,
	type ScanLimit
} from './scan-limiter';

describe('failed scans in a row', () => {
	it('pauses for thirty seconds after the fifth', () => {
		let state: ScanLimit = freshScanLimit;
		for (let i = 0; i < 4; i++) state = afterFailedScan(state, 1000);
		expect(isPaused(state, 1000)).toBe(false);
		state = afterFailedScan(state, 1000);
		expect(isPaused(state, 1000)).toBe(true);
		expect(isPaused(state, 30_999)).toBe(true);
		expect(isPaused(state, 31_000)).toBe(false);
	});
	it('counts again from one after the pause', () => {
		const paused = { failures: 5, pausedUntil: 31_000 };
		expect(afterFailedScan(paused, 40_000)).toEqual({ failures: 1, pausedUntil: null });
	});
	it('starts again after a good scan', () => {
		expect(afterGoodScan()).toEqual({ failures: 0, pausedUntil: null });
	});
});
