import type { Db } from '../context';

export interface PictureHashRow {
	pupilId: string;
	salt: string;
	hash: string;
	iterations: number;
	setAt: string;
	unlockedAt: string | null;
	lockedAt: string | null;
}

export async function classUsesPictures(
	db: Db,
	schoolId: string,
	classId: string
): Promise<boolean> {
	const row = await db
		.selectFrom('class')
		.select('picture_passwords')
		.where('school_id', '=', schoolId)
		.where('id', '=', classId)
		.executeTakeFirst();
	return row?.picture_passwords === 'on';
}

export async function setClassUsesPictures(
	db: Db,
	schoolId: string,
	classId: string,
	on: boolean
): Promise<void> {
	await db
		.updateTable('class')
		.set({ picture_passwords: on ? 'on' : null })
		.where('school_id', '=', schoolId)
		.where('id', '=', classId)
		.execute();
}

/** Of these classes, the ones that use picture passwords. */
export async function classesUsingPictures(
	db: Db,
	schoolId: string,
	classIds: readonly string[]
): Promise<Set<string>> {
	if (classIds.length === 0) return new Set();
	const rows = await db
		.selectFrom('class')
		.select(['id', 'picture_passwords'])
		.where('school_id', '=', schoolId)
		.where('id', 'in', classIds)
		.execute();
	return new Set(rows.filter((r) => r.picture_passwords === 'on').map((r) => r.id));
}

/** Picture-password hashes of the (current) pupils of these classes. */
export async function pictureHashesOfClasses(
	db: Db,
	schoolId: string,
	classIds: readonly string[]
): Promise<PictureHashRow[]> {
	if (classIds.length === 0) return [];
	const rows = await db
		.selectFrom('picture_password')
		.innerJoin('pupil', 'pupil.id', 'picture_password.pupil_id')
		.select([
			'picture_password.pupil_id',
			'picture_password.salt',
			'picture_password.hash',
			'picture_password.iterations',
			'picture_password.set_at',
			'picture_password.unlocked_at',
			'picture_password.locked_at'
		])
		.where('picture_password.school_id', '=', schoolId)
		.where('pupil.class_id', 'in', classIds)
		.where('pupil.archived_at', 'is', null)
		.execute();
	return rows.map((r) => ({
		pupilId: r.pupil_id,
		salt: r.salt,
		hash: r.hash,
		iterations: Number(r.iterations),
		setAt: r.set_at,
		unlockedAt: r.unlocked_at,
		lockedAt: r.locked_at
	}));
}

/** One pupil's picture-password hash, if they have one. */
export async function pictureHashOf(
	db: Db,
	schoolId: string,
	pupilId: string
): Promise<PictureHashRow | undefined> {
	const r = await db
		.selectFrom('picture_password')
		.select(['pupil_id', 'salt', 'hash', 'iterations', 'set_at', 'unlocked_at', 'locked_at'])
		.where('school_id', '=', schoolId)
		.where('pupil_id', '=', pupilId)
		.executeTakeFirst();
	return (
		r && {
			pupilId: r.pupil_id,
			salt: r.salt,
			hash: r.hash,
			iterations: Number(r.iterations),
			setAt: r.set_at,
			unlockedAt: r.unlocked_at,
			lockedAt: r.locked_at
		}
	);
}

export async function savePictureHash(
	db: Db,
	schoolId: string,
	row: PictureHashRow
): Promise<void> {
	const values = {
		pupil_id: row.pupilId,
		school_id: schoolId,
		salt: row.salt,
		hash: row.hash,
		iterations: row.iterations,
		set_at: row.setAt,
		unlocked_at: row.unlockedAt,
		locked_at: row.lockedAt
	};
	await db
		.insertInto('picture_password')
		.values(values)
		.onConflict((oc) =>
			oc.column('pupil_id').doUpdateSet({
				salt: values.salt,
				hash: values.hash,
				iterations: values.iterations,
				set_at: values.set_at,
				unlocked_at: values.unlocked_at,
				locked_at: values.locked_at
			})
		)
		.execute();
}

export async function markPicturesUnlocked(
	db: Db,
	schoolId: string,
	pupilId: string,
	now: Date
): Promise<void> {
	await db
		.updateTable('picture_password')
		.set({ unlocked_at: now.toISOString() })
		.where('school_id', '=', schoolId)
		.where('pupil_id', '=', pupilId)
		.execute();
}

/** A device reported five wrong tries: lock it for every iPad, unless a teacher unlocked since. */
export async function markPicturesLocked(
	db: Db,
	schoolId: string,
	pupilId: string,
	at: string
): Promise<void> {
	await db
		.updateTable('picture_password')
		.set({ locked_at: at })
		.where('school_id', '=', schoolId)
		.where('pupil_id', '=', pupilId)
		.where((eb) => eb.or([eb('unlocked_at', 'is', null), eb('unlocked_at', '<', at)]))
		.execute();
}
