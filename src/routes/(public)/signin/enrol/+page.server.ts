import { fail, redirect } from '@sveltejs/kit';
import { groupSecret } from '$lib/domain/second-factor';
import { app } from '$lib/server/app';
import { clearSessionCookie, sessionCookie, setSessionCookie } from '$lib/server/cookies';
import { field, readForm, safeNext } from '$lib/server/forms';
import { confirmEnrolment, startEnrolment } from '$lib/server/services/second-factor.service';
import { rememberDevice } from '$lib/server/services/sign-in-throttle';
import type { Actions, PageServerLoad } from './$types';

/**
 * Setting up the second factor: before anything else for someone who must have one (a
 * half-signed-in session), or by choice from the Account page (a full session).
 */
function enrolling(locals: App.Locals) {
	if (locals.pending?.stage === 'enrol') return { actor: locals.pending.actor, mustEnrol: true };
	if (locals.actor) return { actor: locals.actor, mustEnrol: false };
	return null;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.pending?.stage === 'code')
		redirect(303, `/signin/code?next=${encodeURIComponent(next)}`);
	const who = enrolling(locals);
	if (!who) redirect(303, '/signin?reason=signin');
	const started = await startEnrolment(app(), who.actor);
	return {
		next,
		mustEnrol: who.mustEnrol,
		enrolment:
			'enrolled' in started ? null : { qr: started.qr, secret: groupSecret(started.secret) }
	};
};

export const actions: Actions = {
	confirm: async ({ request, locals, cookies, url, getClientAddress, setHeaders }) => {
		const who = enrolling(locals);
		const token = cookies.get(sessionCookie);
		if (!who || !token) redirect(303, '/signin?reason=signin');
		const form = await readForm(request);
		const typed = form ? field(form, 'code').trim() : '';
		if (!typed) return fail(400, { error: 'secondFactor.error.missing' });

		const ctx = app();
		const result = await confirmEnrolment(ctx, who.actor, token, typed, {
			address: getClientAddress()
		});
		if (!result.ok) {
			if (result.reason === 'throttled') {
				setHeaders({ 'retry-after': String(result.retryAfterSeconds ?? 1) });
				return fail(429, { error: 'throttle.tooManyTries' });
			}
			if (result.reason === 'locked') {
				clearSessionCookie(cookies, url, ctx.config);
				redirect(303, '/signin?reason=locked');
			}
			const error =
				result.reason === 'used' ? 'secondFactor.error.used' : 'secondFactor.error.wrongCode';
			return fail(400, { error });
		}
		setSessionCookie(cookies, result.sessionToken, url, ctx.config);
		await rememberDevice(ctx, cookies, url, who.actor);
		// Shown this once: only their hashes are kept.
		return { recoveryCodes: result.recoveryCodes };
	}
};
