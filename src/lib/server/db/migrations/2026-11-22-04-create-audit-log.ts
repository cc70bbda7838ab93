import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
	// Append-only; each row carries the hash of the one before it in the same school.
	await db.schema
		.createTable('audit')
		.addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
			dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()
		)
		.addColumn('school_id', 'text', (c) => c.notNull())
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('actor_id', 'text')
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('subject_type', 'text', (c) => c.notNull())
		.addColumn('subject_id', 'text')
		.addColumn('detail', 'text', (c) => c.notNull())
		.addColumn('prev_hash', 'text', (c) => c.notNull())
		.addColumn('hash', 'text', (c) => c.notNull().unique())
		.execute();
	await db.schema
		.createIndex('audit_school_idx')
		.on('audit')
		.columns(['school_id', 'seq'])
		.execute();

	await db.schema
		.createTable('audit_head')
		.addColumn('school_id', 'text', (c) => c.primaryKey())
		.addColumn('last_hash', 'text', (c) => c.notNull())
		.execute();
}
