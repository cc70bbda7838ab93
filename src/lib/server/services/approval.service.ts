import type { AppContext, Db, StaffActor } from '../context';
import { appendAudit } from '../repositories/audit.repository';
import {
	approveAssignment,
	findAssignment,
	holdAssignmentsForApproval,
	removePendingAssignment
} from '../repositories/class.repository';
import {
	getDslNotice,
	listUnseenDslNotices,
	markDslNoticeSeen,
	tellDsl,
	type DslNoticeRow
} from '../repositories/dsl-notice.repository';
import { deleteSessionsOfStaff } from '../repositories/session.repository';
import {
	approveStaff,
	countOtherApprovedDsls,
	getStaff,
	holdStaffForApproval,
	movePupilContact,
	setStaffDisabled
} from '../repositories/staff.repository';

/** What a notice asks the DSL to approve, if anything. */
type Approval =
	| { what: 'account'; staffId: string }
	| { what: 'class'; staffId: string; classId: string }
	/** A teacher put on the pupils' list of adults. */
	| { what: 'contact'; staffId: string };

function approvalOf(notice: Pick<DslNoticeRow, 'kind' | 'staffId' | 'detail'>): Approval | null {
	if (notice.kind !== 'approval-needed' || !notice.staffId) return null;
	if (notice.detail.approve === 'account') return { what: 'account', staffId: notice.staffId };
	if (notice.detail.approve === 'contact') return { what: 'contact', staffId: notice.staffId };
	if (notice.detail.approve === 'class' && typeof notice.detail.classId === 'string')
		return { what: 'class', staffId: notice.staffId, classId: notice.detail.classId };
	return null;
}

/** Whether the change a notice asks about is still waiting (not yet approved or refused). */
async function stillWaiting(db: Db, schoolId: string, approval: Approval): Promise<boolean> {
	if (approval.what === 'account') {
		const staff = await getStaff(db, schoolId, approval.staffId);
		return !!staff && staff.pendingApproval && staff.disabledAt === null;
	}
	if (approval.what === 'contact') {
		const staff = await getStaff(db, schoolId, approval.staffId);
		return !!staff && staff.pupilContactPending && staff.disabledAt === null;
	}
	const found = await findAssignment(db, schoolId, approval.classId, approval.staffId);
	return found?.pending === true;
}

export interface AccountNotice {
	id: string;
	at: string;
	kind: string;
	actorName: string | null;
	staffName: string | null;
	staffRole: string | null;
	className: string | null;
	/** What is waiting for approval; null for a notice to read only. */
	waiting: Approval['what'] | null;
	/** Why an account already approved waits again: someone else reset or enabled it. */
	why: SightHeldBecause | null;
}

/** The DSL's "Account changes": notices not yet marked as seen. */
export async function accountNotices(ctx: AppContext, actor: StaffActor): Promise<AccountNotice[]> {
	const notices = await listUnseenDslNotices(ctx.db, actor.schoolId);
	return Promise.all(
		notices.map(async (n) => {
			const approval = approvalOf(n);
			const waiting =
				approval && (await stillWaiting(ctx.db, actor.schoolId, approval)) ? approval.what : null;
			return {
				id: n.id,
				at: n.at,
				kind: n.kind,
				actorName: n.actorName,
				staffName: n.staffName,
				staffRole: n.staffRole,
				className: typeof n.detail.className === 'string' ? n.detail.className : null,
				waiting,
				why: sightHeldBecause.find((w) => w === n.detail.why) ?? null
			};
		})
	);
}

export type ApprovalResult = { ok: true } | { ok: false; error: string };

/**
 * An existing DSL approves (or refuses) what a notice asks about. Audited with who decided;
 * nobody decides about their own account.
 */
export async function decideNotice(
	ctx: AppContext,
	actor: StaffActor,
	noticeId: string,
	decision: 'approve' | 'refuse'
): Promise<ApprovalResult> {
	const notice = await getDslNotice(ctx.db, actor.schoolId, noticeId);
	const approval = notice && approvalOf(notice);
	if (!approval) return { ok: false, error: 'accountApproval.error.notFound' };
	if (approval.staffId === actor.staffId)
		return { ok: false, error: 'accountApproval.error.notYourself' };
	const now = ctx.clock.now();
	return ctx.db.transaction().execute(async (trx) => {
		const changed = await applyDecision(trx, actor.schoolId, approval, decision, now);
		if (!changed) return { ok: false as const, error: 'accountApproval.error.alreadyDecided' };
		await markDslNoticeSeen(trx, actor.schoolId, noticeId, now);
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action: auditAction(approval, decision),
			subjectType: approval.what === 'class' ? 'class' : 'staff',
			subjectId: approval.what === 'class' ? approval.classId : approval.staffId,
			detail: { noticeId, staffId: approval.staffId }
		});
		return { ok: true as const };
	});
}

function auditAction(approval: Approval, decision: 'approve' | 'refuse'): string {
	if (approval.what === 'contact')
		return decision === 'approve' ? 'staff.pupil-contact-approved' : 'staff.pupil-contact-refused';
	if (approval.what === 'account')
		return decision === 'approve' ? 'staff.account-approved' : 'staff.account-refused';
	return decision === 'approve' ? 'class.assignment-approved' : 'class.assignment-refused';
}

async function applyDecision(
	trx: Db,
	schoolId: string,
	approval: Approval,
	decision: 'approve' | 'refuse',
	now: Date
): Promise<boolean> {
	if (approval.what === 'class') {
		return decision === 'approve'
			? approveAssignment(trx, schoolId, approval.classId, approval.staffId)
			: removePendingAssignment(trx, schoolId, approval.classId, approval.staffId);
	}
	if (approval.what === 'contact')
		return movePupilContact(
			trx,
			schoolId,
			approval.staffId,
			'pending',
			decision === 'approve' ? 'yes' : null
		);
	if (!(await stillWaiting(trx, schoolId, approval))) return false;
	if (decision === 'approve') return approveStaff(trx, schoolId, approval.staffId);
	// A refused account is disabled (never deleted) and stays waiting, so enabling it again
	// gives it no sight of reports without another approval.
	await deleteSessionsOfStaff(trx, schoolId, approval.staffId);
	return setStaffDisabled(trx, schoolId, approval.staffId, now);
}

/**
 * "Mark all as seen": notices still waiting for a decision stay on the list, and so does every
 * notice about the person marking (a reset of their own account is for another DSL to see).
 */
export async function markNoticesSeen(ctx: AppContext, actor: StaffActor): Promise<void> {
	const now = ctx.clock.now();
	const notices = await listUnseenDslNotices(ctx.db, actor.schoolId);
	const views = await accountNotices(ctx, actor);
	const waiting = new Set(views.filter((n) => n.waiting !== null).map((n) => n.id));
	await ctx.db.transaction().execute(async (trx) => {
		for (const n of notices) {
			if (waiting.has(n.id) || n.staffId === actor.staffId) continue;
			await markDslNoticeSeen(trx, actor.schoolId, n.id, now);
		}
	});
}

// ---- Someone else resets an account: its sight of reports waits for a DSL again ----

/** Why an account's sight of reports went back to waiting for a DSL's approval. */
export const sightHeldBecause = ['password-reset', 'second-factor-reset', 'enabled'] as const;
export type SightHeldBecause = (typeof sightHeldBecause)[number];

/**
 * Whether an admin may reset this account's password or second factor. The school's only
 * approved DSL may not be reset by anyone else in the app: whoever did it would then hold the
 * only account that could approve it again (and a DSL may not approve their own). That DSL
 * signs in with a recovery code instead; once the school has a second approved DSL, either
 * can be reset and the other approves.
 */
export async function resetRefusal(
	db: Db,
	schoolId: string,
	staffId: string
): Promise<string | null> {
	const staff = await getStaff(db, schoolId, staffId);
	if (!staff || staff.role !== 'dsl' || staff.pendingApproval) return null;
	return (await countOtherApprovedDsls(db, schoolId, staffId)) === 0
		? 'accountApproval.error.onlyDsl'
		: null;
}

/**
 * Someone else reset this account's password or second factor, or enabled it again: whoever
 * did it might now hold it. Its sight of reports waits for a DSL's approval again, inside the
 * caller's transaction: a DSL account waits as a new one does, a teacher's class assignments
 * and place on the pupils' list of adults wait as new ones do, and the DSL is told of each.
 */
export async function holdSightForApproval(
	trx: Db,
	change: { schoolId: string; staffId: string; actorId: string | null; why: SightHeldBecause },
	now: Date
): Promise<void> {
	const { schoolId, staffId, actorId, why } = change;
	const staff = await getStaff(trx, schoolId, staffId);
	if (!staff) return;
	const tell = (detail: Record<string, unknown>) =>
		tellDsl(trx, { schoolId, at: now, kind: 'approval-needed', actorId, staffId, detail });
	if (staff.role === 'dsl') {
		if (await holdStaffForApproval(trx, schoolId, staffId))
			await tell({ role: staff.role, approve: 'account', why });
		return;
	}
	for (const held of await holdAssignmentsForApproval(trx, schoolId, staffId))
		await tell({ ...held, approve: 'class', why });
	if (await movePupilContact(trx, schoolId, staffId, 'yes', 'pending'))
		await tell({ approve: 'contact', why });
}

/**
 * The seed path (demo school, tests): as if an existing DSL had approved. Never reached
 * from a page; audited as a seed.
 */
export async function approveAsSeed(
	ctx: AppContext,
	schoolId: string,
	approval: Approval
): Promise<void> {
	const now = ctx.clock.now();
	await ctx.db.transaction().execute(async (trx) => {
		const changed =
			approval.what === 'account'
				? await approveStaff(trx, schoolId, approval.staffId)
				: approval.what === 'contact'
					? await movePupilContact(trx, schoolId, approval.staffId, 'pending', 'yes')
					: await approveAssignment(trx, schoolId, approval.classId, approval.staffId);
		if (!changed) return;
		await trx
			.updateTable('dsl_notice')
			.set({ seen_at: now.toISOString() })
			.where('school_id', '=', schoolId)
			.where('staff_id', '=', approval.staffId)
			.where('kind', '=', 'approval-needed')
			.where('seen_at', 'is', null)
			.execute();
		await appendAudit(trx, {
			schoolId,
			at: now,
			actorId: null,
			action: auditAction(approval, 'approve'),
			subjectType: approval.what === 'class' ? 'class' : 'staff',
			subjectId: approval.what === 'class' ? approval.classId : approval.staffId,
			detail: { staffId: approval.staffId, via: 'seed' }
		});
	});
}
