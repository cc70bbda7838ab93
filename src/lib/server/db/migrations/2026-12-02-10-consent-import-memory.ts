import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// What a school's office confirmed at its last consent import, so the next one starts from
	// it: the columns of each kind of export, consent types → uses, answer words → yes / no /
	// no answer, registration groups → classes. One JSON value a key; scoped by school.
	await db.schema
		.createTable('consent_import_memory')
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('memory_key', 'text', (c) => c.notNull())
		.addColumn('value', 'text', (c) => c.notNull())
		.addColumn('updated_by', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('consent_import_memory_pk', ['school_id', 'memory_key'])
		.execute();
}
