import type { StaffRole } from './roles';

/**
 * The second factor for staff: a time-based one-time code (RFC 6238: SHA-1, six digits,
 * 30-second steps) from an authenticator app, or a one-time recovery code. These are the
 * pure rules; the HMAC and the storage are in `src/lib/server/services/second-factor.service.ts`.
 */
export const totpPeriodSeconds = 30;
export const totpDigits = 6;
/** Steps either side of now that are still accepted, for a phone's clock a little out. */
export const totpWindow = 1;
export const recoveryCodeCount = 10;

/** Who must have a second factor: the DSL and admins by default, every member of staff when set to `all`. */
export type SecondFactorMode = 'dsl-admin' | 'all';

export function secondFactorRequired(role: StaffRole, mode: SecondFactorMode): boolean {
	return mode === 'all' || role === 'dsl' || role === 'admin';
}

/**
 * What a session may do: `full` is a normal session; `code` has passed the password and
 * waits for a code; `enrol` has passed the password and must set up a second factor first.
 */
export type SessionStage = 'full' | 'code' | 'enrol';

/** The stage a session starts in once the password is right. */
export function stageAfterPassword(required: boolean, enrolled: boolean): SessionStage {
	if (enrolled) return 'code';
	return required ? 'enrol' : 'full';
}

/** The 30-second step a moment falls in. */
export function stepAt(now: Date | number): number {
	return Math.floor(new Date(now).getTime() / (totpPeriodSeconds * 1000));
}

/**
 * The steps whose code is accepted now, newest last: the current step and one either side,
 * leaving out every step at or before the last one used, so each code works once.
 */
export function acceptableSteps(current: number, lastUsed: number | null): number[] {
	const steps: number[] = [];
	for (let step = current - totpWindow; step <= current + totpWindow; step++) {
		if (lastUsed === null || step > lastUsed) steps.push(step);
	}
	return steps;
}

/** A typed code as digits only ("123 456" and "123-456" are "123456"), or null when it is not one. */
export function typedTotp(typed: string): string | null {
	const digits = typed.replace(/[\s-]/g, '');
	return new RegExp(`^\\d{${totpDigits}}$`).test(digits) ? digits : null;
}

/** Recovery codes: 16 letters and digits that cannot be mistaken for each other (80 bits). */
export const recoveryAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
export const recoveryCodeLength = 16;

/** A recovery code as stored and compared: lower case, no spaces or dashes. */
export function normaliseRecoveryCode(typed: string): string {
	return typed.toLowerCase().replace(/[\s-]/g, '');
}

/** How a recovery code is shown: `abcd-efgh-jkmn-pqrs`. */
export function showRecoveryCode(code: string): string {
	return (normaliseRecoveryCode(code).match(/.{1,4}/g) ?? []).join('-');
}

/** A Base32 secret in groups of four, for typing into an app by hand. */
export function groupSecret(secret: string): string {
	return (secret.replace(/\s/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * For a script or a test that types codes for someone (never the app): which step's code to
 * use next, given the last step it used for that person, and how long to wait first. Each
 * code works once, so after using the step ahead of now it waits for the clock to reach it.
 * It only uses now and the step ahead, so a step boundary passing while the code is typed
 * cannot push it out of the window.
 */
export function planNextStep(
	nowMs: number,
	lastUsed: number | undefined
): { step: number; waitMs: number } {
	const current = stepAt(nowMs);
	if (lastUsed === undefined || lastUsed < current) return { step: current, waitMs: 0 };
	if (lastUsed === current) return { step: current + 1, waitMs: 0 };
	return { step: lastUsed + 1, waitMs: lastUsed * totpPeriodSeconds * 1000 - nowMs };
}
