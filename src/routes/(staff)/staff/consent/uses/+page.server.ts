import { fail } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import { consentUses, retireConsentUse, saveUse } from '$lib/server/services/consent.service';
import { consentRules, saveConsentRules } from '$lib/server/services/consent-rules.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const actor = staffActor(locals);
	const [uses, rules] = await Promise.all([
		consentUses(app(), actor.schoolId),
		consentRules(app(), actor)
	]);
	return { uses, rules };
};

export const actions: Actions = {
	save: async ({ request, locals }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const result = await saveUse(app(), staffActor(locals), {
			id: field(form, 'id') || null,
			name: field(form, 'name'),
			allowedWhenUnanswered: field(form, 'allowedWhenUnanswered') === 'yes',
			neverAllowed: field(form, 'neverAllowed') === 'yes'
		});
		return result.ok ? { done: 'consent.uses.saved' } : fail(400, { error: result.error });
	},
	rules: async ({ request, locals }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const result = await saveConsentRules(app(), staffActor(locals), {
			needsAllCarers: field(form, 'needsAllCarers') === 'yes'
		});
		return result.ok ? { done: 'consentRules.settings.saved' } : fail(400, { error: result.error });
	},
	retire: async ({ request, locals }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const result = await retireConsentUse(app(), staffActor(locals), field(form, 'id'));
		return result.ok ? { done: 'consent.uses.retired' } : fail(400, { error: result.error });
	}
};
