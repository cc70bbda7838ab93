import { error, fail } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { readForm } from '$lib/server/forms';
import { addReportEvent, openReport } from '$lib/server/services/report.service';
import type { Actions, PageServerLoad } from './$types';

// Every run of this load shows the report to someone, so it is audited and it must run only
// when a person opens the page: it does not depend on 'lantern:reports' (live updates do not
// reload an open report) and the links to it are not preloaded.
export const load: PageServerLoad = async ({ locals, params }) => {
	const report = await openReport(app(), staffActor(locals), params.reportId);
	// Another class's report looks exactly like no report at all.
	if (!report) error(404, 'There is no report here for your account.');
	return { report };
};

export const actions: Actions = {
	addEvent: async ({ request, locals, params }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm', kind: '' });
		// The form's fields, as the event schema in $lib/domain/report.ts expects them.
		const input: Record<string, string> = {};
		for (const [key, value] of form) if (typeof value === 'string') input[key] = value;
		const result = await addReportEvent(app(), staffActor(locals), params.reportId, input);
		if (!result.ok) return fail(400, { error: result.error, kind: input.kind ?? '' });
		return { done: 'reports.saved' };
	}
};
