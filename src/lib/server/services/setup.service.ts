import type { FirstRunInput } from '$lib/domain/staff';
import type { AppContext } from '../context';
import { newId } from '../ids';
import { hashPassword } from '../password';
import { appendAudit } from '../repositories/audit.repository';
import {
	claimFirstRun,
	findSchoolByName,
	firstRunDone,
	insertSchool
} from '../repositories/school.repository';
import { findStaffByEmail, insertStaff } from '../repositories/staff.repository';

export type SetupResult =
	{ ok: true; schoolId: string; adminId: string } | { ok: false; error: string };

export async function isFirstRunDone(ctx: AppContext): Promise<boolean> {
	return firstRunDone(ctx.db);
}

/**
 * Creates a school and its first admin. `firstRun` is the web page's path: it works once per
 * install. The command-line path can add further schools to a trust's install, but never a
 * second school of the same name, so nobody can give themselves an admin for an existing school.
 */
export async function createSchoolWithAdmin(
	ctx: AppContext,
	input: FirstRunInput,
	options: { firstRun: boolean }
): Promise<SetupResult> {
	const now = ctx.clock.now();
	const passwordHash = await hashPassword(input.password);
	const schoolId = newId();
	const adminId = newId();
	try {
		return await ctx.db.transaction().execute(async (trx) => {
			if (options.firstRun && (await firstRunDone(trx))) {
				return { ok: false as const, error: 'setup.error.alreadyDone' };
			}
			if (await findSchoolByName(trx, input.schoolName)) {
				return { ok: false as const, error: 'setup.error.schoolExists' };
			}
			if (await findStaffByEmail(trx, input.email)) {
				return { ok: false as const, error: 'staff.error.emailTaken' };
			}
			await insertSchool(trx, { id: schoolId, name: input.schoolName }, now);
			if (options.firstRun) await claimFirstRun(trx, schoolId, now);
			await insertStaff(
				trx,
				schoolId,
				{ id: adminId, email: input.email, name: input.adminName, role: 'admin', passwordHash },
				now
			);
			await appendAudit(trx, {
				schoolId,
				at: now,
				actorId: adminId,
				action: 'school.created',
				subjectType: 'school',
				subjectId: schoolId,
				detail: { via: options.firstRun ? 'first-run page' : 'command' }
			});
			return { ok: true as const, schoolId, adminId };
		});
	} catch (error) {
		// Two first-run requests at once: the loser hits the one-row table's primary key.
		if (options.firstRun && (await firstRunDone(ctx.db)))
			return { ok: false, error: 'setup.error.alreadyDone' };
		throw error;
	}
}
