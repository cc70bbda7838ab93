import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// Browsers a member of staff has signed in on: a sign-in from one of them is not held
	// back by the account's slow-down, so a stranger failing on purpose cannot keep the
	// person out. Only a SHA-256 of the cookie's random token is kept. `failures` counts
	// wrong passwords sent with the cookie: after the policy's number it no longer helps.
	await db.schema
		.createTable('known_device')
		.addColumn('id_hash', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('last_used_at', 'text', (c) => c.notNull())
		.addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema
		.createIndex('known_device_staff_idx')
		.on('known_device')
		.columns(['school_id', 'staff_id', 'last_used_at'])
		.execute();
}
