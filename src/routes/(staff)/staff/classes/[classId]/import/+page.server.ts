import { staffActor } from '$lib/server/access';
import { error, fail } from '@sveltejs/kit';
import { maxRosterBytes } from '$lib/domain/roster-import';
import { app } from '$lib/server/app';
import { field, readForm, readUploadedCsv } from '$lib/server/forms';
import { parseRosterCsv, previewRoster } from '$lib/server/roster-csv';
import { addPupils, classDetail } from '$lib/server/services/class.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const detail = await classDetail(app(), staffActor(locals), params.classId);
	if (!detail) error(404, 'No such class');
	return { classInfo: { id: detail.id, name: detail.name, pupilCount: detail.pupils.length } };
};

async function prepare(request: Request) {
	const form = await readForm(request);
	if (!form) return { failure: fail(400, { error: 'error.badForm' }) };
	const source = await readUploadedCsv(form, maxRosterBytes, {
		tooBig: 'import.error.tooBig',
		noFile: 'import.error.noFile'
	});
	if ('error' in source) return { failure: fail(source.status, { error: source.error }) };
	const parsed = parseRosterCsv(source.csv);
	if (!parsed.ok) return { failure: fail(400, { error: parsed.error }) };
	const preview = previewRoster(parsed, {
		firstName: field(form, 'firstNameColumn'),
		lastName: field(form, 'lastNameColumn')
	});
	return { csv: source.csv, preview };
}

export const actions: Actions = {
	preview: async ({ request }) => {
		const prepared = await prepare(request);
		if ('failure' in prepared) return prepared.failure;
		return { step: 'preview' as const, csv: prepared.csv, preview: prepared.preview };
	},
	commit: async ({ request, locals, params }) => {
		const prepared = await prepare(request);
		if ('failure' in prepared) return prepared.failure;
		const { csv, preview } = prepared;
		if (!preview.ready) {
			// All or nothing: one bad row and not a single pupil is added.
			return fail(400, { step: 'preview' as const, csv, preview, error: 'import.error.fixRows' });
		}
		const pupils = preview.pupils.map(({ firstName, lastInitial }) => ({ firstName, lastInitial }));
		const result = await addPupils(app(), staffActor(locals), params.classId, pupils, 'import');
		if (!result.ok) return fail(404, { error: result.error });
		return { step: 'done' as const, imported: result.added };
	}
};
