import { fail, redirect } from '@sveltejs/kit';
import { firstDslSchema, firstProblem, firstRunSchema } from '$lib/domain/staff';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import { passwordLinkPath } from '$lib/server/services/password-link.service';
import { createSchoolWithAdmin, isFirstRunDone } from '$lib/server/services/setup.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ done: await isFirstRunDone(app()) });

export const actions: Actions = {
	default: async ({ request, url }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm', values: {} });
		const values = {
			schoolName: field(form, 'schoolName'),
			adminName: field(form, 'adminName'),
			email: field(form, 'email'),
			dslName: field(form, 'dslName'),
			dslEmail: field(form, 'dslEmail')
		};
		if (field(form, 'password') !== field(form, 'passwordAgain')) {
			return fail(400, { error: 'account.error.passwordsDiffer', values });
		}
		const parsed = firstRunSchema.safeParse({ ...values, password: field(form, 'password') });
		if (!parsed.success) return fail(400, { error: firstProblem(parsed.error), values });
		// The school's first DSL may be named here: in effect at once, with their own link.
		const dsl = firstDslSchema.safeParse({ name: values.dslName, email: values.dslEmail });
		if (!dsl.success) return fail(400, { error: firstProblem(dsl.error), values });

		const result = await createSchoolWithAdmin(app(), parsed.data, {
			firstRun: true,
			...(dsl.data ? { dsl: dsl.data } : {})
		});
		if (!result.ok) return fail(409, { error: result.error, values });
		if (!result.dsl) redirect(303, '/signin?reason=setup-done');
		return {
			created: true,
			link: {
				name: dsl.data?.name ?? '',
				url: `${url.origin}${passwordLinkPath(result.dsl.token)}`
			}
		};
	}
};
