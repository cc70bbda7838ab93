import type { Db } from '../context';

export interface School {
	id: string;
	name: string;
}

export async function insertSchool(db: Db, school: School, now: Date): Promise<void> {
	await db
		.insertInto('school')
		.values({ id: school.id, name: school.name, created_at: now.toISOString() })
		.execute();
}

export async function getSchool(db: Db, schoolId: string): Promise<School | undefined> {
	return db
		.selectFrom('school')
		.select(['id', 'name'])
		.where('id', '=', schoolId)
		.executeTakeFirst();
}

export async function findSchoolByName(db: Db, name: string): Promise<School | undefined> {
	return db.selectFrom('school').select(['id', 'name']).where('name', '=', name).executeTakeFirst();
}

/** True once the first-run page has been used on this install. */
export async function firstRunDone(db: Db): Promise<boolean> {
	const row = await db.selectFrom('first_run').select('id').executeTakeFirst();
	return row !== undefined;
}

/** Claims the one first-run slot; a second claim fails on the primary key. */
export async function claimFirstRun(db: Db, schoolId: string, now: Date): Promise<void> {
	await db
		.insertInto('first_run')
		.values({ id: 'first-run', school_id: schoolId, created_at: now.toISOString() })
		.execute();
}
