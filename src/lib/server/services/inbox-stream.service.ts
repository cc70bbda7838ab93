import { canAct } from '$lib/domain/roles';
import { isIdleExpired } from '$lib/domain/sign-in-policy';
import type { AppContext, StaffActor } from '../context';
import { hashToken } from '../ids';
import { classIdsForStaff } from '../repositories/class.repository';
import { findSession } from '../repositories/session.repository';
import { getStaff } from '../repositories/staff.repository';

/**
 * Who an open inbox stream is for now, read again from the session and the account at each
 * event: null once the session has ended (signed out, idle, reset, disabled) or the person may
 * no longer see reports (an account waiting for approval again). Unlike the hook's look-up it
 * never counts as activity, so a stream left open does not keep an idle session alive.
 */
export async function inboxStreamViewer(
	ctx: AppContext,
	token: string | undefined
): Promise<StaffActor | null> {
	if (!token) return null;
	const session = await findSession(ctx.db, hashToken(token));
	if (!session || session.stage !== 'full') return null;
	const now = ctx.clock.now();
	if (isIdleExpired(session.lastSeenAt, now, ctx.config.signIn)) return null;
	const staff = await getStaff(ctx.db, session.schoolId, session.staffId);
	if (!staff || staff.disabledAt !== null || staff.mustChangePassword) return null;
	const actor: StaffActor = {
		schoolId: staff.schoolId,
		staffId: staff.id,
		role: staff.role,
		name: staff.name,
		email: staff.email,
		classIds: await classIdsForStaff(ctx.db, staff.schoolId, staff.id, now),
		...(staff.pendingApproval ? { pendingApproval: true } : {})
	};
	return canAct(actor, 'report.view') ? actor : null;
}
