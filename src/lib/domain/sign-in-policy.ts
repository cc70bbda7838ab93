/**
 * The staff sign-in rules from the schools' policies: slowed down after six successive
 * failures, signed out after ten idle minutes. The numbers are configurable.
 *
 * Slowed down, not locked: after `maxFailures` failures each further try must wait, one
 * minute at first, doubling with each failure up to `lockMinutes`. A stranger who fails on
 * purpose can make the wait no longer than that, and never keeps out someone signing in on
 * a browser they have used before (the known-device exemption, `sign-in-throttle.ts`).
 */
export interface SignInPolicy {
	maxFailures: number;
	/** The longest wait between tries once an account is slowed down. */
	lockMinutes: number;
	idleMinutes: number;
}

export const defaultSignInPolicy: SignInPolicy = {
	maxFailures: 6,
	lockMinutes: 15,
	idleMinutes: 10
};

/** The first wait once an account is slowed down; it doubles up to `lockMinutes`. */
export const firstWaitMinutes = 1;

export interface LockState {
	failures: number;
	lockedUntil: string | null;
}

export function isLocked(state: LockState, now: Date): boolean {
	return state.lockedUntil !== null && new Date(state.lockedUntil).getTime() > now.getTime();
}

/** Minutes to wait after this many successive failures (0 before the slow-down starts). */
export function slowDownMinutes(failures: number, policy: SignInPolicy): number {
	const beyond = failures - policy.maxFailures;
	if (beyond < 0) return 0;
	const first = Math.min(firstWaitMinutes, policy.lockMinutes);
	return Math.min(policy.lockMinutes, first * 2 ** Math.min(beyond, 30));
}

/**
 * The state after one more failed attempt. The count goes on across waits (only a
 * successful sign-in or an admin's unlock clears it), so each failure after the sixth
 * doubles the wait until it reaches the cap.
 */
export function afterFailure(state: LockState, now: Date, policy: SignInPolicy): LockState {
	const failures = state.failures + 1;
	const wait = slowDownMinutes(failures, policy);
	if (wait === 0) return { failures, lockedUntil: null };
	return { failures, lockedUntil: new Date(now.getTime() + wait * 60_000).toISOString() };
}

/** The end of the wait once an account has had this many successive failures (or null). */
export function lockedUntilAfter(failures: number, now: Date, policy: SignInPolicy): string | null {
	return afterFailure({ failures: failures - 1, lockedUntil: null }, now, policy).lockedUntil;
}

/** Whole seconds until the account may try again (0 when it may now). */
export function secondsToWait(state: LockState, now: Date): number {
	if (!isLocked(state, now)) return 0;
	return Math.ceil((new Date(state.lockedUntil!).getTime() - now.getTime()) / 1000);
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
