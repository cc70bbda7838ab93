import { error, fail } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import { qrSvg } from '$lib/server/qr';
import {
	cardStatus,
	issueCards,
	voidClassCards,
	type CardChoice
} from '$lib/server/services/card.service';
import { classDetail } from '$lib/server/services/class.service';
import {
	makePicturePasswords,
	newPicturesForPupil,
	pictureStatus,
	setClassPictures
} from '$lib/server/services/picture-password.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const ctx = app();
	const actor = staffActor(locals);
	const detail = await classDetail(ctx, actor, params.classId);
	if (!detail) error(404, 'No such class');
	const withCards = await cardStatus(ctx, actor, params.classId);
	const pictures = await pictureStatus(ctx, actor, params.classId);
	return {
		classInfo: { id: detail.id, name: detail.name, picturePasswords: pictures.on },
		pupils: detail.pupils.map((p) => ({
			...p,
			hasCard: withCards.has(p.id),
			hasPictures: pictures.pupilsWithOne.has(p.id),
			picturesLocked: pictures.pupilsLocked.has(p.id)
		}))
	};
};

export const actions: Actions = {
	issue: async ({ request, locals, params }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const which = field(form, 'which');
		const choice: CardChoice | null =
			which === 'missing' || which === 'all'
				? { kind: which }
				: which === 'pupil' && field(form, 'pupilId')
					? { kind: 'pupil', pupilId: field(form, 'pupilId') }
					: null;
		if (!choice) return fail(400, { error: 'error.badForm' });
		const result = await issueCards(app(), staffActor(locals), params.classId, choice);
		if (!result.ok) return fail(400, { error: result.error });
		// The secrets exist only in this response: the sheet is drawn now, printed, and gone.
		const cards = await Promise.all(
			result.cards.map(async (card) => ({ ...card, qr: await qrSvg(card.token) }))
		);
		return { cards: cards.map(({ token, ...card }) => card) };
	},
	setPictures: async ({ request, locals, params }) => {
		const form = await readForm(request);
		const on = form ? field(form, 'on') : '';
		if (on !== 'yes' && on !== 'no') return fail(400, { error: 'error.badForm' });
		const result = await setClassPictures(app(), staffActor(locals), params.classId, on === 'yes');
		return result.ok
			? { done: on === 'yes' ? 'pictures.turnedOn' : 'pictures.turnedOff' }
			: fail(400, { error: result.error });
	},
	makePictures: async ({ locals, params }) => {
		const result = await makePicturePasswords(app(), staffActor(locals), params.classId, {
			kind: 'missing'
		});
		return result.ok ? { slips: result.slips } : fail(400, { error: result.error });
	},
	newPictures: async ({ request, locals, params }) => {
		const form = await readForm(request);
		const pupilId = form ? field(form, 'pupilId') : '';
		if (!pupilId) return fail(400, { error: 'error.badForm' });
		const result = await newPicturesForPupil(app(), staffActor(locals), params.classId, pupilId);
		if (!result.ok) return fail(404, { error: result.error });
		// Shown this once (Lantern keeps only a hash): to tell the pupil, or print for them.
		return { slips: [result.slip], replaced: result.replaced };
	},
	voidAll: async ({ locals, params }) => {
		const result = await voidClassCards(app(), staffActor(locals), params.classId);
		return result.ok ? { voided: result.voided } : fail(400, { error: result.error });
	}
};
