import { error, fail } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import { pupilConsent, recordConsent, setNoPhotos } from '$lib/server/services/consent.service';
import { setPupilCarers } from '$lib/server/services/consent-rules.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const consent = await pupilConsent(app(), staffActor(locals), params.pupilId);
	if (!consent) error(404, 'No such pupil');
	return { consent };
};

export const actions: Actions = {
	record: async ({ request, locals, params }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const until = field(form, 'validUntil');
		const result = await recordConsent(app(), staffActor(locals), params.pupilId, {
			useId: field(form, 'useId'),
			decision: field(form, 'decision'),
			givenBy: field(form, 'givenBy'),
			relationship: field(form, 'relationship'),
			givenOn: field(form, 'givenOn'),
			validFrom: field(form, 'validFrom') || field(form, 'givenOn'),
			validUntil: until === '' ? null : until,
			source: field(form, 'source')
		});
		return result.ok ? { done: 'consent.recorded' } : fail(400, { error: result.error });
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
