import { isIdleExpired, lockedUntilAfter } from '$lib/domain/sign-in-policy';
import type { AppContext, StaffActor } from '../context';
import { HashingBusy } from '../hash-gate';
import { passwordRefusal } from '../common-passwords';
import { hashToken, newSecret } from '../ids';
import { decoyHash, hashPassword, verifyPassword } from '../password';
import { appendAudit } from '../repositories/audit.repository';
import { classIdsForStaff } from '../repositories/class.repository';
import {
	deleteSession,
	deleteSessionsOfStaff,
	findSession,
	insertSession,
	touchSession
} from '../repositories/session.repository';
import { addFailure, clearLock } from '../repositories/sign-in-lock.repository';
import { getStaff, normaliseEmail, setPasswordHash } from '../repositories/staff.repository';
import type { SessionStage } from '$lib/domain/second-factor';
import { stageAtSignIn, stageOfSession } from './second-factor.service';
import {
	busyRefusal,
	countSessionFailure,
	enterSignIn,
	failureAnswer,
	knownDeviceFailed,
	knownDeviceSucceeded,
	forgetSession,
	rememberSessionDevice,
	unknownEmailFailed,
	type SignInAttempt,
	type SignInGate,
	type SignInRefusal
} from './sign-in-throttle';

export type SignInResult =
	/** `stage` is 'full', or what the second factor still needs ('code' or 'enrol'). */
	| { ok: true; sessionToken: string; actor: StaffActor; stage: SessionStage }
	/** `refused` is the same answer for an unknown email, a wrong password and a disabled account. */
	| { ok: false; reason: 'refused' }
	/** Slowed down (`locked`) or too many tries just now (`throttled`): see sign-in-throttle.ts. */
	| SignInRefusal;

/** Sessions last no longer than a school day, however busy. */
const maxSessionHours = 12;
/** Writing last-seen on every request is wasted work; a few seconds' slack is harmless. */
const touchEverySeconds = 15;

export async function signIn(
	ctx: AppContext,
	emailTyped: string,
	password: string,
	attempt?: SignInAttempt
): Promise<SignInResult> {
	const email = normaliseEmail(emailTyped);
	// Throttling first, before any hashing or writing (sign-in-throttle.ts).
	const gate = await enterSignIn(ctx, email, attempt);
	if (!gate.ok) return gate.refusal;
	try {
		return await checkPassword(ctx, email, password, gate, attempt);
	} finally {
		gate.leave();
	}
}

async function checkPassword(
	ctx: AppContext,
	email: string,
	password: string,
	gate: SignInGate,
	attempt: SignInAttempt | undefined
): Promise<SignInResult> {
	const now = ctx.clock.now();
	const policy = ctx.config.signIn;
	const { staff } = gate;

	let passwordOk: boolean;
	try {
		const stored = staff?.passwordHash ?? (await decoyHash());
		passwordOk = await verifyPassword(password, stored, gate.hashTurn);
	} catch (failure) {
		if (failure instanceof HashingBusy) return busyRefusal();
		throw failure;
	}

	if (!staff) return failureAnswer(await unknownEmailFailed(ctx, email, attempt), now);
	if (!passwordOk || staff.disabledAt !== null) {
		const next = await ctx.db.transaction().execute(async (trx) => {
			const next = await addFailure(trx, email, (n) => lockedUntilAfter(n, now, policy));
			await knownDeviceFailed(trx, gate);
			await appendAudit(trx, {
				schoolId: staff.schoolId,
				at: now,
				actorId: null,
				action: next.failures === policy.maxFailures ? 'staff.locked-out' : 'staff.sign-in-failed',
				subjectType: 'staff',
				subjectId: staff.id,
				detail: { failures: next.failures }
			});
			return next;
		});
		return failureAnswer(next, now);
	}

	// A new session id at every sign-in, so an id planted before sign-in is worth nothing.
	const sessionToken = newSecret();
	// Second factor: the session is only half signed in until a code is given (or one set up).
	const stage = await stageAtSignIn(ctx, staff);
	const complete = stage === 'full';
	await ctx.db.transaction().execute(async (trx) => {
		// The account's count of failures (wrong codes included) is cleared only by a complete
		// sign-in: the right password again must not give a code-guesser more tries.
		if (complete) {
			await clearLock(trx, email);
			await knownDeviceSucceeded(trx, gate, now);
		}
		await insertSession(trx, hashToken(sessionToken), staff.id, staff.schoolId, now, stage);
		await appendAudit(trx, {
			schoolId: staff.schoolId,
			at: now,
			actorId: staff.id,
			// Only the password so far: "signed in" is written once the second factor passes.
			action: complete ? 'staff.signed-in' : 'staff.password-accepted',
			subjectType: 'staff',
			subjectId: staff.id
		});
	});
	// A half session on a known device may give its code while a stranger slows the account down.
	if (!complete && gate.device) rememberSessionDevice(ctx, hashToken(sessionToken), gate.device);
	return { ok: true, sessionToken, stage, actor: await actorOf(ctx, staff, now) };
}

/** The one place a signed-in person's actor is made: their account, today's classes, their approvals. */
async function actorOf(
	ctx: AppContext,
	staff: NonNullable<Awaited<ReturnType<typeof getStaff>>>,
	now: Date
): Promise<StaffActor> {
	return {
		schoolId: staff.schoolId,
		staffId: staff.id,
		role: staff.role,
		name: staff.name,
		email: staff.email,
		classIds: await classIdsForStaff(ctx.db, staff.schoolId, staff.id, now),
		...approvalState(staff)
	};
}

export type SessionLookup =
	| { status: 'active'; actor: StaffActor }
	/** Past the password, not yet past the second factor: only the second-factor pages are open. */
	| { status: 'second-factor'; stage: 'code' | 'enrol'; actor: StaffActor }
	| { status: 'idle' | 'none' };

/** Who a session cookie belongs to; ends sessions that were idle too long or whose account was disabled. */
export async function lookUpSession(
	ctx: AppContext,
	token: string | undefined
): Promise<SessionLookup> {
	if (!token) return { status: 'none' };
	const now = ctx.clock.now();
	const idHash = hashToken(token);
	const session = await findSession(ctx.db, idHash);
	if (!session) return { status: 'none' };

	const tooOld =
		now.getTime() - new Date(session.createdAt).getTime() > maxSessionHours * 3_600_000;
	if (isIdleExpired(session.lastSeenAt, now, ctx.config.signIn) || tooOld) {
		await deleteSession(ctx.db, idHash);
		return { status: 'idle' };
	}
	const staff = await getStaff(ctx.db, session.schoolId, session.staffId);
	if (!staff || staff.disabledAt !== null) {
		await deleteSession(ctx.db, idHash);
		return { status: 'none' };
	}
	if (now.getTime() - new Date(session.lastSeenAt).getTime() > touchEverySeconds * 1000) {
		await touchSession(ctx.db, idHash, now);
	}
	const actor = await actorOf(ctx, staff, now);
	const stage = await stageOfSession(ctx, session.stage, staff);
	if (stage !== 'full') return { status: 'second-factor', stage, actor };
	return { status: 'active', actor };
}

export async function signOut(
	ctx: AppContext,
	token: string,
	actor: StaffActor | null,
	why: string
): Promise<void> {
	await ctx.db.transaction().execute(async (trx) => {
		await deleteSession(trx, hashToken(token));
		if (actor) {
			await appendAudit(trx, {
				schoolId: actor.schoolId,
				at: ctx.clock.now(),
				actorId: actor.staffId,
				action: 'staff.signed-out',
				subjectType: 'staff',
				subjectId: actor.staffId,
				detail: { why }
			});
		}
	});
}

export type PasswordChangeResult = { ok: true } | { ok: false; error: string; locked?: true };

/** Account approval and forced password change, as the actor carries them (see account approval). */
function approvalState(staff: { pendingApproval: boolean; mustChangePassword: boolean }) {
	return {
		...(staff.pendingApproval ? { pendingApproval: true } : {}),
		...(staff.mustChangePassword ? { mustChangePassword: true } : {})
	};
}

/**
 * Changing a password ends every session of the account, this one included. A wrong current
 * password counts towards the account's sign-in slow-down like a failed sign-in, but this
 * session, which has passed every check, answers only for its own wrong tries: it ends after
 * the policy's number of them, never because of failures made elsewhere. The route always
 * passes the session's token; without one, nothing is ended.
 */
export async function changePassword(
	ctx: AppContext,
	actor: StaffActor,
	current: string,
	next: string,
	sessionToken?: string
): Promise<PasswordChangeResult> {
	const now = ctx.clock.now();
	const policy = ctx.config.signIn;
	const staff = await getStaff(ctx.db, actor.schoolId, actor.staffId);
	if (!staff) return { ok: false, error: 'account.error.currentPasswordWrong' };
	if (!(await verifyPassword(current, staff.passwordHash))) {
		const idHash = sessionToken ? hashToken(sessionToken) : null;
		const own = idHash ? countSessionFailure(ctx, idHash) : 0;
		const ends = idHash !== null && own >= policy.maxFailures;
		await ctx.db.transaction().execute(async (trx) => {
			const account = await addFailure(trx, staff.email, (n) => lockedUntilAfter(n, now, policy));
			if (ends) await deleteSession(trx, idHash);
			await appendAudit(trx, {
				schoolId: actor.schoolId,
				at: now,
				actorId: actor.staffId,
				action:
					ends || account.failures === policy.maxFailures
						? 'staff.locked-out'
						: 'staff.current-password-wrong',
				subjectType: 'staff',
				subjectId: actor.staffId,
				detail: { failures: account.failures, sessionFailures: own, where: 'account' }
			});
		});
		if (ends) forgetSession(ctx, idHash);
		return ends
			? { ok: false, error: 'password.lockedOut', locked: true }
			: { ok: false, error: 'account.error.currentPasswordWrong' };
	}
	const refusal = passwordRefusal(next, staff);
	if (refusal) return { ok: false, error: refusal };
	if (current === next) return { ok: false, error: 'password.sameAsBefore' };
	const hash = await hashPassword(next);
	await ctx.db.transaction().execute(async (trx) => {
		await clearLock(trx, staff.email);
		await setPasswordHash(trx, actor.schoolId, actor.staffId, hash);
		await deleteSessionsOfStaff(trx, actor.schoolId, actor.staffId);
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action: 'staff.password-changed',
			subjectType: 'staff',
			subjectId: actor.staffId
		});
	});
	return { ok: true };
}

/**
 * An audit entry for a staff request the role table refused: someone trying doors that are
 * not theirs is worth the DSL's notice on the audit page.
 */
export async function recordRefusedAccess(
	ctx: AppContext,
	actor: StaffActor,
	routeId: string,
	method: string,
	needs: string | null
): Promise<void> {
	await ctx.db.transaction().execute((trx) =>
		appendAudit(trx, {
			schoolId: actor.schoolId,
			at: ctx.clock.now(),
			actorId: actor.staffId,
			action: 'access.refused',
			subjectType: 'route',
			subjectId: routeId,
			detail: { method, needs }
		})
	);
}
