import { describe, expect, it } from 'vitest';
import {
	afterFailure,
	defaultSignInPolicy,
	idlePhase,
	isIdleExpired,
	isLocked,
	secondsToWait,
	slowDownMinutes,
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

	it('lets the account try again when the wait has passed, and a further failure doubles the wait', () => {
		const slowed = { failures: 6, lockedUntil: minutesLater(1).toISOString() };
		expect(isLocked(slowed, minutesLater(0.9))).toBe(true);
		expect(isLocked(slowed, minutesLater(1))).toBe(false);
		expect(afterFailure(slowed, minutesLater(1), policy)).toEqual({
			failures: 7,
			lockedUntil: minutesLater(3).toISOString()
		});
	});

	it('waits one minute, then doubles, and never more than the cap', () => {
		const waits = [5, 6, 7, 8, 9, 10, 11, 50, 5000].map((f) => slowDownMinutes(f, policy));
		expect(waits).toEqual([0, 1, 2, 4, 8, 15, 15, 15, 15]);
		expect(slowDownMinutes(7, { ...policy, lockMinutes: 30 })).toBe(2);
		expect(slowDownMinutes(20, { ...policy, lockMinutes: 30 })).toBe(30);
		// A cap under a minute is the whole wait.
		expect(slowDownMinutes(6, { ...policy, lockMinutes: 0.5 })).toBe(0.5);
	});

	it('says how many whole seconds are left', () => {
		const slowed = { failures: 6, lockedUntil: minutesLater(1).toISOString() };
		expect(secondsToWait(slowed, start)).toBe(60);
		expect(secondsToWait(slowed, new Date(start.getTime() + 59_500))).toBe(1);
		expect(secondsToWait(slowed, minutesLater(2))).toBe(0);
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
