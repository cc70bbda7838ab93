import { error, fail } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import { recordConsentForm } from '$lib/server/services/consent-forms.service';
import { pupilConsent, setNoPhotos } from '$lib/server/services/consent.service';
import { setPupilCarers } from '$lib/server/services/consent-rules.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const consent = await pupilConsent(app(), staffActor(locals), params.pupilId);
	if (!consent) error(404, 'No such pupil');
	return { consent };
};

export const actions: Actions = {
	/** One whole form from one parent or carer: every use it answers, in one save. */
	record: async ({ request, locals, params }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const answers: Record<string, string> = {};
		for (const [name, value] of form.entries())
			if (name.startsWith('answer:') && typeof value === 'string') answers[name.slice(7)] = value;
		const values = {
			givenBy: field(form, 'givenBy'),
			relationship: field(form, 'relationship'),
			givenOn: field(form, 'givenOn'),
			validFrom: field(form, 'validFrom'),
			validUntil: field(form, 'validUntil'),
			source: field(form, 'source'),
			answers
		};
		const result = await recordConsentForm(app(), staffActor(locals), params.pupilId, values);
		// On a problem nothing is stored, and the form comes back as it was typed.
		if (!result.ok) return fail(400, { error: result.error, field: result.field, values });
		return { recorded: result.recorded };
	},
	carers: async ({ request, locals, params }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const result = await setPupilCarers(
			app(),
			staffActor(locals),
			params.pupilId,
			Number(field(form, 'carers'))
		);
		return result.ok ? { done: 'consentRules.carers.saved' } : fail(400, { error: result.error });
	},
	noPhotos: async ({ request, locals, params }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const result = await setNoPhotos(app(), staffActor(locals), params.pupilId, {
			onList: field(form, 'onList') === 'yes',
			reason: field(form, 'reason')
		});
		return result.ok ? { done: 'consent.noPhotosSaved' } : fail(400, { error: result.error });
	}
};
