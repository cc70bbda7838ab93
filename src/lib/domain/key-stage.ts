/** Year groups of an English or Welsh primary school: Reception (0) to Year 6. */
export const yearGroups = [0, 1, 2, 3, 4, 5, 6] as const;
export type YearGroup = (typeof yearGroups)[number];
export type KeyStage = 'EYFS' | 'KS1' | 'KS2';

export function keyStageFor(yearGroup: number): KeyStage {
	if (yearGroup <= 0) return 'EYFS';
	return yearGroup <= 2 ? 'KS1' : 'KS2';
}

export function isYearGroup(value: number): value is YearGroup {
	return Number.isInteger(value) && value >= 0 && value <= 6;
}
