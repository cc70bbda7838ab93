import { staffActor } from '$lib/server/access';
import { actions as allActions, canAct } from '$lib/domain/roles';
import { app } from '$lib/server/app';
import { getSchool } from '$lib/server/repositories/school.repository';
import { overdueList, unseenCount } from '$lib/server/services/report.service';
import type { LayoutServerLoad } from './$types';

// hooks.server.ts has already refused anyone without a session or the right role.
export const load: LayoutServerLoad = async ({ locals, depends }) => {
	depends('lantern:reports');
	const actor = staffActor(locals);
	const ctx = app();
	const [school, unseen, overdue] = await Promise.all([
		getSchool(ctx.db, actor.schoolId),
		canAct(actor, 'report.view') ? unseenCount(ctx, actor) : Promise.resolve(0),
		overdueList(ctx, actor)
	]);
	return {
		lang: locals.lang,
		me: { name: actor.name, role: actor.role, email: actor.email },
		schoolName: school?.name ?? '',
		allowed: allActions.filter((action) => canAct(actor, action)),
		idleMinutes: ctx.config.signIn.idleMinutes,
		unseenReports: unseen,
		// For the DSL: reports nobody has opened in time, linked from every staff page.
		overdueReports: overdue
	};
};
