import { fail, redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { clearSessionCookie, sessionCookie, setSessionCookie } from '$lib/server/cookies';
import { field, readForm, safeNext } from '$lib/server/forms';
import { passSecondFactor } from '$lib/server/services/second-factor.service';
import { rememberDevice } from '$lib/server/services/sign-in-throttle';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The second step of signing in: a code from the authenticator app, or a recovery code. */
export const load: PageServerLoad = ({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.actor) redirect(303, next);
	if (locals.pending?.stage === 'enrol')
		redirect(303, `/signin/enrol?next=${encodeURIComponent(next)}`);
	if (!locals.pending) redirect(303, '/signin?reason=signin');
	return { next };
};

async function pass(event: RequestEvent, fieldName: 'code' | 'recoveryCode') {
	const { request, locals, cookies, url, getClientAddress, setHeaders } = event;
	const pending = locals.pending;
	const token = cookies.get(sessionCookie);
	if (!pending || pending.stage !== 'code' || !token) redirect(303, '/signin?reason=signin');
	const form = await readForm(request);
	const typed = form ? field(form, fieldName).trim() : '';
	if (!typed) return fail(400, { error: 'secondFactor.error.missing', which: fieldName });

	const ctx = app();
	const result = await passSecondFactor(ctx, pending.actor, token, typed, {
		address: getClientAddress()
	});
	if (!result.ok) {
		if (result.reason === 'throttled') {
			setHeaders({ 'retry-after': String(result.retryAfterSeconds ?? 1) });
			return fail(429, { error: 'throttle.tooManyTries', which: fieldName });
		}
		if (result.reason === 'locked') {
			clearSessionCookie(cookies, url, ctx.config);
			redirect(303, '/signin?reason=locked');
		}
		const error =
			result.reason === 'used'
				? 'secondFactor.error.used'
				: fieldName === 'code'
					? 'secondFactor.error.wrongCode'
					: 'secondFactor.error.wrongRecovery';
		return fail(400, { error, which: fieldName });
	}
	setSessionCookie(cookies, result.sessionToken, url, ctx.config);
	// Only a complete sign-in (password and second factor) makes this browser a known device.
	await rememberDevice(ctx, cookies, url, pending.actor);
	redirect(303, safeNext(url.searchParams.get('next')));
}

export const actions: Actions = {
	code: (event) => pass(event, 'code'),
	recovery: (event) => pass(event, 'recoveryCode')
};
