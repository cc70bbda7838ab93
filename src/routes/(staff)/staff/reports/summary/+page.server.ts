import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { readRange } from '$lib/server/report-range';
import { governorsSummary } from '$lib/server/services/report.service';
import type { PageServerLoad } from './$types';

// Counts for governors, by month and category: no names, no words.
export const load: PageServerLoad = async ({ locals, url }) => {
	const ctx = app();
	const actor = staffActor(locals);
	const zone = ctx.config.schoolHours.timeZone;
	const range = readRange(url.searchParams, ctx.clock.now(), 365, zone);
	const used = range ?? readRange(new URLSearchParams(), ctx.clock.now(), 365, zone)!;
	return {
		range: used,
		problem: range ? null : 'reports.error.dates',
		cells: await governorsSummary(ctx, actor, used.from, used.to)
	};
};
