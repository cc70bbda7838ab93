import { assignAvatars } from '$lib/domain/avatars';
import { keyStageFor } from '$lib/domain/key-stage';
import type { NewPupil } from '$lib/domain/pupil';
import { clashesWithClass } from '$lib/domain/roster-import';
import { canUseClass, seesAllClasses } from '$lib/domain/roles';
import type { AppContext, StaffActor } from '../context';
import { appendAudit } from '../repositories/audit.repository';
import { audited } from './audited';
import { newId } from '../ids';
import {
	assignStaff,
	classNameTaken,
	findAssignment,
	getClass,
	insertClass,
	listAssignments,
	listClasses,
	lockClass,
	unassignStaff,
	type Assignment,
	type ClassRecord
} from '../repositories/class.repository';
import {
	archivePupil,
	insertPupils,
	listPupilsOfClass,
	type PupilRecord
} from '../repositories/pupil.repository';
import { getStaff } from '../repositories/staff.repository';
import { tellDsl } from '../repositories/dsl-notice.repository';

export type Change<T = object> = ({ ok: true } & T) | { ok: false; error: string };

export async function classesFor(ctx: AppContext, actor: StaffActor): Promise<ClassRecord[]> {
	return listClasses(ctx.db, actor.schoolId, seesAllClasses(actor) ? undefined : actor.classIds);
}

export async function addClass(
	ctx: AppContext,
	actor: StaffActor,
	input: { name: string; yearGroup: number }
): Promise<Change<{ classId: string }>> {
	if (await classNameTaken(ctx.db, actor.schoolId, input.name))
		return { ok: false, error: 'class.error.nameTaken' };
	const now = ctx.clock.now();
	const id = newId();
	await audited(
		ctx,
		actor,
		{
			action: 'class.added',
			subjectType: 'class',
			subjectId: id
		},
		async (trx) => {
			await insertClass(
				trx,
				actor.schoolId,
				{
					id,
					name: input.name,
					yearGroup: input.yearGroup,
					keyStage: keyStageFor(input.yearGroup)
				},
				now
			);
		}
	);
	return { ok: true, classId: id };
}

export interface ClassDetail {
	id: string;
	name: string;
	yearGroup: number;
	keyStage: string;
	pupils: PupilRecord[];
	staff: Assignment[];
}

/** A class with its pupils, or undefined when it does not exist or is not this person's to see. */
export async function classDetail(
	ctx: AppContext,
	actor: StaffActor,
	classId: string
): Promise<ClassDetail | undefined> {
	if (!canUseClass(actor, classId)) return undefined;
	const found = await getClass(ctx.db, actor.schoolId, classId);
	if (!found) return undefined;
	const [pupils, staff] = await Promise.all([
		listPupilsOfClass(ctx.db, actor.schoolId, classId),
		listAssignments(ctx.db, actor.schoolId, classId)
	]);
	return { ...found, pupils, staff };
}

export async function assignTeacher(
	ctx: AppContext,
	actor: StaffActor,
	classId: string,
	staffId: string,
	cover: { from: string; until: string } | null
): Promise<Change> {
	const [found, staff] = await Promise.all([
		getClass(ctx.db, actor.schoolId, classId),
		getStaff(ctx.db, actor.schoolId, staffId)
	]);
	if (!found || !staff) return { ok: false, error: 'class.error.notFound' };
	if (staff.role !== 'teacher' && staff.role !== 'dsl')
		return { ok: false, error: 'class.error.notATeacher' };
	// A new assignment gives sight of the class's reports only once the DSL approves it;
	// new cover dates for an assignment already approved keep its approval.
	const existing = await findAssignment(ctx.db, actor.schoolId, classId, staffId);
	const pending = existing?.pending ?? true;
	const now = ctx.clock.now();
	await audited(
		ctx,
		actor,
		{
			action: 'class.staff-assigned',
			subjectType: 'class',
			subjectId: classId,
			detail: { staffId, cover, pendingApproval: pending }
		},
		async (trx) => {
			await assignStaff(trx, actor.schoolId, classId, staffId, cover, { pending });
			await tellDsl(trx, {
				schoolId: actor.schoolId,
				at: now,
				kind: pending ? 'approval-needed' : 'class-assigned',
				actorId: actor.staffId,
				staffId,
				detail: {
					classId,
					className: found.name,
					cover,
					...(pending ? { approve: 'class' } : {})
				}
			});
		}
	);
	return { ok: true };
}

export async function unassignTeacher(
	ctx: AppContext,
	actor: StaffActor,
	classId: string,
	staffId: string
): Promise<Change> {
	// Only someone who is assigned to this class can be taken off it; nothing else is audited.
	const found = await getClass(ctx.db, actor.schoolId, classId);
	if (!found) return { ok: false, error: 'class.error.notFound' };
	const assigned = await listAssignments(ctx.db, actor.schoolId, classId);
	if (!assigned.some((a) => a.staffId === staffId))
		return { ok: false, error: 'class.error.notFound' };
	await audited(
		ctx,
		actor,
		{
			action: 'class.staff-unassigned',
			subjectType: 'class',
			subjectId: classId,
			detail: { staffId }
		},
		async (trx) => {
			await unassignStaff(trx, actor.schoolId, classId, staffId);
		}
	);
	return { ok: true };
}

/** An import found the class changed since its preview: nothing was added. */
class ClassChanged extends Error {}

/**
 * Adds pupils to a class: one by hand or a whole imported list, in one transaction. An import
 * adds nobody who would show like a pupil already in the class (its preview has set those
 * aside as "already here"); if the class has changed since the preview, nothing is added.
 */
export async function addPupils(
	ctx: AppContext,
	actor: StaffActor,
	classId: string,
	pupils: readonly NewPupil[],
	source: 'hand' | 'import'
): Promise<Change<{ added: number }>> {
	if (!canUseClass(actor, classId)) return { ok: false, error: 'class.error.notFound' };
	const found = await getClass(ctx.db, actor.schoolId, classId);
	if (!found) return { ok: false, error: 'class.error.notFound' };
	const now = ctx.clock.now();
	try {
		await audited(
			ctx,
			actor,
			{
				action: source === 'import' ? 'pupil.imported' : 'pupil.added',
				subjectType: 'class',
				subjectId: classId,
				detail: { count: pupils.length }
			},
			async (trx) => {
				// Two imports at once must not both find the class without the pupils: on PostgreSQL
				// the class's row is held until this one ends (SQLite lets one writer in at a time).
				if (ctx.dialect === 'postgres') await lockClass(trx, actor.schoolId, classId);
				const existing = await listPupilsOfClass(trx, actor.schoolId, classId);
				if (source === 'import' && clashesWithClass(pupils, existing).length > 0) {
					throw new ClassChanged();
				}
				const pictures = assignAvatars(
					pupils.length,
					existing.map((p) => p.avatar)
				);
				const rows = pupils.map((p, i) => ({
					id: newId(),
					classId,
					firstName: p.firstName,
					lastInitial: p.lastInitial,
					yearGroup: found.yearGroup,
					avatar: pictures[i] ?? 'fox'
				}));
				await insertPupils(trx, actor.schoolId, rows, now);
			}
		);
	} catch (error) {
		if (error instanceof ClassChanged) return { ok: false, error: 'import.error.classChanged' };
		throw error;
	}
	return { ok: true, added: pupils.length };
}

export async function archivePupilOfClass(
	ctx: AppContext,
	actor: StaffActor,
	classId: string,
	pupilId: string
): Promise<Change> {
	if (!canUseClass(actor, classId)) return { ok: false, error: 'class.error.notFound' };
	const now = ctx.clock.now();
	return ctx.db.transaction().execute(async (trx) => {
		if (!(await archivePupil(trx, actor.schoolId, classId, pupilId, now))) {
			return { ok: false as const, error: 'pupil.error.notFound' };
		}
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action: 'pupil.archived',
			subjectType: 'pupil',
			subjectId: pupilId
		});
		return { ok: true as const };
	});
}
