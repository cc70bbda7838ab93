import type { Db } from '../context';

export interface NewAttempt {
	id: string;
	schoolId: string;
	deviceId: string;
	pupilId: string;
	classId: string;
	lessonId: string;
	version: string;
	lang: string;
	startedAt: string;
	completedAt: string;
	receivedAt: string;
	correct: number;
	total: number;
	bodyHash: string;
	answers: {
		questionId: string;
		strand: string;
		scored: boolean;
		firstTime: boolean;
		tries: number;
		given: string[];
	}[];
}

/** Stores an attempt and its answers; false when an attempt with this id is already there. */
export async function insertAttempt(db: Db, a: NewAttempt): Promise<boolean> {
	const inserted = await db
		.insertInto('lesson_attempt')
		.values({
			id: a.id,
			school_id: a.schoolId,
			device_id: a.deviceId,
			pupil_id: a.pupilId,
			class_id: a.classId,
			lesson_id: a.lessonId,
			lesson_version: a.version,
			lang: a.lang,
			started_at: a.startedAt,
			completed_at: a.completedAt,
			received_at: a.receivedAt,
			correct: a.correct,
			total: a.total,
			body_hash: a.bodyHash
		})
		.onConflict((oc) => oc.column('id').doNothing())
		.executeTakeFirst();
	if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
	await db
		.insertInto('lesson_answer')
		.values(
			a.answers.map((x) => ({
				attempt_id: a.id,
				school_id: a.schoolId,
				class_id: a.classId,
				lesson_id: a.lessonId,
				question_id: x.questionId,
				strand: x.strand,
				scored: x.scored ? 1 : 0,
				first_time: x.firstTime ? 1 : 0,
				tries: x.tries,
				given: JSON.stringify(x.given)
			}))
		)
		.execute();
	return true;
}

export async function findAttemptHash(
	db: Db,
	id: string
): Promise<{ schoolId: string; bodyHash: string; receivedAt: string } | undefined> {
	const row = await db
		.selectFrom('lesson_attempt')
		.select(['school_id', 'body_hash', 'received_at'])
		.where('id', '=', id)
		.executeTakeFirst();
	return row && { schoolId: row.school_id, bodyHash: row.body_hash, receivedAt: row.received_at };
}

export interface AttemptRow {
	id: string;
	pupilId: string;
	lessonId: string;
	completedAt: string;
	correct: number;
	total: number;
}

/** Every attempt of a class's pupils, oldest first. */
export async function attemptsOfClass(
	db: Db,
	schoolId: string,
	classId: string
): Promise<AttemptRow[]> {
	const rows = await db
		.selectFrom('lesson_attempt')
		.select(['id', 'pupil_id', 'lesson_id', 'completed_at', 'correct', 'total'])
		.where('school_id', '=', schoolId)
		.where('class_id', '=', classId)
		.orderBy('completed_at')
		.orderBy('id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		pupilId: r.pupil_id,
		lessonId: r.lesson_id,
		completedAt: r.completed_at,
		correct: Number(r.correct),
		total: Number(r.total)
	}));
}

export interface QuestionTally {
	lessonId: string;
	questionId: string;
	strand: string;
	answers: number;
	firstTime: number;
}

/**
 * For each scored question the class answered: how many answers, how many right first time.
 * Only each pupil's first go at a lesson counts (a second go shows practice, not what the class
 * knew), and only pupils on the class list now, the same pupils as the results grid.
 */
export async function questionTallies(
	db: Db,
	schoolId: string,
	classId: string
): Promise<QuestionTally[]> {
	const rows = await db
		.selectFrom('lesson_answer as ans')
		.innerJoin('lesson_attempt as att', 'att.id', 'ans.attempt_id')
		.innerJoin('pupil as p', 'p.id', 'att.pupil_id')
		.select((eb) => [
			'ans.lesson_id',
			'ans.question_id',
			'ans.strand',
			eb.fn.countAll<string | number>().as('answers'),
			eb.fn.sum<string | number>('ans.first_time').as('first_time')
		])
		.where('ans.school_id', '=', schoolId)
		.where('ans.class_id', '=', classId)
		.where('ans.scored', '=', 1)
		.where('p.school_id', '=', schoolId)
		.where('p.class_id', '=', classId)
		.where('p.archived_at', 'is', null)
		.where((eb) =>
			eb.not(
				eb.exists(
					eb
						.selectFrom('lesson_attempt as earlier')
						.select('earlier.id')
						.where('earlier.school_id', '=', schoolId)
						.whereRef('earlier.pupil_id', '=', 'att.pupil_id')
						.whereRef('earlier.lesson_id', '=', 'att.lesson_id')
						.where((e) =>
							e.or([
								e('earlier.completed_at', '<', e.ref('att.completed_at')),
								e.and([
									e('earlier.completed_at', '=', e.ref('att.completed_at')),
									e('earlier.id', '<', e.ref('att.id'))
								])
							])
						)
				)
			)
		)
		.groupBy(['ans.lesson_id', 'ans.question_id', 'ans.strand'])
		.execute();
	return rows.map((r) => ({
		lessonId: r.lesson_id,
		questionId: r.question_id,
		strand: r.strand,
		answers: Number(r.answers),
		firstTime: Number(r.first_time)
	}));
}

/** Lessons each pupil of these classes has finished, for the class devices' roster. */
export async function finishedLessons(
	db: Db,
	schoolId: string,
	pupilIds: readonly string[]
): Promise<{ pupilId: string; lessonId: string }[]> {
	if (pupilIds.length === 0) return [];
	const out: { pupilId: string; lessonId: string }[] = [];
	// In chunks: PostgreSQL and SQLite both cap the number of bound values.
	for (let i = 0; i < pupilIds.length; i += 500) {
		const rows = await db
			.selectFrom('lesson_attempt')
			.select(['pupil_id', 'lesson_id'])
			.distinct()
			.where('school_id', '=', schoolId)
			.where('pupil_id', 'in', pupilIds.slice(i, i + 500))
			.execute();
		out.push(...rows.map((r) => ({ pupilId: r.pupil_id, lessonId: r.lesson_id })));
	}
	return out;
}
