import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
	// A lesson a pupil finished on a class device. The id is the device's UUID, so a retry is
	// stored once; body_hash tells a true replay from another attempt reusing the id.
	await db.schema
		.createTable('lesson_attempt')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('device_id', 'text', (c) => c.notNull().references('device.id'))
		.addColumn('pupil_id', 'text', (c) => c.notNull().references('pupil.id'))
		// The pupil's class when the attempt arrived: results stay with the class taught.
		.addColumn('class_id', 'text', (c) => c.notNull().references('class.id'))
		.addColumn('lesson_id', 'text', (c) => c.notNull())
		.addColumn('lesson_version', 'text', (c) => c.notNull())
		.addColumn('lang', 'text', (c) => c.notNull())
		.addColumn('started_at', 'text', (c) => c.notNull())
		.addColumn('completed_at', 'text', (c) => c.notNull())
		.addColumn('received_at', 'text', (c) => c.notNull())
		.addColumn('correct', 'integer', (c) => c.notNull())
		.addColumn('total', 'integer', (c) => c.notNull())
		.addColumn('body_hash', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('lesson_attempt_class_idx')
		.on('lesson_attempt')
		.columns(['school_id', 'class_id', 'lesson_id'])
		.execute();
	await db.schema
		.createIndex('lesson_attempt_pupil_idx')
		.on('lesson_attempt')
		.columns(['school_id', 'pupil_id'])
		.execute();
	// One row a question: what results per strand and "hardest questions" are counted from.
	await db.schema
		.createTable('lesson_answer')
		.addColumn('attempt_id', 'text', (c) => c.notNull().references('lesson_attempt.id'))
		.addColumn('school_id', 'text', (c) => c.notNull())
		.addColumn('class_id', 'text', (c) => c.notNull())
		.addColumn('lesson_id', 'text', (c) => c.notNull())
		.addColumn('question_id', 'text', (c) => c.notNull())
		.addColumn('strand', 'text', (c) => c.notNull())
		.addColumn('scored', 'integer', (c) => c.notNull())
		.addColumn('first_time', 'integer', (c) => c.notNull())
		.addColumn('tries', 'integer', (c) => c.notNull())
		.addColumn('given', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('lesson_answer_pk', ['attempt_id', 'question_id'])
		.execute();
	await db.schema
		.createIndex('lesson_answer_class_idx')
		.on('lesson_answer')
		.columns(['school_id', 'class_id', 'lesson_id', 'question_id'])
		.execute();
}
