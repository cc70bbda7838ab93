import { fail, redirect } from '@sveltejs/kit';
import { firstProblem, firstRunSchema } from '$lib/domain/staff';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import { createSchoolWithAdmin, isFirstRunDone } from '$lib/server/services/setup.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ done: await isFirstRunDone(app()) });

export const actions: Actions = {
	default: async ({ request }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm', values: {} });
		const values = {
			schoolName: field(form, 'schoolName'),
			adminName: field(form, 'adminName'),
			email: field(form, 'email')
		};
		if (field(form, 'password') !== field(form, 'passwordAgain')) {
			return fail(400, { error: 'account.error.passwordsDiffer', values });
		}
		const parsed = firstRunSchema.safeParse({ ...values, password: field(form, 'password') });
		if (!parsed.success) return fail(400, { error: firstProblem(parsed.error), values });

		const result = await createSchoolWithAdmin(app(), parsed.data, { firstRun: true });
		if (!result.ok) return fail(409, { error: result.error, values });
		redirect(303, '/signin?reason=setup-done');
	}
};
