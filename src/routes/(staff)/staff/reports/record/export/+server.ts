import { error } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { readRange } from '$lib/server/report-range';
import { incidentLog } from '$lib/server/services/report.service';
import { translator } from '$lib/i18n/i18n.svelte';
import { staffLanguage } from '$lib/i18n/languages';
import '$lib/i18n/reports';
import type { RequestHandler } from './$types';

/** The incident log for a range of the school's days, as CSV: safe to open in a spreadsheet. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const ctx = app();
	const actor = staffActor(locals);
	const range = readRange(url.searchParams, ctx.clock.now(), 30, ctx.config.schoolHours.timeZone);
	if (!range) error(400, 'Please choose a start date on or before the end date.');
	const t = translator(staffLanguage(locals.lang));
	const log = await incidentLog(ctx, actor, range, (key, values) => t(key, values));
	return new Response(log.csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${log.filename}"`,
			'cache-control': 'no-store'
		}
	});
};
