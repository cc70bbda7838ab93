import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { classesFor } from '$lib/server/services/class.service';
import { reportCounts } from '$lib/server/services/report.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, depends }) => {
	// The report counts follow live updates, like the inbox.
	depends('lantern:reports');
	const ctx = app();
	const actor = staffActor(locals);
	const [classes, reports] = await Promise.all([
		classesFor(ctx, actor),
		// Urgent reports not closed and reports not yet opened, in what this person may see.
		reportCounts(ctx, actor)
	]);
	return { classes, reports };
};
