import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// Only a slow hash of the three pictures is kept; `unlocked_at` is a teacher's last unlock.
	await db.schema
		.createTable('picture_password')
		.addColumn('pupil_id', 'text', (c) => c.primaryKey().references('pupil.id'))
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('salt', 'text', (c) => c.notNull())
		.addColumn('hash', 'text', (c) => c.notNull())
		.addColumn('iterations', 'integer', (c) => c.notNull())
		.addColumn('set_at', 'text', (c) => c.notNull())
		.addColumn('unlocked_at', 'text')
		// Set when a device reports five wrong tries, so every iPad of the class knows.
		.addColumn('locked_at', 'text')
		.execute();
	// A class that uses picture passwords after "Find my name" ('on'), or not (null).
	await db.schema.alterTable('class').addColumn('picture_passwords', 'text').execute();
}
