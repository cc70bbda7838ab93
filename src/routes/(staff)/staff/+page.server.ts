import { fail } from '@sveltejs/kit';
import { canAct } from '$lib/domain/roles';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import {
	accountNotices,
	decideNotice,
	markNoticesSeen
} from '$lib/server/services/approval.service';
import { classesFor } from '$lib/server/services/class.service';
import { reportCounts } from '$lib/server/services/report.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, depends }) => {
	// The report counts follow live updates, like the inbox.
	depends('lantern:reports');
	const ctx = app();
	const actor = staffActor(locals);
	const [classes, reports, notices] = await Promise.all([
		classesFor(ctx, actor),
		// Urgent reports not closed and reports not yet opened, in what this person may see.
		reportCounts(ctx, actor),
		// For the DSL: new accounts, assignments and resets, some waiting for approval.
		canAct(actor, 'account.approve') ? accountNotices(ctx, actor) : Promise.resolve([])
	]);
	return { classes, reports, notices };
};

async function decide(request: Request, locals: App.Locals, decision: 'approve' | 'refuse') {
	const form = await readForm(request);
	const id = form ? field(form, 'noticeId') : '';
	if (!id) return fail(400, { error: 'error.badForm' });
	const result = await decideNotice(app(), staffActor(locals), id, decision);
	if (!result.ok) return fail(400, { error: result.error });
	return {
		done: decision === 'approve' ? 'accountApproval.approved' : 'accountApproval.refused'
	};
}

export const actions: Actions = {
	approve: async ({ request, locals }) => decide(request, locals, 'approve'),
	refuse: async ({ request, locals }) => decide(request, locals, 'refuse'),
	seen: async ({ locals }) => {
		await markNoticesSeen(app(), staffActor(locals));
		return { done: 'accountApproval.allSeen' };
	}
};
