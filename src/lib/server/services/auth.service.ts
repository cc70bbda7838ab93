import { afterFailure, isIdleExpired, isLocked } from '$lib/domain/sign-in-policy';
import type { AppContext, StaffActor } from '../context';
import { passwordRefusal } from '../common-passwords';
import { hashToken, newSecret } from '../ids';
import { decoyHash, hashPassword, verifyPassword } from '../password';
import { appendAudit, noSchool } from '../repositories/audit.repository';
import { classIdsForStaff } from '../repositories/class.repository';
import {
	deleteSession,
	deleteSessionsOfStaff,
	findSession,
	insertSession,
	touchSession
} from '../repositories/session.repository';
import { clearLock, getLock, saveLock } from '../repositories/sign-in-lock.repository';
import {
	findStaffByEmail,
	getStaff,
	normaliseEmail,
	setPasswordHash
} from '../repositories/staff.repository';

export type SignInResult =
	| { ok: true; sessionToken: string; actor: StaffActor }
	/** `refused` is the same answer for an unknown email, a wrong password and a disabled account. */
	| { ok: false; reason: 'refused' | 'locked' };

/** Sessions last no longer than a school day, however busy. */
const maxSessionHours = 12;
/** Writing last-seen on every request is wasted work; a few seconds' slack is harmless. */
const touchEverySeconds = 15;

export async function signIn(
	ctx: AppContext,
	emailTyped: string,
	password: string
): Promise<SignInResult> {
	const now = ctx.clock.now();
	const email = normaliseEmail(emailTyped);
	const policy = ctx.config.signIn;

	const lock = await getLock(ctx.db, email);
	if (isLocked(lock, now)) {
		// The answer does not depend on whether the password was right, so nothing is learnt.
		await decoyHash().then((hash) => verifyPassword(password, hash));
		return { ok: false, reason: 'locked' };
	}

	const staff = await findStaffByEmail(ctx.db, email);
	const passwordOk = await verifyPassword(password, staff?.passwordHash ?? (await decoyHash()));

	if (!staff || !passwordOk || staff.disabledAt !== null) {
		const next = afterFailure(lock, now, policy);
		await ctx.db.transaction().execute(async (trx) => {
			await saveLock(trx, email, next);
			await appendAudit(trx, {
				schoolId: staff?.schoolId ?? noSchool,
				at: now,
				actorId: null,
				action: next.lockedUntil ? 'staff.locked-out' : 'staff.sign-in-failed',
				subjectType: 'staff',
				subjectId: staff?.id ?? null,
				detail: { failures: next.failures }
			});
		});
		return { ok: false, reason: next.lockedUntil ? 'locked' : 'refused' };
	}

	// A new session id at every sign-in, so an id planted before sign-in is worth nothing.
	const sessionToken = newSecret();
	await ctx.db.transaction().execute(async (trx) => {
		await clearLock(trx, email);
		await insertSession(trx, hashToken(sessionToken), staff.id, staff.schoolId, now);
		await appendAudit(trx, {
			schoolId: staff.schoolId,
			at: now,
			actorId: staff.id,
			action: 'staff.signed-in',
			subjectType: 'staff',
			subjectId: staff.id
		});
	});
	const classIds = await classIdsForStaff(ctx.db, staff.schoolId, staff.id, now);
	return {
		ok: true,
		sessionToken,
		actor: {
			schoolId: staff.schoolId,
			staffId: staff.id,
			role: staff.role,
			name: staff.name,
			email: staff.email,
			classIds,
			...approvalState(staff)
		}
	};
}

export type SessionLookup = { status: 'active'; actor: StaffActor } | { status: 'idle' | 'none' };

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
	const classIds = await classIdsForStaff(ctx.db, staff.schoolId, staff.id, now);
	return {
		status: 'active',
		actor: {
			schoolId: staff.schoolId,
			staffId: staff.id,
			role: staff.role,
			name: staff.name,
			email: staff.email,
			classIds,
			...approvalState(staff)
		}
	};
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
 * password counts towards the lockout like a failed sign-in; at the lock the session ends too.
 */
export async function changePassword(
	ctx: AppContext,
	actor: StaffActor,
	current: string,
	next: string
): Promise<PasswordChangeResult> {
	const now = ctx.clock.now();
	const staff = await getStaff(ctx.db, actor.schoolId, actor.staffId);
	if (!staff) return { ok: false, error: 'account.error.currentPasswordWrong' };
	const lock = await getLock(ctx.db, staff.email);
	if (isLocked(lock, now)) {
		await deleteSessionsOfStaff(ctx.db, actor.schoolId, actor.staffId);
		return { ok: false, error: 'password.lockedOut', locked: true };
	}
	if (!(await verifyPassword(current, staff.passwordHash))) {
		const after = afterFailure(lock, now, ctx.config.signIn);
		await ctx.db.transaction().execute(async (trx) => {
			await saveLock(trx, staff.email, after);
			if (after.lockedUntil) await deleteSessionsOfStaff(trx, actor.schoolId, actor.staffId);
			await appendAudit(trx, {
				schoolId: actor.schoolId,
				at: now,
				actorId: actor.staffId,
				action: after.lockedUntil ? 'staff.locked-out' : 'staff.current-password-wrong',
				subjectType: 'staff',
				subjectId: actor.staffId,
				detail: { failures: after.failures, where: 'account' }
			});
		});
		return after.lockedUntil
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
