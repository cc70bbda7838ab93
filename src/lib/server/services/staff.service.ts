import type { NewStaffInput } from '$lib/domain/staff';
import type { AppContext, StaffActor } from '../context';
import { appendAudit } from '../repositories/audit.repository';
import { audited } from './audited';
import { newId } from '../ids';
import { noPasswordYet } from '../password';
import { tellDsl } from '../repositories/dsl-notice.repository';
import { makePasswordLink } from './password-link.service';
import { holdSightForApproval } from './approval.service';
import { deleteSessionsOfStaff } from '../repositories/session.repository';
import { clearLock, getLock } from '../repositories/sign-in-lock.repository';
import {
	findStaffByEmail,
	getStaff,
	insertStaff,
	listStaff,
	setStaffDisabled
} from '../repositories/staff.repository';
import { isLocked } from '$lib/domain/sign-in-policy';

export type StaffChange<T = object> = ({ ok: true } & T) | { ok: false; error: string };

export interface StaffListEntry {
	id: string;
	name: string;
	email: string;
	role: string;
	disabled: boolean;
	locked: boolean;
	pupilContact: boolean;
	/** Put on the pupils' list of adults, waiting for a DSL's approval. */
	pupilContactPending: boolean;
	/** A DSL account waiting for an existing DSL's approval. */
	pendingApproval: boolean;
}

export async function staffOfSchool(ctx: AppContext, actor: StaffActor): Promise<StaffListEntry[]> {
	const now = ctx.clock.now();
	const staff = await listStaff(ctx.db, actor.schoolId);
	return Promise.all(
		staff.map(async (s) => ({
			id: s.id,
			name: s.name,
			email: s.email,
			role: s.role,
			disabled: s.disabledAt !== null,
			locked: isLocked(await getLock(ctx.db, s.email), now),
			pupilContact: s.pupilContact,
			pupilContactPending: s.pupilContactPending,
			pendingApproval: s.pendingApproval
		}))
	);
}

/**
 * A new account has no password anyone knows: the admin is given a one-time link (shown once)
 * for the person to choose their own. A new DSL account waits for an existing DSL's approval
 * before it sees any report, and the DSL is told of every new account.
 */
export async function addStaff(
	ctx: AppContext,
	actor: StaffActor,
	input: NewStaffInput
): Promise<StaffChange<{ staffId: string; token: string }>> {
	if (await findStaffByEmail(ctx.db, input.email))
		return { ok: false, error: 'staff.error.emailTaken' };
	const now = ctx.clock.now();
	const id = newId();
	// A random password nobody knows, until the person sets their own through the link.

	const pendingApproval = input.role === 'dsl';
	const token = await audited(
		ctx,
		actor,
		{
			action: 'staff.added',
			subjectType: 'staff',
			subjectId: id,
			detail: { role: input.role, pendingApproval }
		},
		async (trx) => {
			await insertStaff(
				trx,
				actor.schoolId,
				{
					id,
					email: input.email,
					name: input.name,
					role: input.role,
					passwordHash: noPasswordYet,
					pendingApproval
				},
				now
			);
			await tellDsl(trx, {
				schoolId: actor.schoolId,
				at: now,
				kind: pendingApproval ? 'approval-needed' : 'staff-added',
				actorId: actor.staffId,
				staffId: id,
				detail: { role: input.role, ...(pendingApproval ? { approve: 'account' } : {}) }
			});
			return makePasswordLink(
				trx,
				{ schoolId: actor.schoolId, staffId: id, madeBy: actor.staffId },
				now
			);
		}
	);
	return { ok: true, staffId: id, token };
}

/**
 * Leavers' accounts are disabled (never deleted); disabling ends every session at once.
 * Enabling an account again puts its sight of reports back on a DSL's approval, and the DSL
 * is told (whoever enabled it may know its password).
 */
export async function setDisabled(
	ctx: AppContext,
	actor: StaffActor,
	staffId: string,
	disabled: boolean
): Promise<StaffChange> {
	if (staffId === actor.staffId) return { ok: false, error: 'staff.error.notYourself' };
	const now = ctx.clock.now();
	return ctx.db.transaction().execute(async (trx) => {
		const changed = await setStaffDisabled(trx, actor.schoolId, staffId, disabled ? now : null);
		if (!changed) return { ok: false as const, error: 'staff.error.notFound' };
		if (disabled) await deleteSessionsOfStaff(trx, actor.schoolId, staffId);
		else
			await holdSightForApproval(
				trx,
				{ schoolId: actor.schoolId, staffId, actorId: actor.staffId, why: 'enabled' },
				now
			);
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action: disabled ? 'staff.disabled' : 'staff.enabled',
			subjectType: 'staff',
			subjectId: staffId
		});
		return { ok: true as const };
	});
}

export async function unlock(
	ctx: AppContext,
	actor: StaffActor,
	staffId: string
): Promise<StaffChange> {
	const staff = await getStaff(ctx.db, actor.schoolId, staffId);
	if (!staff) return { ok: false, error: 'staff.error.notFound' };
	await audited(
		ctx,
		actor,
		{
			action: 'staff.unlocked',
			subjectType: 'staff',
			subjectId: staffId
		},
		async (trx) => {
			await clearLock(trx, staff.email);
		}
	);
	return { ok: true };
}

/**
 * Puts a teacher or the DSL on (or takes them off) the short list of adults pupils can
 * choose to talk to. Admins and trip staff see no reports, so they cannot be on it, and nor can
 * a DSL account still waiting for approval. A teacher joins the list (and sees what pupils send
 * them) only once a DSL approves; the DSL is told whenever someone is put on it.
 */
export async function setPupilContact(
	ctx: AppContext,
	actor: StaffActor,
	staffId: string,
	on: boolean
): Promise<StaffChange> {
	const staff = await getStaff(ctx.db, actor.schoolId, staffId);
	if (!staff || staff.disabledAt !== null) return { ok: false, error: 'staff.error.notFound' };
	if (on && staff.role !== 'teacher' && staff.role !== 'dsl')
		return { ok: false, error: 'staff.error.notFound' };
	if (on && staff.pendingApproval) return { ok: false, error: 'accountApproval.error.notApproved' };
	// Already on the list (or waiting to be): nothing changes.
	if (on && (staff.pupilContact || staff.pupilContactPending)) return { ok: true };
	const now = ctx.clock.now();
	const state = !on ? null : staff.role === 'dsl' ? 'yes' : 'pending';
	return audited(
		ctx,
		actor,
		{
			action: on ? 'staff.pupil-contact-on' : 'staff.pupil-contact-off',
			subjectType: 'staff',
			subjectId: staffId,
			detail: on ? { pendingApproval: state === 'pending' } : {}
		},
		async (trx) => {
			const changed = await trx
				.updateTable('staff')
				.set({ pupil_contact: state })
				.where('school_id', '=', actor.schoolId)
				.where('id', '=', staffId)
				.where('disabled_at', 'is', null)
				.executeTakeFirst();
			if (Number(changed.numUpdatedRows) !== 1) throw new NotChanged();
			if (on)
				await tellDsl(trx, {
					schoolId: actor.schoolId,
					at: now,
					kind: state === 'pending' ? 'approval-needed' : 'pupil-contact',
					actorId: actor.staffId,
					staffId,
					detail: state === 'pending' ? { approve: 'contact' } : {}
				});
			return { ok: true as const };
		}
	).catch((error: unknown) => {
		if (error instanceof NotChanged) return { ok: false as const, error: 'staff.error.notFound' };
		throw error;
	});
}

class NotChanged extends Error {}
