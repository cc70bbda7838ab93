import type { KeyStage } from '$lib/domain/key-stage';
import type { Db } from '../context';

export interface ClassRecord {
	id: string;
	name: string;
	yearGroup: number;
	keyStage: KeyStage;
	pupilCount: number;
}

export interface NewClass {
	id: string;
	name: string;
	yearGroup: number;
	keyStage: KeyStage;
}

export async function insertClass(db: Db, schoolId: string, c: NewClass, now: Date): Promise<void> {
	await db
		.insertInto('class')
		.values({
			id: c.id,
			school_id: schoolId,
			name: c.name,
			year_group: c.yearGroup,
			key_stage: c.keyStage,
			archived_at: null,
			signed_out_at: null,
			picture_passwords: null,
			created_at: now.toISOString()
		})
		.execute();
}

/** Classes of a school, or only those in `onlyIds` when given (a teacher's own). */
export async function listClasses(
	db: Db,
	schoolId: string,
	onlyIds?: readonly string[]
): Promise<ClassRecord[]> {
	if (onlyIds && onlyIds.length === 0) return [];
	let query = db
		.selectFrom('class')
		.leftJoin('pupil', (join) =>
			join
				.onRef('pupil.class_id', '=', 'class.id')
				.on('pupil.school_id', '=', schoolId)
				.on('pupil.archived_at', 'is', null)
		)
		.select((eb) => [
			'class.id',
			'class.name',
			'class.year_group',
			'class.key_stage',
			eb.fn.count('pupil.id').as('pupil_count')
		])
		.where('class.school_id', '=', schoolId)
		.where('class.archived_at', 'is', null)
		.groupBy(['class.id', 'class.name', 'class.year_group', 'class.key_stage'])
		.orderBy('class.year_group')
		.orderBy('class.name');
	if (onlyIds) query = query.where('class.id', 'in', onlyIds);
	const rows = await query.execute();
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		yearGroup: Number(r.year_group),
		keyStage: r.key_stage,
		pupilCount: Number(r.pupil_count)
	}));
}

export async function getClass(
	db: Db,
	schoolId: string,
	classId: string
): Promise<Omit<ClassRecord, 'pupilCount'> | undefined> {
	const row = await db
		.selectFrom('class')
		.select(['id', 'name', 'year_group', 'key_stage'])
		.where('school_id', '=', schoolId)
		.where('id', '=', classId)
		.where('archived_at', 'is', null)
		.executeTakeFirst();
	return (
		row && {
			id: row.id,
			name: row.name,
			yearGroup: Number(row.year_group),
			keyStage: row.key_stage
		}
	);
}

export async function classNameTaken(db: Db, schoolId: string, name: string): Promise<boolean> {
	const row = await db
		.selectFrom('class')
		.select('id')
		.where('school_id', '=', schoolId)
		.where('archived_at', 'is', null)
		.where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
		.executeTakeFirst();
	return row !== undefined;
}

export interface Assignment {
	staffId: string;
	name: string;
	role: string;
	coverFrom: string | null;
	coverUntil: string | null;
	/** Waiting for the DSL's approval: no sight of the class yet. */
	pending: boolean;
}

export async function listAssignments(
	db: Db,
	schoolId: string,
	classId: string
): Promise<Assignment[]> {
	const rows = await db
		.selectFrom('class_staff')
		.innerJoin('staff', 'staff.id', 'class_staff.staff_id')
		.select([
			'staff.id',
			'staff.name',
			'staff.role',
			'class_staff.cover_from',
			'class_staff.cover_until',
			'class_staff.pending_approval'
		])
		.where('class_staff.school_id', '=', schoolId)
		.where('staff.school_id', '=', schoolId)
		.where('class_staff.class_id', '=', classId)
		.orderBy('staff.name')
		.execute();
	return rows.map((r) => ({
		staffId: r.id,
		name: r.name,
		role: r.role,
		coverFrom: r.cover_from,
		coverUntil: r.cover_until,
		pending: r.pending_approval === 'yes'
	}));
}

export async function assignStaff(
	db: Db,
	schoolId: string,
	classId: string,
	staffId: string,
	cover: { from: string; until: string } | null,
	options: { pending: boolean } = { pending: false }
): Promise<void> {
	// A new assignment may wait for approval; changing the cover dates of one keeps its approval.
	const values = {
		class_id: classId,
		staff_id: staffId,
		school_id: schoolId,
		cover_from: cover?.from ?? null,
		cover_until: cover?.until ?? null,
		pending_approval: options.pending ? ('yes' as const) : null
	};
	await db
		.insertInto('class_staff')
		.values(values)
		.onConflict((oc) =>
			oc.columns(['class_id', 'staff_id']).doUpdateSet({
				cover_from: values.cover_from,
				cover_until: values.cover_until
			})
		)
		.execute();
}

export async function unassignStaff(
	db: Db,
	schoolId: string,
	classId: string,
	staffId: string
): Promise<void> {
	await db
		.deleteFrom('class_staff')
		.where('school_id', '=', schoolId)
		.where('class_id', '=', classId)
		.where('staff_id', '=', staffId)
		.execute();
}

export async function findAssignment(
	db: Db,
	schoolId: string,
	classId: string,
	staffId: string
): Promise<{ pending: boolean } | undefined> {
	const row = await db
		.selectFrom('class_staff')
		.select('pending_approval')
		.where('school_id', '=', schoolId)
		.where('class_id', '=', classId)
		.where('staff_id', '=', staffId)
		.executeTakeFirst();
	return row && { pending: row.pending_approval === 'yes' };
}

/** The DSL approved a waiting assignment. True when there was one waiting. */
export async function approveAssignment(
	db: Db,
	schoolId: string,
	classId: string,
	staffId: string
): Promise<boolean> {
	const result = await db
		.updateTable('class_staff')
		.set({ pending_approval: null })
		.where('school_id', '=', schoolId)
		.where('class_id', '=', classId)
		.where('staff_id', '=', staffId)
		.where('pending_approval', '=', 'yes')
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** The DSL refused a waiting assignment: it is taken away. True when there was one waiting. */
export async function removePendingAssignment(
	db: Db,
	schoolId: string,
	classId: string,
	staffId: string
): Promise<boolean> {
	const result = await db
		.deleteFrom('class_staff')
		.where('school_id', '=', schoolId)
		.where('class_id', '=', classId)
		.where('staff_id', '=', staffId)
		.where('pending_approval', '=', 'yes')
		.executeTakeFirst();
	return Number(result.numDeletedRows) === 1;
}

/** The classes someone teaches, counting a cover period only while it runs. */
export async function classIdsForStaff(
	db: Db,
	schoolId: string,
	staffId: string,
	now: Date
): Promise<string[]> {
	const at = now.toISOString();
	const rows = await db
		.selectFrom('class_staff')
		.select('class_id')
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		// An assignment the DSL has not approved gives no sight of the class.
		.where('pending_approval', 'is', null)
		.where((eb) =>
			eb.or([
				eb('cover_from', 'is', null),
				eb.and([eb('cover_from', '<=', at), eb('cover_until', '>', at)])
			])
		)
		.execute();
	return rows.map((r) => r.class_id);
}

/** "Sign everyone out": devices sign out any pupil of the class signed in before this time. */
export async function markClassSignedOut(
	db: Db,
	schoolId: string,
	classId: string,
	now: Date
): Promise<void> {
	await db
		.updateTable('class')
		.set({ signed_out_at: now.toISOString() })
		.where('school_id', '=', schoolId)
		.where('id', '=', classId)
		.execute();
}

export async function classSignOutTimes(
	db: Db,
	schoolId: string,
	classIds: readonly string[]
): Promise<Map<string, string | null>> {
	if (classIds.length === 0) return new Map();
	const rows = await db
		.selectFrom('class')
		.select(['id', 'signed_out_at'])
		.where('school_id', '=', schoolId)
		.where('id', 'in', classIds)
		.execute();
	return new Map(rows.map((r) => [r.id, r.signed_out_at]));
}

/**
 * Puts every approved class assignment of this person back to waiting for a DSL's approval
 * (after someone else reset their password or second factor). Returns the classes held.
 */
export async function holdAssignmentsForApproval(
	db: Db,
	schoolId: string,
	staffId: string
): Promise<{ classId: string; className: string }[]> {
	const held = await db
		.selectFrom('class_staff')
		.innerJoin('class', 'class.id', 'class_staff.class_id')
		.select(['class.id', 'class.name'])
		.where('class_staff.school_id', '=', schoolId)
		.where('class.school_id', '=', schoolId)
		.where('class_staff.staff_id', '=', staffId)
		.where('class_staff.pending_approval', 'is', null)
		.orderBy('class.name')
		.execute();
	if (held.length === 0) return [];
	await db
		.updateTable('class_staff')
		.set({ pending_approval: 'yes' })
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.where('pending_approval', 'is', null)
		.execute();
	return held.map((r) => ({ classId: r.id, className: r.name }));
}

/** PostgreSQL only: holds the class's row until the transaction ends. */
export async function lockClass(db: Db, schoolId: string, id: string): Promise<void> {
	await db
		.selectFrom('class')
		.select('id')
		.where('school_id', '=', schoolId)
		.where('id', '=', id)
		.forUpdate()
		.execute();
}
