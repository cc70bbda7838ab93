import type { AppContext, Db, StaffActor } from '../context';
import { appendAudit } from '../repositories/audit.repository';

export interface AuditWhat {
	action: string;
	subjectType: string;
	subjectId: string | null;
	detail?: Record<string, unknown>;
}

/**
 * A change made by a member of staff and its audit entry, in one transaction: either both
 * are written or neither. Every staff change that the school may need to account for goes
 * through here.
 */
export async function audited<T>(
	ctx: AppContext,
	actor: StaffActor,
	what: AuditWhat,
	work: (trx: Db) => Promise<T>
): Promise<T> {
	return ctx.db.transaction().execute(async (trx) => {
		const result = await work(trx);
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: ctx.clock.now(),
			actorId: actor.staffId,
			...what
		});
		return result;
	});
}
