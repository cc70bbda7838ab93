import type { AppContext, Db, StaffActor } from '../context';
import { passwordRefusal } from '../common-passwords';
import { hashToken, newSecret } from '../ids';
import { hashPassword, noPasswordYet } from '../password';
import { appendAudit } from '../repositories/audit.repository';
import { tellDsl } from '../repositories/dsl-notice.repository';
import {
	endPasswordLinksOf,
	findPasswordLink,
	insertPasswordLink,
	useUpPasswordLink
} from '../repositories/password-link.repository';
import { deleteSessionsOfStaff } from '../repositories/session.repository';
import { clearLock } from '../repositories/sign-in-lock.repository';
import { getStaff, setPasswordHash } from '../repositories/staff.repository';
import { holdSightForApproval, resetRefusal } from './approval.service';

/** A set-password link lasts an hour and works once. */
export const passwordLinkMinutes = 60;
/** 128 random bits. */
export const passwordLinkBytes = 16;

/** The path of a set-password link, to pass on to the person it is for. */
export const passwordLinkPath = (token: string) => `/set-password/${token}`;

/**
 * Makes a link (inside the caller's transaction) and ends older ones of the same person.
 * Only the token's hash is kept; the token itself is shown once, to whoever made it.
 */
export async function makePasswordLink(
	trx: Db,
	link: { schoolId: string; staffId: string; madeBy: string | null },
	now: Date
): Promise<string> {
	const token = newSecret(passwordLinkBytes);
	await endPasswordLinksOf(trx, link.schoolId, link.staffId, now);
	await insertPasswordLink(
		trx,
		{ ...link, tokenHash: hashToken(token) },
		now,
		new Date(now.getTime() + passwordLinkMinutes * 60_000)
	);
	await appendAudit(trx, {
		schoolId: link.schoolId,
		at: now,
		actorId: link.madeBy,
		action: 'staff.password-link-made',
		subjectType: 'staff',
		subjectId: link.staffId,
		detail: { expiresInMinutes: passwordLinkMinutes }
	});
	return token;
}

export type LinkChange = { ok: true; token: string } | { ok: false; error: string };

/**
 * An admin's "new set-password link" for someone who forgot theirs: the old password stops
 * working at once (their sessions end), and the DSL is told. Whoever made the link could use
 * it, so the account's sight of reports waits for a DSL's approval again (approval.service);
 * the school's only DSL cannot be reset this way at all.
 */
export async function newPasswordLink(
	ctx: AppContext,
	actor: StaffActor,
	staffId: string
): Promise<LinkChange> {
	if (staffId === actor.staffId) return { ok: false, error: 'staff.error.notYourself' };
	const staff = await getStaff(ctx.db, actor.schoolId, staffId);
	if (!staff || staff.disabledAt !== null) return { ok: false, error: 'staff.error.notFound' };
	const refusal = await resetRefusal(ctx.db, actor.schoolId, staffId);
	if (refusal) return { ok: false, error: refusal };
	const now = ctx.clock.now();

	const token = await ctx.db.transaction().execute(async (trx) => {
		await setPasswordHash(trx, actor.schoolId, staffId, noPasswordYet);
		await holdSightForApproval(
			trx,
			{ schoolId: actor.schoolId, staffId, actorId: actor.staffId, why: 'password-reset' },
			now
		);
		await deleteSessionsOfStaff(trx, actor.schoolId, staffId);
		await tellDsl(trx, {
			schoolId: actor.schoolId,
			at: now,
			kind: 'password-reset',
			actorId: actor.staffId,
			staffId
		});
		return makePasswordLink(trx, { schoolId: actor.schoolId, staffId, madeBy: actor.staffId }, now);
	});
	return { ok: true, token };
}

export type LinkLookup =
	{ ok: true; name: string; email: string } | { ok: false; error: 'password.linkGone' };

async function liveLink(ctx: AppContext, token: string) {
	const link = await findPasswordLink(ctx.db, hashToken(token));
	const now = ctx.clock.now();
	if (!link || link.usedAt !== null || new Date(link.expiresAt) <= now) return null;
	const staff = await getStaff(ctx.db, link.schoolId, link.staffId);
	if (!staff || staff.disabledAt !== null) return null;
	return { link, staff, now };
}

/** Who a link is for, when it still works (for the page that opens it). */
export async function passwordLinkFor(ctx: AppContext, token: string): Promise<LinkLookup> {
	const found = await liveLink(ctx, token);
	if (!found) return { ok: false, error: 'password.linkGone' };
	return { ok: true, name: found.staff.name, email: found.staff.email };
}

export type SetPasswordResult = { ok: true } | { ok: false; error: string };

/**
 * Sets a password through a link, with the same rules as everywhere else, and uses the link
 * up. It never signs anyone in: the person then signs in as usual (second factor and all).
 */
export async function setPasswordWithLink(
	ctx: AppContext,
	token: string,
	password: string
): Promise<SetPasswordResult> {
	const found = await liveLink(ctx, token);
	if (!found) return { ok: false, error: 'password.linkGone' };
	const { link, staff, now } = found;
	const refusal = passwordRefusal(password, staff);
	if (refusal) return { ok: false, error: refusal };
	const hash = await hashPassword(password);
	return ctx.db.transaction().execute(async (trx) => {
		if (!(await useUpPasswordLink(trx, link.schoolId, hashToken(token), now)))
			return { ok: false as const, error: 'password.linkGone' };
		await setPasswordHash(trx, link.schoolId, staff.id, hash);
		await deleteSessionsOfStaff(trx, link.schoolId, staff.id);
		await clearLock(trx, staff.email);
		await appendAudit(trx, {
			schoolId: link.schoolId,
			at: now,
			actorId: staff.id,
			action: 'staff.password-link-used',
			subjectType: 'staff',
			subjectId: staff.id
		});
		return { ok: true as const };
	});
}
