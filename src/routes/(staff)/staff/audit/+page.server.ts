import { error } from '@sveltejs/kit';
import { filterSearch, readAuditFilter } from '$lib/domain/audit-log';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { auditPage } from '$lib/server/services/audit-log.service';
import type { PageServerLoad } from './$types';

// The audit log for the DSL: filters in the address (a GET form), so a search can be bookmarked.
export const load: PageServerLoad = async ({ locals, url }) => {
	const ctx = app();
	const actor = staffActor(locals);
	const { filter, problem } = readAuditFilter(url.searchParams);
	const page = await auditPage(ctx, actor, filter);
	if (!page.ok) error(403, 'Your account cannot open this page.');
	return {
		...page,
		filter,
		problem,
		timeZone: ctx.config.schoolHours.timeZone,
		olderLink: page.olderBefore === null ? null : filterSearch(filter, page.olderBefore),
		newestLink: filter.before === null ? null : filterSearch(filter),
		exportLink: `/staff/audit/export${filterSearch({ ...filter, before: null })}`
	};
};
