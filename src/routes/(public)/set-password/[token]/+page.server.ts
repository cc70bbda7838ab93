import { fail, redirect } from '@sveltejs/kit';
import { passwordSchema, firstProblem } from '$lib/domain/staff';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import { passwordLinkFor, setPasswordWithLink } from '$lib/server/services/password-link.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	// The link is a secret: no copy of the page is kept anywhere.
	setHeaders({ 'cache-control': 'no-store' });
	const found = await passwordLinkFor(app(), params.token);
	return found.ok ? { person: { name: found.name, email: found.email } } : { person: null };
};

export const actions: Actions = {
	default: async ({ request, params }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const password = field(form, 'password');
		if (password !== field(form, 'passwordAgain'))
			return fail(400, { error: 'account.error.passwordsDiffer' });
		const parsed = passwordSchema.safeParse(password);
		if (!parsed.success) return fail(400, { error: firstProblem(parsed.error) });
		const result = await setPasswordWithLink(app(), params.token, parsed.data);
		if (!result.ok) return fail(400, { error: result.error });
		// Never signed in from here: they sign in as usual, second factor and all.
		redirect(303, '/signin?reason=password-set');
	}
};
