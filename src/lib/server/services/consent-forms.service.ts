import { randomUUID } from 'node:crypto';
import {
	answersInForce,
	consentExportCsv,
	type Answer,
	type ExportPupil
} from '$lib/domain/consent-export';
import { checkPaperForm, formDecision, type PaperFormInput } from '$lib/domain/consent-form';
import type { Translate } from '$lib/domain/report-words';
import { canAct, canUseClass } from '$lib/domain/roles';
import type { AppContext, StaffActor } from '../context';
import { getClass } from '../repositories/class.repository';
import {
	insertConsentRecords,
	noPhotosOf,
	recordsOfPupils,
	type NewConsentRecord
} from '../repositories/consent.repository';
import { getPupil } from '../repositories/pupil.repository';
import { audited } from './audited';
import { classesFor } from './class.service';
import { consentOverview, consentUses, schoolToday, type ConsentOverview } from './consent.service';

/**
 * A whole consent form in one save, and the consent overview with who answered and when (on
 * screen, printed, and as CSV). The verdicts come from `consentOverview` (so from
 * `consentCell`), whatever rules decide them.
 */

export type FormOutcome =
	{ ok: true; recorded: number } | { ok: false; error: string; field: string };

/**
 * Records one parent's or carer's form: every use answered yes or no, with one name, one date,
 * one source and one validity. All or nothing, in one transaction with one audit entry that
 * says which uses and what was decided (never a name or other free text).
 */
export async function recordConsentForm(
	ctx: AppContext,
	actor: StaffActor,
	pupilId: string,
	input: PaperFormInput
): Promise<FormOutcome> {
	const pupil = await getPupil(ctx.db, actor.schoolId, pupilId);
	if (!pupil || pupil.archived || !canUseClass(actor, pupil.classId))
		return { ok: false, error: 'consent.error.pupil', field: 'pupil' };
	const uses = await consentUses(ctx, actor.schoolId);
	const checked = checkPaperForm(
		input,
		uses.map((u) => u.id),
		schoolToday(ctx)
	);
	if (!checked.ok) return { ok: false, error: checked.error, field: checked.field };
	const form = checked.form;
	const earlier = await recordsOfPupils(ctx.db, actor.schoolId, [pupilId]);
	const now = ctx.clock.now().toISOString();
	const records: NewConsentRecord[] = form.answers.map(({ useId, answer }) => ({
		id: randomUUID(),
		pupilId,
		useId,
		decision: formDecision(
			answer,
			earlier.filter((r) => r.useId === useId),
			form.givenBy
		),
		givenBy: form.givenBy,
		relationship: form.relationship,
		givenOn: form.givenOn,
		validFrom: form.validFrom,
		validUntil: form.validUntil,
		source: form.source,
		recordedBy: actor.staffId,
		recordedAt: now,
		importId: null
	}));
	await audited(
		ctx,
		actor,
		{
			action: 'consent.form-recorded',
			subjectType: 'pupil',
			subjectId: pupilId,
			detail: {
				source: form.source,
				answers: records.map((r) => ({ useId: r.useId, decision: r.decision }))
			}
		},
		(trx) => insertConsentRecords(trx, actor.schoolId, records)
	);
	return { ok: true, recorded: records.length };
}

export interface ConsentSheet extends ConsentOverview {
	/** Pupil id → use id → the answers today's verdict was made from (objections first). */
	answers: Record<string, Record<string, Answer[]>>;
}

const answerOf = (r: Answer): Answer => ({
	decision: r.decision,
	givenBy: r.givenBy,
	relationship: r.relationship,
	givenOn: r.givenOn,
	validUntil: r.validUntil
});

/** The class's overview, with who answered each use and when. */
export async function consentSheet(
	ctx: AppContext,
	actor: StaffActor,
	classId: string
): Promise<ConsentSheet | null> {
	const overview = await consentOverview(ctx, actor, classId);
	if (!overview) return null;
	const records = await recordsOfPupils(
		ctx.db,
		actor.schoolId,
		overview.pupils.map((p) => p.id)
	);
	return {
		...overview,
		answers: Object.fromEntries(
			overview.pupils.map((p) => {
				const mine = records.filter((r) => r.pupilId === p.id);
				return [
					p.id,
					Object.fromEntries(
						overview.uses.map((u) => [
							u.id,
							answersInForce(mine, u.id, overview.today).map(answerOf)
						])
					)
				];
			})
		)
	};
}

export type ExportOutcome =
	{ ok: true; csv: string; filename: string } | { ok: false; status: 403 | 404 };

const fileSafe = (name: string) =>
	name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'class';

/**
 * The overview as CSV: one class, or (no class) every class this person may see. The
 * no-photos reason is in it only for those who may see it; every download is audited.
 */
export async function consentExport(
	ctx: AppContext,
	actor: StaffActor,
	classId: string | null,
	t: Translate
): Promise<ExportOutcome> {
	let classIds: string[];
	if (classId !== null) {
		if (!canUseClass(actor, classId)) return { ok: false, status: 403 };
		if (!(await getClass(ctx.db, actor.schoolId, classId))) return { ok: false, status: 404 };
		classIds = [classId];
	} else {
		classIds = (await classesFor(ctx, actor)).map((c) => c.id);
	}
	const showReasons = canAct(actor, 'consent.reason');
	const overviews = (
		await Promise.all(classIds.map((id) => consentOverview(ctx, actor, id)))
	).filter((o): o is ConsentOverview => o !== null);
	const ids = overviews.flatMap((o) => o.pupils.map((p) => p.id));
	const [records, noPhotos] = await Promise.all([
		recordsOfPupils(ctx.db, actor.schoolId, ids),
		noPhotosOf(ctx.db, actor.schoolId, ids)
	]);
	const today = schoolToday(ctx);
	const uses = overviews[0]?.uses ?? (await consentUses(ctx, actor.schoolId));
	const pupils: ExportPupil[] = overviews.flatMap((o) =>
		o.pupils.map((p) => ({
			className: o.className,
			name: p.name,
			noPhotos: p.noPhotos,
			// Only the DSL and the admin ever see why.
			noPhotosReason: showReasons && p.noPhotos ? (noPhotos.get(p.id)?.reason ?? null) : null,
			cells: p.cells,
			records: records.filter((r) => r.pupilId === p.id)
		}))
	);
	const csv = consentExportCsv({ uses, pupils, showReasons, today }, t);
	await audited(
		ctx,
		actor,
		{
			action: 'consent.exported',
			subjectType: classId ? 'class' : 'school',
			subjectId: classId,
			detail: {
				classIds: overviews.map((o) => o.classId),
				pupils: pupils.length,
				uses: uses.length,
				withReasons: showReasons
			}
		},
		() => Promise.resolve()
	);
	const which = classId ? fileSafe(overviews[0]?.className ?? 'class') : 'all-classes';
	return { ok: true, csv, filename: `lantern-consent-${which}-${today}.csv` };
}
