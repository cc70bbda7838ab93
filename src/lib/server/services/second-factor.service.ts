import { randomBytes, timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';
import {
	acceptableSteps,
	normaliseRecoveryCode,
	recoveryAlphabet,
	recoveryCodeCount,
	recoveryCodeLength,
	secondFactorRequired,
	showRecoveryCode,
	stageAfterPassword,
	stepAt,
	totpDigits,
	totpPeriodSeconds,
	typedTotp,
	type SessionStage
} from '$lib/domain/second-factor';
import { afterFailure, isLocked } from '$lib/domain/sign-in-policy';
import type { StaffRole } from '$lib/domain/roles';
import type { AppContext, Db, StaffActor } from '../context';
import { hashToken, newSecret } from '../ids';
import { verifyPassword } from '../password';
import { qrSvg } from '../qr';
import { appendAudit } from '../repositories/audit.repository';
import { tellDsl } from '../repositories/dsl-notice.repository';
import {
	claimStep,
	countUnusedRecoveryCodes,
	deleteSecondFactor,
	getSecondFactor,
	replaceRecoveryCodes,
	savePendingSecondFactor,
	staffIdsWithSecondFactor,
	useRecoveryCode
} from '../repositories/second-factor.repository';
import {
	deleteOtherSessionsOfStaff,
	deleteSession,
	deleteSessionsOfStaff,
	insertSession,
	setSessionStage
} from '../repositories/session.repository';
import { clearLock, getLock, saveLock } from '../repositories/sign-in-lock.repository';
import { getStaff } from '../repositories/staff.repository';
import { holdSightForApproval, resetRefusal } from './approval.service';

/**
 * The second factor (issue 12): an authenticator app's code after the password, required for
 * the DSL and admins (or everyone, with LANTERN_SECOND_FACTOR=all). auth.service.ts asks this
 * module which stage a new or existing session is in; the pages under /signin/code and
 * /signin/enrol finish the sign-in here.
 */

interface Person {
	id: string;
	schoolId: string;
	role: StaffRole;
}

async function isEnrolled(db: Db, person: Person): Promise<boolean> {
	const factor = await getSecondFactor(db, person.schoolId, person.id);
	return factor?.confirmedAt != null;
}

/** The stage a session starts in once the password is right (called by signIn). */
export async function stageAtSignIn(ctx: AppContext, person: Person): Promise<SessionStage> {
	const required = secondFactorRequired(person.role, ctx.config.secondFactor);
	return stageAfterPassword(required, await isEnrolled(ctx.db, person));
}

/**
 * The stage of an existing session (called on every request): a full session of someone who
 * must have a second factor and has none (the setting changed, the role changed, or it was
 * reset) goes back to enrolment.
 */
export async function stageOfSession(
	ctx: AppContext,
	stored: SessionStage,
	person: Person
): Promise<SessionStage> {
	if (stored !== 'full') return stored;
	if (!secondFactorRequired(person.role, ctx.config.secondFactor)) return 'full';
	return (await isEnrolled(ctx.db, person)) ? 'full' : 'enrol';
}

function codeAt(secret: string, step: number): string {
	return HOTP.generate({
		secret: Secret.fromBase32(secret),
		algorithm: 'SHA1',
		digits: totpDigits,
		counter: step
	});
}

function same(a: string, b: string): boolean {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
}

/** The step (within the window, ignoring use) whose code this is, or null. */
function matchingStep(
	secret: string,
	code: string,
	now: Date,
	lastUsed: number | null
): number | null {
	for (const step of acceptableSteps(stepAt(now), lastUsed)) {
		if (same(codeAt(secret, step), code)) return step;
	}
	return null;
}

function newRecoveryCode(): string {
	let code = '';
	while (code.length < recoveryCodeLength) {
		for (const byte of randomBytes(recoveryCodeLength * 2)) {
			// Rejection sampling keeps every letter equally likely.
			if (byte < 248 && code.length < recoveryCodeLength)
				code += recoveryAlphabet[byte % recoveryAlphabet.length];
		}
	}
	return code;
}

const hashRecoveryCode = (typed: string): string => hashToken(normaliseRecoveryCode(typed));

export interface Enrolment {
	/** Base32, to type into the app by hand. */
	secret: string;
	/** The otpauth:// address the QR code holds. */
	uri: string;
	qr: string;
}

/** The secret being set up for this person (the same one until confirmed), with its QR code. */
export async function startEnrolment(
	ctx: AppContext,
	actor: StaffActor
): Promise<Enrolment | { enrolled: true }> {
	const found = await getSecondFactor(ctx.db, actor.schoolId, actor.staffId);
	if (found?.confirmedAt) return { enrolled: true };
	let secret = found?.secret;
	if (!secret) {
		secret = new Secret({ size: 20 }).base32;
		await savePendingSecondFactor(ctx.db, actor.schoolId, actor.staffId, secret, ctx.clock.now());
	}
	const uri = new TOTP({
		issuer: 'Lantern',
		label: actor.email,
		algorithm: 'SHA1',
		digits: totpDigits,
		period: totpPeriodSeconds,
		secret: Secret.fromBase32(secret)
	}).toString();
	return { secret, uri, qr: await qrSvg(uri) };
}

export type CodeFailure = 'wrong' | 'used' | 'locked';
export type Passed = { ok: true; sessionToken: string };

/** A wrong code counts as a failed sign-in for the account, as a wrong password does. */
async function countFailure(ctx: AppContext, actor: StaffActor, token: string): Promise<boolean> {
	const now = ctx.clock.now();
	const lock = await getLock(ctx.db, actor.email);
	const next = afterFailure(lock, now, ctx.config.signIn);
	await ctx.db.transaction().execute(async (trx) => {
		await saveLock(trx, actor.email, next);
		// A locked account's half-signed-in session ends with it.
		if (next.lockedUntil) await deleteSession(trx, hashToken(token));
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action: next.lockedUntil ? 'staff.locked-out' : 'staff.second-factor-failed',
			subjectType: 'staff',
			subjectId: actor.staffId,
			detail: { failures: next.failures }
		});
	});
	return next.lockedUntil !== null;
}

async function lockedNow(ctx: AppContext, actor: StaffActor, token: string): Promise<boolean> {
	if (!isLocked(await getLock(ctx.db, actor.email), ctx.clock.now())) return false;
	await deleteSession(ctx.db, hashToken(token));
	return true;
}

/** A new session id for the full session, so the half-signed-in one is worth nothing after. */
async function promote(trx: Db, actor: StaffActor, token: string, now: Date): Promise<string> {
	const next = newSecret();
	await deleteSession(trx, hashToken(token));
	await insertSession(trx, hashToken(next), actor.staffId, actor.schoolId, now, 'full');
	await clearLock(trx, actor.email);
	return next;
}

/**
 * Confirms a new second factor with a code from the app: the session becomes a full one and
 * the ten recovery codes are made, to be shown this once.
 */
export async function confirmEnrolment(
	ctx: AppContext,
	actor: StaffActor,
	token: string,
	typed: string
): Promise<(Passed & { recoveryCodes: string[] }) | { ok: false; reason: CodeFailure }> {
	if (await lockedNow(ctx, actor, token)) return { ok: false, reason: 'locked' };
	const now = ctx.clock.now();
	const pending = await getSecondFactor(ctx.db, actor.schoolId, actor.staffId);
	const code = typedTotp(typed);
	const step =
		pending && !pending.confirmedAt && code ? matchingStep(pending.secret, code, now, null) : null;
	if (step === null) {
		return { ok: false, reason: (await countFailure(ctx, actor, token)) ? 'locked' : 'wrong' };
	}
	const codes = Array.from({ length: recoveryCodeCount }, newRecoveryCode);
	const sessionToken = await ctx.db.transaction().execute(async (trx) => {
		if (!(await claimStep(trx, actor.schoolId, actor.staffId, step, now, true))) return null;
		await replaceRecoveryCodes(trx, actor.schoolId, actor.staffId, codes.map(hashRecoveryCode));
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action: 'staff.second-factor-enrolled',
			subjectType: 'staff',
			subjectId: actor.staffId
		});
		return promote(trx, actor, token, now);
	});
	if (!sessionToken) return { ok: false, reason: 'used' };
	return { ok: true, sessionToken, recoveryCodes: codes.map(showRecoveryCode) };
}

/**
 * The second step of signing in: a code from the app (each works once, one step either side of
 * now) or one of the recovery codes (each works once).
 */
export async function passSecondFactor(
	ctx: AppContext,
	actor: StaffActor,
	token: string,
	typed: string
): Promise<(Passed & { recoveryLeft: number | null }) | { ok: false; reason: CodeFailure }> {
	if (await lockedNow(ctx, actor, token)) return { ok: false, reason: 'locked' };
	const now = ctx.clock.now();
	const factor = await getSecondFactor(ctx.db, actor.schoolId, actor.staffId);
	if (!factor?.confirmedAt) {
		return { ok: false, reason: (await countFailure(ctx, actor, token)) ? 'locked' : 'wrong' };
	}
	const code = typedTotp(typed);
	let reason: CodeFailure = 'wrong';
	const passed = await ctx.db.transaction().execute(async (trx) => {
		let method: 'code' | 'recovery';
		if (code) {
			const step = matchingStep(factor.secret, code, now, null);
			if (step === null) return null;
			if (!(await claimStep(trx, actor.schoolId, actor.staffId, step, now, false))) {
				reason = 'used';
				return null;
			}
			method = 'code';
		} else {
			const hash = hashRecoveryCode(typed);
			if (!(await useRecoveryCode(trx, actor.schoolId, actor.staffId, hash, now))) return null;
			method = 'recovery';
		}
		const recoveryLeft =
			method === 'recovery'
				? await countUnusedRecoveryCodes(trx, actor.schoolId, actor.staffId)
				: null;
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action: 'staff.second-factor-passed',
			subjectType: 'staff',
			subjectId: actor.staffId,
			detail: method === 'recovery' ? { method, recoveryLeft } : { method }
		});
		return { sessionToken: await promote(trx, actor, token, now), recoveryLeft };
	});
	if (!passed) {
		return { ok: false, reason: (await countFailure(ctx, actor, token)) ? 'locked' : reason };
	}
	return { ok: true, ...passed };
}

export interface SecondFactorStatus {
	enrolled: boolean;
	required: boolean;
	recoveryLeft: number;
}

export async function secondFactorStatus(
	ctx: AppContext,
	actor: StaffActor
): Promise<SecondFactorStatus> {
	const enrolled = await isEnrolled(ctx.db, {
		id: actor.staffId,
		schoolId: actor.schoolId,
		role: actor.role
	});
	return {
		enrolled,
		required: secondFactorRequired(actor.role, ctx.config.secondFactor),
		recoveryLeft: enrolled
			? await countUnusedRecoveryCodes(ctx.db, actor.schoolId, actor.staffId)
			: 0
	};
}

export type ChangeResult = { ok: true; enrolNow: boolean } | { ok: false; error: string };

/**
 * Changing or removing one's own second factor needs the password and a current code. It is
 * audited and ends every other session of the account. Changing (or removing it when it is
 * required) sends this session to set up a new one before anything else.
 */
export async function changeSecondFactor(
	ctx: AppContext,
	actor: StaffActor,
	token: string,
	input: { password: string; code: string; intent: 'change' | 'remove' }
): Promise<ChangeResult> {
	const required = secondFactorRequired(actor.role, ctx.config.secondFactor);
	if (input.intent === 'remove' && required)
		return { ok: false, error: 'secondFactor.error.required' };
	const staff = await getStaff(ctx.db, actor.schoolId, actor.staffId);
	const factor = await getSecondFactor(ctx.db, actor.schoolId, actor.staffId);
	if (!staff || !factor?.confirmedAt) return { ok: false, error: 'secondFactor.error.notEnrolled' };
	const now = ctx.clock.now();
	const passwordOk = await verifyPassword(input.password, staff.passwordHash);
	const code = typedTotp(input.code);
	const step = code ? matchingStep(factor.secret, code, now, null) : null;
	const claimed =
		passwordOk &&
		step !== null &&
		(await claimStep(ctx.db, actor.schoolId, actor.staffId, step, now, false));
	if (!claimed) {
		const locked = await countFailure(ctx, actor, token);
		if (locked) return { ok: false, error: 'signin.error.locked' };
		return {
			ok: false,
			error: passwordOk ? 'secondFactor.error.wrongCode' : 'account.error.currentPasswordWrong'
		};
	}
	const enrolNow = input.intent === 'change' || required;
	await ctx.db.transaction().execute(async (trx) => {
		await deleteSecondFactor(trx, actor.schoolId, actor.staffId);
		await deleteOtherSessionsOfStaff(trx, actor.schoolId, actor.staffId, hashToken(token));
		if (enrolNow) await setSessionStage(trx, hashToken(token), 'enrol');
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action:
				input.intent === 'change' ? 'staff.second-factor-changed' : 'staff.second-factor-removed',
			subjectType: 'staff',
			subjectId: actor.staffId
		});
	});
	return { ok: true, enrolNow };
}

/** Which of the school's staff have a second factor (for the People page). */
export async function staffWithSecondFactor(ctx: AppContext, actor: StaffActor): Promise<string[]> {
	return staffIdsWithSecondFactor(ctx.db, actor.schoolId);
}

/**
 * An admin resets someone's second factor (a lost phone): audited, the DSL is told, every
 * session of that person ends, and they set up a new one at their next sign-in.
 */
export async function resetSecondFactor(
	ctx: AppContext,
	actor: StaffActor,
	staffId: string
): Promise<{ ok: true } | { ok: false; error: string }> {
	if (staffId === actor.staffId) return { ok: false, error: 'secondFactor.error.notYourself' };
	const staff = await getStaff(ctx.db, actor.schoolId, staffId);
	if (!staff) return { ok: false, error: 'staff.error.notFound' };
	const refusal = await resetRefusal(ctx.db, actor.schoolId, staffId); // F2: the only DSL
	if (refusal) return { ok: false, error: refusal };
	const now = ctx.clock.now();
	return ctx.db.transaction().execute(async (trx) => {
		const removed = await deleteSecondFactor(trx, actor.schoolId, staffId);
		if (removed === 0) return { ok: false as const, error: 'secondFactor.error.noneToReset' };
		await deleteSessionsOfStaff(trx, actor.schoolId, staffId);
		const held = { schoolId: actor.schoolId, staffId, actorId: actor.staffId };
		await holdSightForApproval(trx, { ...held, why: 'second-factor-reset' }, now);
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action: 'staff.second-factor-reset',
			subjectType: 'staff',
			subjectId: staffId
		});
		await tellDsl(trx, {
			schoolId: actor.schoolId,
			at: now,
			kind: 'second-factor-reset',
			actorId: actor.staffId,
			staffId,
			detail: { name: staff.name, role: staff.role, by: actor.name }
		});
		return { ok: true as const };
	});
}

/**
 * Sets up a second factor with a known secret, already confirmed (the demo school's accounts,
 * whose made-up secret is printed by `npm run demo`). Never used for a real school.
 */
export async function enrolWithSecret(
	db: Db,
	schoolId: string,
	staffId: string,
	secret: string,
	now: Date
): Promise<void> {
	await savePendingSecondFactor(db, schoolId, staffId, secret, now);
	await db
		.updateTable('staff_second_factor')
		.set({ confirmed_at: now.toISOString() })
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.execute();
}
