import { describe, expect, it } from 'vitest';
import {
	acceptableSteps,
	groupSecret,
	normaliseRecoveryCode,
	planNextStep,
	secondFactorRequired,
	showRecoveryCode,
	stageAfterPassword,
	stepAt,
	typedTotp
} from './second-factor';

describe('second factor rules', () => {
	it('is required for the DSL and admins, and for everyone when set to all', () => {
		expect(secondFactorRequired('dsl', 'dsl-admin')).toBe(true);
		expect(secondFactorRequired('admin', 'dsl-admin')).toBe(true);
		expect(secondFactorRequired('teacher', 'dsl-admin')).toBe(false);
		expect(secondFactorRequired('trip', 'dsl-admin')).toBe(false);
		expect(secondFactorRequired('teacher', 'all')).toBe(true);
		expect(secondFactorRequired('trip', 'all')).toBe(true);
	});

	it('asks for a code when enrolled, enrolment when required, and nothing otherwise', () => {
		expect(stageAfterPassword(true, true)).toBe('code');
		expect(stageAfterPassword(false, true)).toBe('code');
		expect(stageAfterPassword(true, false)).toBe('enrol');
		expect(stageAfterPassword(false, false)).toBe('full');
	});

	it('counts 30-second steps from the Unix epoch (RFC 6238 T0 = 0)', () => {
		expect(stepAt(0)).toBe(0);
		expect(stepAt(29_999)).toBe(0);
		expect(stepAt(30_000)).toBe(1);
		expect(stepAt(new Date('1970-01-01T00:00:59Z'))).toBe(1);
		// RFC 6238 appendix B: 1111111109 s is step 0x23523EC.
		expect(stepAt(1_111_111_109_000)).toBe(0x23523ec);
	});

	it('accepts one step either side of now', () => {
		expect(acceptableSteps(100, null)).toEqual([99, 100, 101]);
	});

	it('never accepts a step at or before the last one used', () => {
		expect(acceptableSteps(100, 99)).toEqual([100, 101]);
		expect(acceptableSteps(100, 100)).toEqual([101]);
		expect(acceptableSteps(100, 101)).toEqual([]);
		expect(acceptableSteps(100, 5)).toEqual([99, 100, 101]);
	});

	it('reads a typed code with spaces or a dash, and nothing else', () => {
		expect(typedTotp('123456')).toBe('123456');
		expect(typedTotp(' 123 456 ')).toBe('123456');
		expect(typedTotp('123-456')).toBe('123456');
		expect(typedTotp('12345')).toBeNull();
		expect(typedTotp('1234567')).toBeNull();
		expect(typedTotp('12a456')).toBeNull();
		expect(typedTotp('')).toBeNull();
	});

	it('writes recovery codes and secrets in groups, and reads them back however typed', () => {
		expect(showRecoveryCode('abcdefghjkmnpqrs')).toBe('abcd-efgh-jkmn-pqrs');
		expect(normaliseRecoveryCode(' ABCD-efgh jkmn-PQRS ')).toBe('abcdefghjkmnpqrs');
		expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
	});
});

describe('planNextStep (for whoever types codes for someone, such as a test)', () => {
	const step = 30_000;
	it('uses the current step when nothing newer was used', () => {
		expect(planNextStep(100 * step + 10, undefined)).toEqual({ step: 100, waitMs: 0 });
		expect(planNextStep(100 * step + 10, 99)).toEqual({ step: 100, waitMs: 0 });
	});
	it('uses the step ahead once the current one is used', () => {
		expect(planNextStep(100 * step + 10, 100)).toEqual({ step: 101, waitMs: 0 });
	});
	it('waits for the clock to reach the step ahead once that is used too', () => {
		expect(planNextStep(100 * step + 10, 101)).toEqual({ step: 102, waitMs: step - 10 });
	});
	it('always plans a step the server accepts, and never one used before', () => {
		for (const offset of [0, 1, 15_000, 29_999]) {
			for (const last of [undefined, 98, 99, 100, 101]) {
				const now = 100 * step + offset;
				const plan = planNextStep(now, last);
				const when = stepAt(now + plan.waitMs);
				// Even if the clock moves on to the next step while the code is typed:
				for (const server of [when, when + 1]) {
					expect(acceptableSteps(server, last ?? null)).toContain(plan.step);
				}
			}
		}
	});
});
