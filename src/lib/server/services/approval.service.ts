import type { AppContext, Db, StaffActor } from '../context';
import { appendAudit } from '../repositories/audit.repository';
import {
	approveAssignment,
	findAssignment,
	removePendingAssignment
} from '../repositories/class.repository';
import {
	getDslNotice,
	listUnseenDslNotices,
	markDslNoticeSeen,
	type DslNoticeRow
} from '../repositories/dsl-notice.repository';
import { deleteSessionsOfStaff } from '../repositories/session.repository';
import { approveStaff, getStaff, setStaffDisabled } from '../repositories/staff.repository';

/** What a notice asks the DSL to approve, if anything. */
type Approval =
	{ what: 'account'; staffId: string } | { what: 'class'; staffId: string; classId: string };

function approvalOf(notice: Pick<DslNoticeRow, 'kind' | 'staffId' | 'detail'>): Approval | null {
	if (notice.kind !== 'approval-needed' || !notice.staffId) return null;
	if (notice.detail.approve === 'account') return { what: 'account', staffId: notice.staffId };
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
	/** 'account' or 'class' while an approval is waiting; null for a notice to read only. */
	waiting: 'account' | 'class' | null;
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
				waiting
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
			subjectType: approval.what === 'account' ? 'staff' : 'class',
			subjectId: approval.what === 'account' ? approval.staffId : approval.classId,
			detail: { noticeId, staffId: approval.staffId }
		});
		return { ok: true as const };
	});
}

function auditAction(approval: Approval, decision: 'approve' | 'refuse'): string {
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
	if (!(await stillWaiting(trx, schoolId, approval))) return false;
	if (decision === 'approve') return approveStaff(trx, schoolId, approval.staffId);
	// A refused account is disabled (never deleted) and stays waiting, so enabling it again
	// gives it no sight of reports without another approval.
	await deleteSessionsOfStaff(trx, schoolId, approval.staffId);
	return setStaffDisabled(trx, schoolId, approval.staffId, now);
}

/** "Mark all as seen": notices still waiting for a decision stay on the list. */
export async function markNoticesSeen(ctx: AppContext, actor: StaffActor): Promise<void> {
	const now = ctx.clock.now();
	const notices = await accountNotices(ctx, actor);
	await ctx.db.transaction().execute(async (trx) => {
		for (const n of notices) {
			if (n.waiting === null) await markDslNoticeSeen(trx, actor.schoolId, n.id, now);
		}
	});
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
			action: approval.what === 'account' ? 'staff.account-approved' : 'class.assignment-approved',
			subjectType: approval.what === 'account' ? 'staff' : 'class',
			subjectId: approval.what === 'account' ? approval.staffId : approval.classId,
			detail: { staffId: approval.staffId, via: 'seed' }
		});
	});
}
