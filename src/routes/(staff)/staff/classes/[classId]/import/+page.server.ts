import { staffActor } from '$lib/server/access';
import { error, fail } from '@sveltejs/kit';
import { maxRosterBytes, type ColumnMapping } from '$lib/domain/roster-import';
import { app } from '$lib/server/app';
import { field, readForm, readUploadedCsv } from '$lib/server/forms';
import { classDetail } from '$lib/server/services/class.service';
import {
	importClassList,
	previewClassImport,
	type RosterUpload
} from '$lib/server/services/roster-import.service';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const detail = await classDetail(app(), staffActor(locals), params.classId);
	if (!detail) error(404, 'No such class');
	return { classInfo: { id: detail.id, name: detail.name, pupilCount: detail.pupils.length } };
};

type Prepared =
	{ failure: { status: number; error: string } } | { upload: RosterUpload; chosen: ColumnMapping };

async function prepare(request: Request): Promise<Prepared> {
	const form = await readForm(request);
	if (!form) return { failure: { status: 400, error: 'error.badForm' } };
	const source = await readUploadedCsv(form, maxRosterBytes, {
		tooBig: 'import.error.tooBig',
		noFile: 'import.error.noFile'
	});
	if ('error' in source) return { failure: { status: source.status, error: source.error } };
	return {
		upload: { csv: source.csv, encoding: source.encoding },
		chosen: {
			firstName: field(form, 'firstNameColumn'),
			lastName: field(form, 'lastNameColumn'),
			preferredFirstName: field(form, 'preferredFirstNameColumn'),
			wholeName: field(form, 'wholeNameColumn')
		}
	};
}

export const actions: Actions = {
	preview: async ({ request, locals, params }) => {
		const prepared = await prepare(request);
		if ('failure' in prepared)
			return fail(prepared.failure.status, { error: prepared.failure.error });
		const { upload, chosen } = prepared;
		const result = await previewClassImport(
			app(),
			staffActor(locals),
			params.classId,
			upload,
			chosen
		);
		if (!result.ok)
			return fail(result.status, { error: result.error, fileProblems: result.problems });
		return { step: 'preview' as const, ...upload, preview: result.preview };
	},
	commit: async ({ request, locals, params }) => {
		const prepared = await prepare(request);
		if ('failure' in prepared)
			return fail(prepared.failure.status, { error: prepared.failure.error });
		const { upload, chosen } = prepared;
		// All or nothing: one bad row and not a single pupil is added; nobody already here is.
		const result = await importClassList(app(), staffActor(locals), params.classId, upload, chosen);
		if (!result.ok) {
			return fail(result.status, {
				step: 'preview' as const,
				...upload,
				preview: result.preview,
				error: result.error,
				fileProblems: result.problems
			});
		}
		return { step: 'done' as const, imported: result.added, alreadyHere: result.alreadyHere };
	}
};
