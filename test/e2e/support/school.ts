import { createAppContext } from '$lib/server/app';
import { readConfig } from '$lib/server/config';
import type { AppContext, StaffActor } from '$lib/server/context';
import { classIdsForStaff } from '$lib/server/repositories/class.repository';
import { findStaffByEmail } from '$lib/server/repositories/staff.repository';

/**
 * The test's own connection to the running server's SQLite file, for arranging things a
 * teacher would do elsewhere (printing cards, making a set-up code) without clicking through.
 */
export async function openSchool(dbFile: string): Promise<AppContext & { close(): Promise<void> }> {
	return createAppContext(readConfig({ LANTERN_DB_FILE: dbFile }));
}

export async function actorFor(ctx: AppContext, email: string): Promise<StaffActor> {
	const staff = await findStaffByEmail(ctx.db, email);
	if (!staff) throw new Error(`No staff ${email}`);
	return {
		schoolId: staff.schoolId,
		staffId: staff.id,
		role: staff.role,
		name: staff.name,
		email: staff.email,
		classIds: await classIdsForStaff(ctx.db, staff.schoolId, staff.id, new Date())
	};
}

export async function classIdByName(
	ctx: AppContext,
	actor: StaffActor,
	name: string
): Promise<string> {
	const row = await ctx.db
		.selectFrom('class')
		.select('id')
		.where('school_id', '=', actor.schoolId)
		.where('name', '=', name)
		.executeTakeFirstOrThrow();
	return row.id;
}
