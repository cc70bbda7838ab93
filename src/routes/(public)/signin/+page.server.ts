import { fail, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { setSessionCookie } from '$lib/server/cookies';
import { field, readForm, safeNext } from '$lib/server/forms';
import { signIn } from '$lib/server/services/auth.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.actor) redirect(303, safeNext(url.searchParams.get('next')));
	return { reason: url.searchParams.get('reason') };
};

export const actions: Actions = {
	default: async ({ request, cookies, url }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm', email: '' });
		const email = field(form, 'email');
		const password = field(form, 'password');
		if (!email || !password) return fail(400, { error: 'signin.error.missing', email });

		const ctx = app();
		const result = await signIn(ctx, email, password);
		if (!result.ok) {
			const error = result.reason === 'locked' ? 'signin.error.locked' : 'signin.error.refused';
			return fail(result.reason === 'locked' ? 429 : 400, { error, email });
		}
		setSessionCookie(cookies, result.sessionToken, url, ctx.config);
		const next = safeNext(url.searchParams.get('next'));
		// Second factor: a code (or setting one up) before the session is a full one.
		if (result.stage !== 'full')
			redirect(303, `/signin/${result.stage}?next=${encodeURIComponent(next)}`);
		redirect(303, next);
	}
};
