import { staffActor } from '$lib/server/access';
import { fail, redirect } from '@sveltejs/kit';
import { firstProblem, passwordSchema } from '$lib/domain/staff';
import { app } from '$lib/server/app';
import { clearSessionCookie, sessionCookie } from '$lib/server/cookies';
import { field, readForm } from '$lib/server/forms';
import { changePassword } from '$lib/server/services/auth.service';
import { changeSecondFactor, secondFactorStatus } from '$lib/server/services/second-factor.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	secondFactor: await secondFactorStatus(app(), staffActor(locals)),
	mustChangePassword: staffActor(locals).mustChangePassword === true
});

export const actions: Actions = {
	changePassword: async ({ request, locals, cookies, url }) => {
		const form = await readForm(request);
		if (!form) return fail(400, { error: 'error.badForm' });
		const next = field(form, 'newPassword');
		if (next !== field(form, 'newPasswordAgain'))
			return fail(400, { error: 'account.error.passwordsDiffer' });
		const parsed = passwordSchema.safeParse(next);
		if (!parsed.success) return fail(400, { error: firstProblem(parsed.error) });

		const ctx = app();
		const result = await changePassword(
			ctx,
			staffActor(locals),
			field(form, 'currentPassword'),
			parsed.data,
			cookies.get(sessionCookie)
		);
		if (!result.ok && result.locked) {
			// Too many wrong current passwords from this session: it has ended.
			clearSessionCookie(cookies, url, ctx.config);
			redirect(303, '/signin?reason=locked');
		}
		if (!result.ok) return fail(400, { error: result.error });
		clearSessionCookie(cookies, url, ctx.config);
		redirect(303, '/signin?reason=password-changed');
	},
	/** Change or remove one's own second factor: the password and a current code, then audited. */
	changeSecondFactor: async ({ request, locals, cookies, url }) => {
		const form = await readForm(request);
		const intent = form ? field(form, 'intent') : '';
		if (!form || (intent !== 'change' && intent !== 'remove'))
			return fail(400, { secondFactorError: 'error.badForm' });
		const token = cookies.get(sessionCookie);
		if (!token) redirect(303, '/signin?reason=signin');
		const ctx = app();
		const result = await changeSecondFactor(ctx, staffActor(locals), token, {
			password: field(form, 'password'),
			code: field(form, 'code'),
			intent
		});
		if (!result.ok && result.ended) {
			// Too many wrong tries from this session: it has ended.
			clearSessionCookie(cookies, url, ctx.config);
			redirect(303, '/signin?reason=locked');
		}
		if (!result.ok) return fail(400, { secondFactorError: result.error });
		if (result.enrolNow) redirect(303, '/signin/enrol?next=/staff/account');
		return { secondFactorDone: 'secondFactor.account.removed' };
	}
};
