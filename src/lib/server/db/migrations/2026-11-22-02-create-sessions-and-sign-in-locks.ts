import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// Sessions live in the database so that any number of app processes can serve a school.
	await db.schema
		.createTable('session')
		.addColumn('id_hash', 'text', (c) => c.primaryKey())
		.addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('last_seen_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('session_staff_idx').on('session').column('staff_id').execute();

	// Keyed by the email typed, known or not, so that an unknown account locks exactly like a real one.
	await db.schema
		.createTable('sign_in_lock')
		.addColumn('email', 'text', (c) => c.primaryKey())
		.addColumn('failures', 'integer', (c) => c.notNull())
		.addColumn('locked_until', 'text')
		.execute();
}
