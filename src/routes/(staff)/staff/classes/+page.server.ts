import { staffActor } from '$lib/server/access';
import { fail } from '@sveltejs/kit';
import { classInputSchema, firstProblem } from '$lib/domain/staff';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import { addClass, classesFor } from '$lib/server/services/class.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	classes: await classesFor(app(), staffActor(locals))
});

export const actions: Actions = {
	add: async ({ request, locals }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm', values: { name: '', yearGroup: '' } });
		const values = { name: field(form, 'name'), yearGroup: field(form, 'yearGroup') };
		const parsed = classInputSchema.safeParse(values);
		if (!parsed.success) return fail(400, { error: firstProblem(parsed.error), values });
		const result = await addClass(app(), staffActor(locals), parsed.data);
		if (!result.ok) return fail(409, { error: result.error, values });
		return { done: 'class.added' };
	}
};
