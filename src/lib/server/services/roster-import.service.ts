import type {
	ColumnMapping,
	FileEncoding,
	RosterPreview,
	RowProblem
} from '$lib/domain/roster-import';
import type { AppContext, StaffActor } from '../context';
import { previewRoster, readRosterCsv } from '../roster-csv';
import { addPupils, classDetail } from './class.service';

export interface RosterUpload {
	csv: string;
	encoding: FileEncoding;
}

export type RosterPreviewResult =
	| { ok: true; preview: RosterPreview }
	| { ok: false; status: number; error: string; problems: RowProblem[] };

/** What importing this file into the class would do, against the class as it is now. */
export async function previewClassImport(
	ctx: AppContext,
	actor: StaffActor,
	classId: string,
	upload: RosterUpload,
	chosen: ColumnMapping
): Promise<RosterPreviewResult> {
	const detail = await classDetail(ctx, actor, classId);
	if (!detail) return { ok: false, status: 404, error: 'class.error.notFound', problems: [] };
	const file = readRosterCsv(upload.csv);
	if (!file.ok) return { ok: false, status: 400, error: file.error, problems: file.problems };
	return { ok: true, preview: previewRoster(file, chosen, detail.pupils, upload.encoding) };
}

export type RosterImportResult =
	| { ok: true; added: number; alreadyHere: number }
	| {
			ok: false;
			status: number;
			error: string;
			problems: RowProblem[];
			preview?: RosterPreview;
	  };

/**
 * Imports the file into the class, all or nothing: the preview is worked out again against
 * the class as it is, and only a ready one adds its new pupils (never one already here).
 */
export async function importClassList(
	ctx: AppContext,
	actor: StaffActor,
	classId: string,
	upload: RosterUpload,
	chosen: ColumnMapping
): Promise<RosterImportResult> {
	const previewed = await previewClassImport(ctx, actor, classId, upload, chosen);
	if (!previewed.ok) return previewed;
	const { preview } = previewed;
	if (!preview.ready) {
		const error = preview.problems.length > 0 ? 'import.error.fixRows' : 'import.error.nothingNew';
		return { ok: false, status: 400, error, problems: [], preview };
	}
	const pupils = preview.pupils.map(({ firstName, lastInitial }) => ({ firstName, lastInitial }));
	const added = await addPupils(ctx, actor, classId, pupils, 'import');
	if (!added.ok) {
		const again = await previewClassImport(ctx, actor, classId, upload, chosen);
		return {
			ok: false,
			status: added.error === 'class.error.notFound' ? 404 : 409,
			error: added.error,
			problems: [],
			preview: again.ok ? again.preview : undefined
		};
	}
	return { ok: true, added: added.added, alreadyHere: preview.alreadyHere.length };
}
