import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// One row an alert, written in the same transaction as what caused it (an urgent report, a
	// report nobody opened in time, later an incident or an allegation). Never deleted.
	await db.schema
		.createTable('alert')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('subject_type', 'text', (c) => c.notNull())
		.addColumn('subject_id', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('alert_school_idx')
		.on('alert')
		.columns(['school_id', 'created_at'])
		.execute();
	// One row a recipient of an alert: its state moves waiting → sending → sent (or refused, or
	// back to waiting for a retry); `not-set-up` when the school had no e-mail relay. The
	// unique address per alert is what makes "never twice to one address" hold.
	await db.schema
		.createTable('alert_email')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('alert_id', 'text', (c) => c.notNull().references('alert.id'))
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('recipient_kind', 'text', (c) => c.notNull())
		.addColumn('staff_id', 'text')
		.addColumn('address', 'text', (c) => c.notNull())
		.addColumn('address_key', 'text', (c) => c.notNull())
		.addColumn('state', 'text', (c) => c.notNull())
		.addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('next_try_at', 'text', (c) => c.notNull())
		.addColumn('claim', 'text')
		.addColumn('claimed_at', 'text')
		.addColumn('sent_at', 'text')
		.addColumn('problem', 'text')
		.addColumn('problem_at', 'text')
		.addUniqueConstraint('alert_email_once', ['alert_id', 'address_key'])
		.execute();
	await db.schema
		.createIndex('alert_email_due_idx')
		.on('alert_email')
		.columns(['school_id', 'state', 'next_try_at'])
		.execute();
	// Who else receives alerts, set by the DSL: deputies (staff accounts) and out-of-hours
	// contacts (a name and an address). Taking someone off sets `removed_at`; rows stay.
	await db.schema
		.createTable('alert_recipient')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('staff_id', 'text')
		.addColumn('name', 'text')
		.addColumn('email', 'text')
		.addColumn('added_by', 'text', (c) => c.notNull())
		.addColumn('added_at', 'text', (c) => c.notNull())
		.addColumn('removed_by', 'text')
		.addColumn('removed_at', 'text')
		.execute();
	await db.schema
		.createIndex('alert_recipient_school_idx')
		.on('alert_recipient')
		.columns(['school_id', 'removed_at'])
		.execute();
}
