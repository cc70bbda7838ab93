import { staffActor } from '$lib/server/access';
import { actions as allActions, can } from '$lib/domain/roles';
import { app } from '$lib/server/app';
import { getSchool } from '$lib/server/repositories/school.repository';
import type { LayoutServerLoad } from './$types';

// hooks.server.ts has already refused anyone without a session or the right role.
export const load: LayoutServerLoad = async ({ locals }) => {
	const actor = staffActor(locals);
	const ctx = app();
	const school = await getSchool(ctx.db, actor.schoolId);
	return {
		lang: locals.lang,
		me: { name: actor.name, role: actor.role, email: actor.email },
		schoolName: school?.name ?? '',
		allowed: allActions.filter((action) => can(actor.role, action)),
		idleMinutes: ctx.config.signIn.idleMinutes
	};
};
