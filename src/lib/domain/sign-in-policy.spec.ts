import { describe, expect, it } from 'vitest';
import {
	afterFailure,
	defaultSignInPolicy,
	idlePhase,
	isIdleExpired,
	isLocked,
	type LockState
} from './sign-in-policy';

const policy = defaultSignInPolicy;
const start = new Date('2026-09-07T08:00:00Z');
const minutesLater = (m: number) => new Date(start.getTime() + m * 60_000);

describe('lockout', () => {
	it('locks on the sixth successive failure, not before', () => {
		let state: LockState = { failures: 0, lockedUntil: null };
		for (let i = 1; i <= 5; i++) {
			state = afterFailure(state, start, policy);
			expect(isLocked(state, start)).toBe(false);
		}
		state = afterFailure(state, start, policy);
		expect(state.failures).toBe(6);
		expect(isLocked(state, start)).toBe(true);
	});

	it('unlocks when the lock time has passed and counts again from one', () => {
		const locked = { failures: 6, lockedUntil: minutesLater(30).toISOString() };
		expect(isLocked(locked, minutesLater(29))).toBe(true);
		expect(isLocked(locked, minutesLater(30))).toBe(false);
		expect(afterFailure(locked, minutesLater(31), policy)).toEqual({
			failures: 1,
			lockedUntil: null
		});
	});

	it('follows a configured number of failures', () => {
		const strict = { ...policy, maxFailures: 3 };
		let state: LockState = { failures: 0, lockedUntil: null };
		for (let i = 0; i < 3; i++) state = afterFailure(state, start, strict);
		expect(isLocked(state, start)).toBe(true);
	});
});

describe('idle sign-out', () => {
	it('expires a session after ten idle minutes', () => {
		const seen = start.toISOString();
		expect(isIdleExpired(seen, minutesLater(9.9), policy)).toBe(false);
		expect(isIdleExpired(seen, minutesLater(10), policy)).toBe(true);
	});

	it('warns a minute before signing out', () => {
		const limit = 10 * 60_000;
		expect(idlePhase(8 * 60_000, limit)).toBe('active');
		expect(idlePhase(9 * 60_000, limit)).toBe('warning');
		expect(idlePhase(10 * 60_000, limit)).toBe('expired');
	});

	it('warns half-way through a very short limit', () => {
		expect(idlePhase(20_000, 60_000)).toBe('active');
		expect(idlePhase(30_000, 60_000)).toBe('warning');
	});
});
