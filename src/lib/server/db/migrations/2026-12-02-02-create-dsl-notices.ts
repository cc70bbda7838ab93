import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// What the DSL must be told about accounts: a new account, a role change, a class
	// assignment waiting for approval, a second factor reset. Append-only, like the audit;
	// `seen_at` is the one thing that changes, when the DSL has read it.
	await db.schema
		.createTable('dsl_notice')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('actor_id', 'text')
		.addColumn('staff_id', 'text')
		.addColumn('detail', 'text', (c) => c.notNull())
		.addColumn('seen_at', 'text')
		.execute();
	await db.schema
		.createIndex('dsl_notice_school_idx')
		.on('dsl_notice')
		.columns(['school_id', 'at'])
		.execute();
}
