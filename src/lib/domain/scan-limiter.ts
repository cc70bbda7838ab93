/**
 * Failed scans in a row on a class device: after five, the scanner rests for thirty
 * seconds and the pupil is asked to fetch their teacher. A good scan starts again.
 */
export interface ScanLimit {
	failures: number;
	pausedUntil: number | null;
}
export const scanLimitRules = { maxFailures: 5, pauseMs: 30_000 } as const;
export const freshScanLimit: ScanLimit = { failures: 0, pausedUntil: null };

export function isPaused(state: ScanLimit, now: number): boolean {
	return state.pausedUntil !== null && now < state.pausedUntil;
}

export function afterFailedScan(state: ScanLimit, now: number, rules = scanLimitRules): ScanLimit {
	const failures =
		(state.pausedUntil !== null && now >= state.pausedUntil ? 0 : state.failures) + 1;
	return failures >= rules.maxFailures
		? { failures, pausedUntil: now + rules.pauseMs }
		: { failures, pausedUntil: null };
}

export function afterGoodScan(): ScanLimit {
	return freshScanLimit;
}
