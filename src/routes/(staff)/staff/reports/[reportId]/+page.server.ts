import { error, fail } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { readForm } from '$lib/server/forms';
import { addReportEvent, openReport } from '$lib/server/services/report.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, depends }) => {
	depends('lantern:reports');
	const report = await openReport(app(), staffActor(locals), params.reportId);
	// Another class's report looks exactly like no report at all.
	if (!report) error(404, 'There is no report here for your account.');
	return { report };
};

export const actions: Actions = {
	addEvent: async ({ request, locals, params }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		// The form's fields, as the event schema in $lib/domain/report.ts expects them.
		const input: Record<string, string> = {};
		for (const [key, value] of form) if (typeof value === 'string') input[key] = value;
		const result = await addReportEvent(app(), staffActor(locals), params.reportId, input);
		if (!result.ok) return fail(400, { error: result.error, kind: input.kind ?? '' });
		return { done: 'reports.saved' };
	}
};
