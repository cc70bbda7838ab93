import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('class')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('year_group', 'integer', (c) => c.notNull())
		.addColumn('key_stage', 'text', (c) => c.notNull())
		.addColumn('archived_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('class_school_idx').on('class').column('school_id').execute();

	await db.schema
		.createTable('class_staff')
		.addColumn('class_id', 'text', (c) => c.notNull().references('class.id'))
		.addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('cover_from', 'text')
		.addColumn('cover_until', 'text')
		.addPrimaryKeyConstraint('class_staff_pk', ['class_id', 'staff_id'])
		.execute();
	await db.schema
		.createIndex('class_staff_staff_idx')
		.on('class_staff')
		.column('staff_id')
		.execute();

	// First name and last initial only: no date of birth, no address, no surname.
	await db.schema
		.createTable('pupil')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('class_id', 'text', (c) => c.notNull().references('class.id'))
		.addColumn('first_name', 'text', (c) => c.notNull())
		.addColumn('last_initial', 'text', (c) => c.notNull())
		.addColumn('year_group', 'integer', (c) => c.notNull())
		.addColumn('avatar', 'text', (c) => c.notNull())
		.addColumn('archived_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('pupil_class_idx')
		.on('pupil')
		.columns(['school_id', 'class_id'])
		.execute();
}
