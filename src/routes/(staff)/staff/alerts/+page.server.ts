import { fail } from '@sveltejs/kit';
import { schoolDateTime } from '$lib/domain/school-time';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import {
	addContact,
	addDeputy,
	alertSettings,
	removeAlertRecipient
} from '$lib/server/services/alert.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const ctx = app();
	const view = await alertSettings(ctx, staffActor(locals));
	const zone = ctx.config.schoolHours.timeZone;
	return {
		...view,
		lastSent: view.status.lastSentAt ? schoolDateTime(view.status.lastSentAt, zone) : null
	};
};

export const actions: Actions = {
	addDeputy: async ({ request, locals }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const result = await addDeputy(app(), staffActor(locals), field(form, 'staffId'));
		return result.ok ? { done: 'alerts.added' } : fail(400, { error: result.error });
	},
	addContact: async ({ request, locals }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const result = await addContact(app(), staffActor(locals), {
			name: field(form, 'name'),
			email: field(form, 'email')
		});
		return result.ok
			? { done: 'alerts.added' }
			: fail(400, { error: result.error, name: field(form, 'name'), email: field(form, 'email') });
	},
	remove: async ({ request, locals }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const result = await removeAlertRecipient(app(), staffActor(locals), field(form, 'id'));
		return result.ok ? { done: 'alerts.removed' } : fail(400, { error: result.error });
	}
};
