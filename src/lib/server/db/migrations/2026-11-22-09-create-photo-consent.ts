import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// The school's list of photo uses. `key` names the uses every school starts with; a use the
	// school adds has none. A use is retired, never deleted: its records stay.
	await db.schema
		.createTable('consent_use')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('key', 'text')
		.addColumn('name', 'text', (c) => c.notNull())
		// 1 when a pupil nobody has answered for may be photographed for this use.
		.addColumn('allowed_when_unanswered', 'integer', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('retired_at', 'text')
		.execute();
	await db.schema
		.createIndex('consent_use_school_idx')
		.on('consent_use')
		.column('school_id')
		.execute();

	// One answer from one parent or carer about one use: append-only; a new answer is a new row.
	await db.schema
		.createTable('consent_record')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('pupil_id', 'text', (c) => c.notNull().references('pupil.id'))
		.addColumn('use_id', 'text', (c) => c.notNull().references('consent_use.id'))
		.addColumn('decision', 'text', (c) => c.notNull())
		.addColumn('given_by', 'text', (c) => c.notNull())
		.addColumn('relationship', 'text', (c) => c.notNull())
		.addColumn('given_on', 'text', (c) => c.notNull())
		.addColumn('valid_from', 'text', (c) => c.notNull())
		.addColumn('valid_until', 'text')
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('recorded_by', 'text', (c) => c.notNull())
		.addColumn('recorded_at', 'text', (c) => c.notNull())
		.addColumn('import_id', 'text')
		.execute();
	await db.schema
		.createIndex('consent_record_pupil_idx')
		.on('consent_record')
		.columns(['school_id', 'pupil_id', 'use_id'])
		.execute();

	// The "no photos" list, append-only: the latest row for a pupil says whether they are on it.
	// The reason is for the DSL and the admin only; it never leaves the server.
	await db.schema
		.createTable('pupil_no_photos')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('pupil_id', 'text', (c) => c.notNull().references('pupil.id'))
		.addColumn('on_list', 'integer', (c) => c.notNull())
		.addColumn('reason', 'text')
		.addColumn('set_by', 'text', (c) => c.notNull())
		.addColumn('set_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('pupil_no_photos_pupil_idx')
		.on('pupil_no_photos')
		.columns(['school_id', 'pupil_id', 'set_at'])
		.execute();
}
