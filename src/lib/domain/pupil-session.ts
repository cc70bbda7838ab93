import type { KeyStage } from './key-stage';

/**
 * How long a pupil stays signed in on a shared iPad with nothing happening: younger
 * children wander off sooner. Configurable per school.
 */
export interface PupilIdleLimits {
	ks1Minutes: number;
	ks2Minutes: number;
}
export const defaultPupilIdleLimits: PupilIdleLimits = { ks1Minutes: 5, ks2Minutes: 10 };

export function pupilIdleLimitMs(
	keyStage: KeyStage,
	limits: PupilIdleLimits = defaultPupilIdleLimits
): number {
	return (keyStage === 'KS2' ? limits.ks2Minutes : limits.ks1Minutes) * 60_000;
}

export function pupilIdleExpired(
	lastActivity: number,
	now: number,
	keyStage: KeyStage,
	limits?: PupilIdleLimits
): boolean {
	return now - lastActivity >= pupilIdleLimitMs(keyStage, limits);
}
