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
import { isLocked, lockedUntilAfter } from '$lib/domain/sign-in-policy';
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
	findSession,
	insertSession,
	setSessionStage
} from '../repositories/session.repository';
import {
	countKnownDeviceFailure,
	markKnownDeviceUsed
} from '../repositories/known-device.repository';
import { addFailure, clearLock, getLock } from '../repositories/sign-in-lock.repository';
import { getStaff } from '../repositories/staff.repository';
import {
	countSessionFailure,
	enterCodeCheck,
	forgetSession,
	sessionDevice,
	type SignInAttempt
} from './sign-in-throttle';
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

export type CodeFailure = 'wrong' | 'used' | 'locked' | 'throttled';
export type Passed = { ok: true; sessionToken: string };
export type CodeRefusal = { ok: false; reason: CodeFailure; retryAfterSeconds?: number };

/**
 * Who answers for a wrong code: a half-signed-in session answers with the account (the
 * account's slow-down ends it), while a full session (the Account page) or a half one started
 * on a known device answers only for its own tries, never for a stranger's failures.
 */
function answersForItself(ctx: AppContext, stage: SessionStage, sessionHash: string): boolean {
	return stage === 'full' || sessionDevice(ctx, sessionHash) !== null;
}

/**
 * A wrong code counts as a failed sign-in for the account, as a wrong password does; returns
 * true when the session has ended because of it.
 */
async function countFailure(ctx: AppContext, actor: StaffActor, token: string): Promise<boolean> {
	const now = ctx.clock.now();
	const policy = ctx.config.signIn;
	const idHash = hashToken(token);
	const session = await findSession(ctx.db, idHash);
	const itself = answersForItself(ctx, session?.stage ?? 'code', idHash);
	const own = itself ? countSessionFailure(ctx, idHash) : 0;
	const device = sessionDevice(ctx, idHash);
	const ended = await ctx.db.transaction().execute(async (trx) => {
		const account = await addFailure(trx, actor.email, (n) => lockedUntilAfter(n, now, policy));
		// A wrong code sent on a known device counts against the device too.
		if (device && session?.stage !== 'full')
			await countKnownDeviceFailure(trx, actor.schoolId, device);
		const ends = itself ? own >= policy.maxFailures : account.lockedUntil !== null;
		if (ends) await deleteSession(trx, idHash);
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action: ends ? 'staff.locked-out' : 'staff.second-factor-failed',
			subjectType: 'staff',
			subjectId: actor.staffId,
			detail: { failures: account.failures, ...(itself ? { sessionFailures: own } : {}) }
		});
		return ends;
	});
	if (ended) forgetSession(ctx, idHash);
	return ended;
}

/**
 * Before a code is compared: the session must still be there (an earlier try in the same
 * burst may have ended it), and a half session that answers with the account must not be
 * slowed down; if it is, it ends.
 */
async function mayTry(ctx: AppContext, actor: StaffActor, token: string): Promise<boolean> {
	const idHash = hashToken(token);
	const session = await findSession(ctx.db, idHash);
	if (!session) return false;
	if (answersForItself(ctx, session.stage, idHash)) return true;
	if (!isLocked(await getLock(ctx.db, actor.email), ctx.clock.now())) return true;
	await deleteSession(ctx.db, idHash);
	forgetSession(ctx, idHash);
	return false;
}

/** Runs a code check in the account's line, after the per-address limit (sign-in-throttle.ts). */
async function inLine<T>(
	ctx: AppContext,
	actor: StaffActor,
	attempt: SignInAttempt,
	check: () => Promise<T>
): Promise<T | CodeRefusal> {
	const gate = await enterCodeCheck(ctx, actor.email, attempt);
	if (!gate.ok)
		return { ok: false, reason: 'throttled', retryAfterSeconds: gate.refusal.retryAfterSeconds };
	try {
		return await check();
	} finally {
		gate.leave();
	}
}

/**
 * A new session id for the full session, so the half-signed-in one is worth nothing after. When
 * it finishes a sign-in, the account's count of failures is cleared here (not at the password)
 * and the complete sign-in is audited.
 */
async function promote(
	ctx: AppContext,
	trx: Db,
	actor: StaffActor,
	token: string,
	now: Date
): Promise<string> {
	const idHash = hashToken(token);
	const session = await findSession(trx, idHash);
	const completesSignIn = session !== undefined && session.stage !== 'full';
	const device = sessionDevice(ctx, idHash);
	const next = newSecret();
	await deleteSession(trx, idHash);
	await insertSession(trx, hashToken(next), actor.staffId, actor.schoolId, now, 'full');
	if (completesSignIn) {
		await clearLock(trx, actor.email);
		if (device) await markKnownDeviceUsed(trx, actor.schoolId, device, now);
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action: 'staff.signed-in',
			subjectType: 'staff',
			subjectId: actor.staffId,
			detail: { secondFactor: true }
		});
	}
	forgetSession(ctx, idHash);
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
	typed: string,
	attempt: SignInAttempt = {}
): Promise<(Passed & { recoveryCodes: string[] }) | CodeRefusal> {
	return inLine(ctx, actor, attempt, () => checkEnrolment(ctx, actor, token, typed));
}

async function checkEnrolment(
	ctx: AppContext,
	actor: StaffActor,
	token: string,
	typed: string
): Promise<(Passed & { recoveryCodes: string[] }) | CodeRefusal> {
	if (!(await mayTry(ctx, actor, token))) return { ok: false, reason: 'locked' };
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
		return promote(ctx, trx, actor, token, now);
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
	typed: string,
	attempt: SignInAttempt = {}
): Promise<(Passed & { recoveryLeft: number | null }) | CodeRefusal> {
	return inLine(ctx, actor, attempt, () => checkCode(ctx, actor, token, typed));
}

async function checkCode(
	ctx: AppContext,
	actor: StaffActor,
	token: string,
	typed: string
): Promise<(Passed & { recoveryLeft: number | null }) | CodeRefusal> {
	if (!(await mayTry(ctx, actor, token))) return { ok: false, reason: 'locked' };
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
		return { sessionToken: await promote(ctx, trx, actor, token, now), recoveryLeft };
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

export type ChangeResult =
	| { ok: true; enrolNow: boolean }
	/** `ended`: this session made the policy's number of wrong tries and has ended. */
	| { ok: false; error: string; ended?: true };

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
		const ended = await countFailure(ctx, actor, token);
		if (ended) return { ok: false, error: 'signin.error.locked', ended: true };
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
	// The password and a code were right: this session's earlier slips are forgiven.
	forgetSession(ctx, hashToken(token));
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
