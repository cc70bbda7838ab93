import { redirect } from '@sveltejs/kit';
import { app } from '$lib/server/app';
import { clearSessionCookie, sessionCookie } from '$lib/server/cookies';
import { signOut } from '$lib/server/services/auth.service';
import type { RequestHandler } from './$types';

/** Sign out: by the button (a form post) or by the idle timer (a fetch with ?reason=idle). */
export const POST: RequestHandler = async ({ cookies, locals, url }) => {
	const ctx = app();
	const reason = url.searchParams.get('reason') === 'idle' ? 'idle' : 'signed-out';
	const token = cookies.get(sessionCookie);
	if (token) await signOut(ctx, token, locals.actor ?? locals.pending?.actor ?? null, reason);
	clearSessionCookie(cookies, url, ctx.config);
	redirect(303, `/signin?reason=${reason}`);
};
