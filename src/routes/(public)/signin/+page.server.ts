import { fail, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { setSessionCookie } from '$lib/server/cookies';
import { field, readForm, safeNext } from '$lib/server/forms';
import { signIn } from '$lib/server/services/auth.service';
import { knownDeviceCookie, rememberDevice } from '$lib/server/services/sign-in-throttle';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.actor) redirect(303, safeNext(url.searchParams.get('next')));
	return { reason: url.searchParams.get('reason') };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress, setHeaders }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm', email: '' });
		const email = field(form, 'email');
		const password = field(form, 'password');
		if (!email || !password) return fail(400, { error: 'signin.error.missing', email });

		const ctx = app();
		const result = await signIn(ctx, email, password, {
			address: getClientAddress(),
			knownDevice: cookies.get(knownDeviceCookie) ?? null
		});
		if (!result.ok) {
			if (result.reason === 'refused') return fail(400, { error: 'signin.error.refused', email });
			setHeaders({ 'retry-after': String(result.retryAfterSeconds) });
			const error = result.reason === 'locked' ? 'signin.error.locked' : 'throttle.tooManyTries';
			return fail(429, { error, email });
		}
		setSessionCookie(cookies, result.sessionToken, url, ctx.config);
		const next = safeNext(url.searchParams.get('next'));
		// Second factor: a code (or setting one up) before the session is a full one.
		if (result.stage !== 'full')
			redirect(303, `/signin/${result.stage}?next=${encodeURIComponent(next)}`);
		// Only a complete sign-in makes this browser a known device.
		await rememberDevice(ctx, cookies, url, result.actor);
		redirect(303, next);
	}
};
