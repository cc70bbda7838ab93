import { fail } from '@sveltejs/kit';
import {
	maxConsentBytes,
	presets,
	type ConsentColumns,
	type PresetName
} from '$lib/domain/consent-import';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { field, readForm, readUploadedCsv } from '$lib/server/forms';
import { consentUses, importConsent } from '$lib/server/services/consent.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => ({
	uses: (await consentUses(app(), staffActor(locals).schoolId)).map((u) => ({
		id: u.id,
		name: u.name
	})),
	presets: Object.keys(presets)
});

/** The columns chosen on the mapping step, or null on the first step (they are guessed). */
function chosenColumns(form: FormData, useIds: string[]): ConsentColumns | null {
	if (field(form, 'mapped') !== 'yes') return null;
	const optional = (name: string) => field(form, name) || null;
	return {
		firstName: field(form, 'firstName'),
		lastName: field(form, 'lastName'),
		className: optional('className'),
		givenBy: optional('givenBy'),
		relationship: optional('relationship'),
		givenOn: optional('givenOn'),
		uses: Object.fromEntries(useIds.map((id) => [id, optional(`use:${id}`)]))
	};
}

async function run(request: Request, locals: App.Locals, commit: boolean) {
	const form = await readForm(request);
	if (!form) return fail(400, { error: 'error.badForm' });
	const source = await readUploadedCsv(form, maxConsentBytes, {
		tooBig: 'consentImport.error.tooBig',
		noFile: 'consentImport.error.noFile'
	});
	if ('error' in source) return fail(source.status, { error: source.error });
	const ctx = app();
	const actor = staffActor(locals);
	const uses = await consentUses(ctx, actor.schoolId);
	const preset = (
		Object.keys(presets).includes(field(form, 'preset')) ? field(form, 'preset') : 'generic'
	) as PresetName;
	const result = await importConsent(ctx, actor, {
		text: source.csv,
		columns: chosenColumns(
			form,
			uses.map((u) => u.id)
		),
		preset,
		commit
	});
	if (!result.ok) return fail(400, { csv: source.csv, preset, result });
	return { csv: source.csv, preset, result };
}

export const actions: Actions = {
	preview: async ({ request, locals }) => run(request, locals, false),
	commit: async ({ request, locals }) => run(request, locals, true)
};
