import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { readRange } from '$lib/server/report-range';
import type { PageServerLoad } from './$types';

// The incident log: the DSL picks dates and downloads it; the download is audited.
export const load: PageServerLoad = ({ locals, url }) => {
	const ctx = app();
	staffActor(locals);
	const zone = ctx.config.schoolHours.timeZone;
	const range = readRange(url.searchParams, ctx.clock.now(), 30, zone);
	return {
		range: range ?? readRange(new URLSearchParams(), ctx.clock.now(), 30, zone)!,
		problem: range ? null : 'reports.error.dates',
		timeZone: zone
	};
};
