import { staffActor } from '$lib/server/access';
import { error, fail } from '@sveltejs/kit';
import { firstProblem } from '$lib/domain/staff';
import { newPupilSchema } from '$lib/domain/pupil';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import { staffOfSchool } from '$lib/server/services/staff.service';
import {
	addPupils,
	archivePupilOfClass,
	assignTeacher,
	classDetail,
	unassignTeacher
} from '$lib/server/services/class.service';
import { canAct } from '$lib/domain/roles';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const ctx = app();
	const actor = staffActor(locals);
	const detail = await classDetail(ctx, actor, params.classId);
	if (!detail) error(404, 'No such class');
	const teachers = canAct(actor, 'class.manage')
		? (await staffOfSchool(ctx, actor))
				.filter((s) => !s.disabled && (s.role === 'teacher' || s.role === 'dsl'))
				.map((s) => ({ id: s.id, name: s.name }))
		: [];
	return { detail, teachers };
};

export const actions: Actions = {
	addPupil: async ({ request, locals, params }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const parsed = newPupilSchema.safeParse({
			firstName: field(form, 'firstName'),
			lastInitial: field(form, 'lastInitial')
		});
		if (!parsed.success) return fail(400, { error: firstProblem(parsed.error) });
		const result = await addPupils(
			app(),
			staffActor(locals),
			params.classId,
			[parsed.data],
			'hand'
		);
		return result.ok ? { done: 'pupil.added' } : fail(404, { error: result.error });
	},
	archivePupil: async ({ request, locals, params }) => {
		const form = await readForm(request);
		const pupilId = form ? field(form, 'pupilId') : '';
		if (!pupilId) return fail(400, { error: 'error.badForm' });
		// Archiving takes a pupil off every class screen, so it is asked twice.
		if (field(form!, 'confirm') !== 'yes') return { confirmArchive: pupilId };
		const result = await archivePupilOfClass(app(), staffActor(locals), params.classId, pupilId);
		return result.ok ? { done: 'pupil.archived' } : fail(404, { error: result.error });
	},
	assignTeacher: async ({ request, locals, params }) => {
		const form = await readForm(request);
		const staffId = form ? field(form, 'staffId') : '';
		if (!form || !staffId) return fail(400, { error: 'error.badForm' });
		const from = field(form, 'coverFrom');
		const until = field(form, 'coverUntil');
		let cover: { from: string; until: string } | null = null;
		if (from || until) {
			const start = new Date(from);
			const end = new Date(until);
			if (
				!from ||
				!until ||
				Number.isNaN(start.getTime()) ||
				Number.isNaN(end.getTime()) ||
				end <= start
			) {
				return fail(400, { error: 'class.error.coverDates' });
			}
			cover = { from: start.toISOString(), until: end.toISOString() };
		}
		const result = await assignTeacher(app(), staffActor(locals), params.classId, staffId, cover);
		return result.ok ? { done: 'class.teacherAssigned' } : fail(400, { error: result.error });
	},
	unassignTeacher: async ({ request, locals, params }) => {
		const form = await readForm(request);
		const staffId = form ? field(form, 'staffId') : '';
		if (!staffId) return fail(400, { error: 'error.badForm' });
		const result = await unassignTeacher(app(), staffActor(locals), params.classId, staffId);
		return result.ok ? { done: 'class.teacherRemoved' } : fail(404, { error: result.error });
	}
};
