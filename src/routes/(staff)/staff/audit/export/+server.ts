import { error } from '@sveltejs/kit';
import { readAuditFilter } from '$lib/domain/audit-log';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { auditExport } from '$lib/server/services/audit-log.service';
import { translator } from '$lib/i18n/i18n.svelte';
import { staffLanguage } from '$lib/i18n/languages';
import '$lib/i18n/audit-log';
import type { RequestHandler } from './$types';

/** The filtered audit log as CSV, safe to open in a spreadsheet. The download is audited. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const ctx = app();
	const actor = staffActor(locals);
	const { filter, problem } = readAuditFilter(url.searchParams);
	if (problem) error(400, 'Please check the dates and the report reference.');
	const t = translator(staffLanguage(locals.lang));
	const log = await auditExport(ctx, actor, filter, (key, values) => t(key, values));
	if (!log.ok) error(403, 'Your account cannot do this.');
	return new Response(log.csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${log.filename}"`,
			'cache-control': 'no-store'
		}
	});
};
