import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// The school's own consent rules (one row a school, made when first changed; no row is every
	// rule off). `needs_all_carers`: 1 when consent counts only once every carer with parental
	// responsibility who is recorded for the pupil has said yes.
	await db.schema
		.createTable('consent_setting')
		.addColumn('school_id', 'text', (c) => c.primaryKey().references('school.id'))
		.addColumn('needs_all_carers', 'integer', (c) => c.notNull())
		.addColumn('changed_by', 'text', (c) => c.notNull())
		.addColumn('changed_at', 'text', (c) => c.notNull())
		.execute();

	// 1 when the school's policy never allows the use, whatever carers say.
	await db.schema
		.alterTable('consent_use')
		.addColumn('never_allowed', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();

	// How many carers with parental responsibility the office has recorded for a pupil,
	// append-only: the latest row counts. No row: the school's rule assumes two (both parents).
	await db.schema
		.createTable('pupil_carers')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('pupil_id', 'text', (c) => c.notNull().references('pupil.id'))
		.addColumn('carers', 'integer', (c) => c.notNull())
		.addColumn('set_by', 'text', (c) => c.notNull())
		.addColumn('set_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('pupil_carers_pupil_idx')
		.on('pupil_carers')
		.columns(['school_id', 'pupil_id', 'set_at'])
		.execute();
}
