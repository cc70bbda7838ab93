/**
 * The staff sign-in rules from the schools' policies: locked after six successive
 * failures, signed out after ten idle minutes. Both numbers are configurable.
 */
export interface SignInPolicy {
	maxFailures: number;
	lockMinutes: number;
	idleMinutes: number;
}

export const defaultSignInPolicy: SignInPolicy = {
	maxFailures: 6,
	lockMinutes: 30,
	idleMinutes: 10
};

export interface LockState {
	failures: number;
	lockedUntil: string | null;
}

export function isLocked(state: LockState, now: Date): boolean {
	return state.lockedUntil !== null && new Date(state.lockedUntil).getTime() > now.getTime();
}

/** The state after one more failed attempt. */
export function afterFailure(state: LockState, now: Date, policy: SignInPolicy): LockState {
	const failures = (isLocked(state, now) ? state.failures : expired(state, now)) + 1;
	if (failures >= policy.maxFailures) {
		const until = new Date(now.getTime() + policy.lockMinutes * 60_000).toISOString();
		return { failures, lockedUntil: until };
	}
	return { failures, lockedUntil: null };
}

function expired(state: LockState, now: Date): number {
	// A lock that has run out starts the count again.
	return state.lockedUntil !== null && new Date(state.lockedUntil) <= now ? 0 : state.failures;
}

/** A session is idle-expired when nothing has happened for the idle limit. */
export function isIdleExpired(lastSeenAt: string, now: Date, policy: SignInPolicy): boolean {
	return now.getTime() - new Date(lastSeenAt).getTime() >= policy.idleMinutes * 60_000;
}

export type IdlePhase = 'active' | 'warning' | 'expired';

/** Client side: when to warn (one minute before, or half-way for very short limits) and when to sign out. */
export function idlePhase(idleMs: number, limitMs: number): IdlePhase {
	const warnAt = Math.max(limitMs - 60_000, limitMs / 2);
	if (idleMs >= limitMs) return 'expired';
	return idleMs >= warnAt ? 'warning' : 'active';
}

export const passwordRules = { minLength: 10, maxLength: 200 } as const;
