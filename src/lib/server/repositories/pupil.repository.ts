import type { Db } from '../context';

export interface PupilRecord {
	id: string;
	classId: string;
	firstName: string;
	lastInitial: string;
	yearGroup: number;
	avatar: string;
}

export interface NewPupilRow {
	id: string;
	classId: string;
	firstName: string;
	lastInitial: string;
	yearGroup: number;
	avatar: string;
}

export async function insertPupils(
	db: Db,
	schoolId: string,
	pupils: readonly NewPupilRow[],
	now: Date
): Promise<void> {
	if (pupils.length === 0) return;
	const at = now.toISOString();
	await db
		.insertInto('pupil')
		.values(
			pupils.map((p) => ({
				id: p.id,
				school_id: schoolId,
				class_id: p.classId,
				first_name: p.firstName,
				last_initial: p.lastInitial,
				year_group: p.yearGroup,
				avatar: p.avatar,
				archived_at: null,
				created_at: at
			}))
		)
		.execute();
}

export async function listPupilsOfClass(
	db: Db,
	schoolId: string,
	classId: string
): Promise<PupilRecord[]> {
	const rows = await db
		.selectFrom('pupil')
		.select(['id', 'class_id', 'first_name', 'last_initial', 'year_group', 'avatar'])
		.where('school_id', '=', schoolId)
		.where('class_id', '=', classId)
		.where('archived_at', 'is', null)
		.orderBy('first_name')
		.orderBy('last_initial')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		classId: r.class_id,
		firstName: r.first_name,
		lastInitial: r.last_initial,
		yearGroup: Number(r.year_group),
		avatar: r.avatar
	}));
}

/** Leavers are archived, never deleted: their records stay for the school's retention rules. */
export async function archivePupil(
	db: Db,
	schoolId: string,
	classId: string,
	pupilId: string,
	now: Date
): Promise<boolean> {
	const result = await db
		.updateTable('pupil')
		.set({ archived_at: now.toISOString() })
		.where('school_id', '=', schoolId)
		.where('class_id', '=', classId)
		.where('id', '=', pupilId)
		.where('archived_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export async function countArchivedPupils(
	db: Db,
	schoolId: string,
	classId: string
): Promise<number> {
	const row = await db
		.selectFrom('pupil')
		.select((eb) => eb.fn.countAll().as('n'))
		.where('school_id', '=', schoolId)
		.where('class_id', '=', classId)
		.where('archived_at', 'is not', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function getPupil(
	db: Db,
	schoolId: string,
	pupilId: string
): Promise<(PupilRecord & { archived: boolean }) | undefined> {
	const row = await db
		.selectFrom('pupil')
		.select(['id', 'class_id', 'first_name', 'last_initial', 'year_group', 'avatar', 'archived_at'])
		.where('school_id', '=', schoolId)
		.where('id', '=', pupilId)
		.executeTakeFirst();
	return (
		row && {
			id: row.id,
			classId: row.class_id,
			firstName: row.first_name,
			lastInitial: row.last_initial,
			yearGroup: Number(row.year_group),
			avatar: row.avatar,
			// Leavers are archived, never deleted: a pupil found here may have left.
			archived: row.archived_at !== null
		}
	);
}

/** "Ada L." for each of these pupils of the school, by id. */
export async function pupilNames(
	db: Db,
	schoolId: string,
	pupilIds: readonly string[]
): Promise<Map<string, string>> {
	if (pupilIds.length === 0) return new Map();
	const rows = await db
		.selectFrom('pupil')
		.select(['id', 'first_name', 'last_initial'])
		.where('school_id', '=', schoolId)
		.where('id', 'in', pupilIds)
		.execute();
	return new Map(rows.map((r) => [r.id, `${r.first_name} ${r.last_initial}.`]));
}
