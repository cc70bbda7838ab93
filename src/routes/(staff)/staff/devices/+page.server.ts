import { fail } from '@sveltejs/kit';
import { deviceNameSchema } from '$lib/domain/device';
import { firstProblem } from '$lib/domain/staff';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import { qrSvg } from '$lib/server/qr';
import { classesFor } from '$lib/server/services/class.service';
import {
	createEnrolmentCode,
	deviceOverview,
	revokeDeviceOf,
	signOutClass
} from '$lib/server/services/device.service';
import { unlockPictures } from '$lib/server/services/picture-password.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const ctx = app();
	const actor = staffActor(locals);
	const [overview, classes] = await Promise.all([
		deviceOverview(ctx, actor),
		classesFor(ctx, actor)
	]);
	return { ...overview, classes: classes.map((c) => ({ id: c.id, name: c.name })) };
};

export const actions: Actions = {
	createCode: async ({ request, locals }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const name = deviceNameSchema.safeParse(field(form, 'name'));
		if (!name.success) return fail(400, { error: firstProblem(name.error) });
		const classIds = form.getAll('classId').filter((v): v is string => typeof v === 'string');
		const result = await createEnrolmentCode(app(), staffActor(locals), {
			name: name.data,
			classIds
		});
		if (!result.ok) return fail(400, { error: result.error });
		return {
			enrolment: {
				name: name.data,
				code: result.code,
				qr: await qrSvg(result.qrText),
				expiresAt: result.expiresAt
			}
		};
	},
	revoke: async ({ request, locals }) => {
		const form = await readForm(request);
		const deviceId = form ? field(form, 'deviceId') : '';
		if (!deviceId) return fail(400, { error: 'error.badForm' });
		const result = await revokeDeviceOf(app(), staffActor(locals), deviceId);
		return result.ok ? { done: 'devices.revoked' } : fail(404, { error: result.error });
	},
	unlockPictures: async ({ request, locals }) => {
		const form = await readForm(request);
		const pupilId = form ? field(form, 'pupilId') : '';
		if (!pupilId) return fail(400, { error: 'error.badForm' });
		const result = await unlockPictures(app(), staffActor(locals), pupilId);
		return result.ok ? { done: 'pictures.unlocked' } : fail(404, { error: result.error });
	},
	signOutClass: async ({ request, locals }) => {
		const form = await readForm(request);
		const classId = form ? field(form, 'classId') : '';
		if (!classId) return fail(400, { error: 'error.badForm' });
		const result = await signOutClass(app(), staffActor(locals), classId);
		return result.ok ? { done: 'devices.classSignedOut' } : fail(404, { error: result.error });
	}
};
