import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// A DSL account an admin makes, and a teacher put on a class, wait for an existing DSL's
	// approval ('yes' while waiting). Rows from before stay in effect (null).
	await db.schema.alterTable('staff').addColumn('pending_approval', 'text').execute();
	// 'yes' when the password was chosen by someone else: it must be changed at first sign-in.
	await db.schema.alterTable('staff').addColumn('must_change_password', 'text').execute();
	await db.schema.alterTable('class_staff').addColumn('pending_approval', 'text').execute();

	// One-time links to set a password: only a hash of the token is kept; used once, for an hour.
	await db.schema
		.createTable('password_link')
		.addColumn('token_hash', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
		.addColumn('made_by', 'text')
		.addColumn('made_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('used_at', 'text')
		.execute();
	await db.schema
		.createIndex('password_link_staff_idx')
		.on('password_link')
		.columns(['school_id', 'staff_id'])
		.execute();
}
