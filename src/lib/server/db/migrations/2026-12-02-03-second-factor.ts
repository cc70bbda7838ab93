import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// A session passes the password first and the second factor after; until then it may only
	// reach the second-factor pages. Sessions made before this are full ones.
	await db.schema
		.alterTable('session')
		.addColumn('stage', 'text', (c) => c.notNull().defaultTo('full'))
		.execute();

	// One authenticator per person: its Base32 secret, and the last 30-second step whose code
	// was used, so that no code works twice. `confirmed_at` is null while it is being set up.
	await db.schema
		.createTable('staff_second_factor')
		.addColumn('staff_id', 'text', (c) => c.primaryKey().references('staff.id'))
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('secret', 'text', (c) => c.notNull())
		.addColumn('last_step', 'integer')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('confirmed_at', 'text')
		.execute();

	// Ten one-time recovery codes per person, kept only as their SHA-256.
	await db.schema
		.createTable('staff_recovery_code')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
		.addColumn('code_hash', 'text', (c) => c.notNull())
		.addColumn('used_at', 'text')
		.execute();
	await db.schema
		.createIndex('staff_recovery_code_staff_idx')
		.on('staff_recovery_code')
		.columns(['school_id', 'staff_id'])
		.execute();
}
