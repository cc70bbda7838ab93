import { HOTP, Secret } from 'otpauth';
import { planNextStep } from '$lib/domain/second-factor';
import {
	demoSecondFactorSecret,
	demoSecondFactorStaff,
	demoStaff
} from '$lib/server/demo/demo-school';

/**
 * Codes for staff who sign in with a second factor, as their authenticator app would show
 * them. Each code works once, so this remembers, for each server and email, the last step it
 * used, and takes the next one the server accepts (waiting for the clock to reach it when it
 * must: never a guess, never a retry).
 */
const secrets = new Map<string, string>();
const lastSteps = new Map<string, number>();
const key = (base: string, email: string) => `${new URL(base).origin}|${email.toLowerCase()}`;

const demoEmails = new Set<string>(demoSecondFactorStaff.map((k) => demoStaff[k].email));

/** The secret of someone's app: one a test saw at enrolment, or the demo school's. */
export function secretFor(base: string, email: string): string | undefined {
	return (
		secrets.get(key(base, email)) ??
		(demoEmails.has(email.toLowerCase()) ? demoSecondFactorSecret : undefined)
	);
}

/** Remembers the secret shown at enrolment (spaces as shown on the page are fine). */
export function rememberSecret(base: string, email: string, secret: string): void {
	secrets.set(key(base, email), secret.replace(/\s/g, ''));
	// A new secret has no used steps yet.
	lastSteps.delete(key(base, email));
}

export function codeAtStep(secret: string, step: number): string {
	return HOTP.generate({ secret: Secret.fromBase32(secret), counter: step });
}

/** The next code the server will accept for this person, waiting for a fresh step if needed. */
export async function nextCode(base: string, email: string): Promise<string> {
	const secret = secretFor(base, email);
	if (!secret) throw new Error(`No second factor known for ${email}`);
	for (;;) {
		const plan = planNextStep(Date.now(), lastSteps.get(key(base, email)));
		if (plan.waitMs <= 0) {
			lastSteps.set(key(base, email), plan.step);
			return codeAtStep(secret, plan.step);
		}
		await new Promise((resolve) => setTimeout(resolve, plan.waitMs + 5));
	}
}

/** The code used last for this person (to try it again, as an attacker replaying it). */
export function lastCode(base: string, email: string): string {
	const secret = secretFor(base, email);
	const step = lastSteps.get(key(base, email));
	if (!secret || step === undefined) throw new Error(`No code used yet for ${email}`);
	return codeAtStep(secret, step);
}
