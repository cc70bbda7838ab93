import { staffActor } from '$lib/server/access';
import { fail } from '@sveltejs/kit';
import { firstProblem, newStaffSchema } from '$lib/domain/staff';
import { app } from '$lib/server/app';
import { field, readForm } from '$lib/server/forms';
import { newPasswordLink, passwordLinkPath } from '$lib/server/services/password-link.service';
import {
	addStaff,
	setDisabled,
	setPupilContact,
	staffOfSchool,
	unlock
} from '$lib/server/services/staff.service';
import {
	resetSecondFactor,
	staffWithSecondFactor
} from '$lib/server/services/second-factor.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	staff: await staffOfSchool(app(), staffActor(locals)),
	// Who has a second factor set up, for the admin's "reset" button.
	withSecondFactor: await staffWithSecondFactor(app(), staffActor(locals))
});

async function staffIdFrom(request: Request): Promise<string | null> {
	const form = await readForm(request);
	const id = form ? field(form, 'staffId') : '';
	return id || null;
}

export const actions: Actions = {
	add: async ({ request, locals, url }) => {
		const form = await readForm(request);
		if (!form)
			return fail(400, { error: 'error.badForm', values: { name: '', email: '', role: '' } });
		const values = {
			name: field(form, 'name'),
			email: field(form, 'email'),
			role: field(form, 'role')
		};
		const parsed = newStaffSchema.safeParse(values);
		if (!parsed.success) return fail(400, { error: firstProblem(parsed.error), values });
		const result = await addStaff(app(), staffActor(locals), parsed.data);
		if (!result.ok) return fail(409, { error: result.error, values });
		return {
			done: parsed.data.role === 'dsl' ? 'accountApproval.addedWaiting' : 'staff.added',
			// Shown once, to pass on: only a hash of it is kept.
			link: { name: parsed.data.name, url: `${url.origin}${passwordLinkPath(result.token)}` }
		};
	},
	passwordLink: async ({ request, locals, url }) => {
		const form = await readForm(request);
		const id = form ? field(form, 'staffId') : '';
		if (!id) return fail(400, { error: 'error.badForm' });
		const actor = staffActor(locals);
		const ctx = app();
		const result = await newPasswordLink(ctx, actor, id);
		if (!result.ok) return fail(400, { error: result.error });
		const name = (await staffOfSchool(ctx, actor)).find((s) => s.id === id)?.name ?? '';
		return {
			done: 'password.link.made',
			link: { name, url: `${url.origin}${passwordLinkPath(result.token)}` }
		};
	},
	disable: async ({ request, locals }) => {
		const id = await staffIdFrom(request);
		if (!id) return fail(400, { error: 'error.badForm' });
		const result = await setDisabled(app(), staffActor(locals), id, true);
		return result.ok ? { done: 'staff.disabled' } : fail(400, { error: result.error });
	},
	enable: async ({ request, locals }) => {
		const id = await staffIdFrom(request);
		if (!id) return fail(400, { error: 'error.badForm' });
		const result = await setDisabled(app(), staffActor(locals), id, false);
		return result.ok ? { done: 'staff.enabled' } : fail(400, { error: result.error });
	},
	unlock: async ({ request, locals }) => {
		const id = await staffIdFrom(request);
		if (!id) return fail(400, { error: 'error.badForm' });
		const result = await unlock(app(), staffActor(locals), id);
		return result.ok ? { done: 'staff.unlocked' } : fail(400, { error: result.error });
	},
	pupilContact: async ({ request, locals }) => {
		const form = await readForm(request);
		const id = form ? field(form, 'staffId') : '';
		const on = form ? field(form, 'on') : '';
		if (!id || (on !== 'yes' && on !== 'no')) return fail(400, { error: 'error.badForm' });
		const result = await setPupilContact(app(), staffActor(locals), id, on === 'yes');
		return result.ok ? { done: 'staff.contactChanged' } : fail(400, { error: result.error });
	},
	resetSecondFactor: async ({ request, locals }) => {
		const id = await staffIdFrom(request);
		if (!id) return fail(400, { error: 'error.badForm' });
		const result = await resetSecondFactor(app(), staffActor(locals), id);
		return result.ok
			? { done: 'secondFactor.people.resetDone' }
			: fail(400, { error: result.error });
	}
};
