import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
	// A worry sent from a class device. The id is the UUID the device made, so a retry can
	// never store it twice; body_hash tells a true replay from a different report reusing an id.
	await db.schema
		.createTable('report')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('device_id', 'text', (c) => c.notNull().references('device.id'))
		.addColumn('pupil_id', 'text')
		.addColumn('created_on_device', 'text', (c) => c.notNull())
		.addColumn('received_at', 'text', (c) => c.notNull())
		.addColumn('topic', 'text', (c) => c.notNull())
		.addColumn('feeling', 'text')
		.addColumn('words', 'text')
		.addColumn('has_drawing', 'integer', (c) => c.notNull())
		.addColumn('has_voice', 'integer', (c) => c.notNull())
		.addColumn('talk_to', 'text')
		.addColumn('audience', 'text', (c) => c.notNull())
		.addColumn('urgent', 'integer', (c) => c.notNull())
		.addColumn('lang', 'text', (c) => c.notNull())
		.addColumn('body_hash', 'text', (c) => c.notNull())
		// Set when the pupil signed in with a card that had been replaced (or is another
		// pupil's): the name on the report may not be the child's. Shown to staff.
		.addColumn('identity_doubt', 'text')
		.execute();
	await db.schema
		.createIndex('report_school_received_idx')
		.on('report')
		// With the id, so "newest first" needs no sort of the whole history.
		.columns(['school_id', 'received_at', 'id'])
		.execute();
	await db.schema
		.createIndex('report_talk_to_idx')
		.on('report')
		.columns(['school_id', 'talk_to', 'received_at', 'id'])
		.execute();

	// The classes whose teachers a report is for (more than one when a pupil on a shared
	// device chose not to say who they are).
	await db.schema
		.createTable('report_class')
		.addColumn('report_id', 'text', (c) => c.notNull().references('report.id'))
		.addColumn('class_id', 'text', (c) => c.notNull().references('class.id'))
		.addColumn('school_id', 'text', (c) => c.notNull())
		.addColumn('received_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('report_class_pk', ['report_id', 'class_id'])
		.execute();
	await db.schema
		.createIndex('report_class_inbox_idx')
		.on('report_class')
		// No school_id in front: looking up a page of report ids must use the primary key.
		.columns(['class_id', 'received_at', 'report_id'])
		.execute();

	// Drawings and voice notes, apart from the report so inbox queries never read them.
	await db.schema
		.createTable('report_attachment')
		.addColumn('report_id', 'text', (c) => c.notNull().references('report.id'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('mime', 'text', (c) => c.notNull())
		.addColumn('data', 'text', (c) => c.notNull())
		.addColumn('seconds', 'real')
		.addPrimaryKeyConstraint('report_attachment_pk', ['report_id', 'kind'])
		.execute();

	// Append-only: what staff did, and "seen". The state of a report is read from these.
	await db.schema
		.createTable('report_event')
		// The order events were written in, whatever their clocks say.
		.addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
			dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()
		)
		.addColumn('id', 'text', (c) => c.notNull().unique())
		.addColumn('report_id', 'text', (c) => c.notNull().references('report.id'))
		.addColumn('school_id', 'text', (c) => c.notNull())
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('actor_id', 'text')
		.addColumn('actor_role', 'text')
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('report_event_report_idx')
		.on('report_event')
		.columns(['report_id', 'kind', 'actor_id'])
		.execute();

	// One row a report once the DSL has been alerted that nobody has opened it: the primary
	// key makes sure two app processes never alert twice.
	await db.schema
		.createTable('report_alert')
		.addColumn('report_id', 'text', (c) => c.primaryKey().references('report.id'))
		.addColumn('school_id', 'text', (c) => c.notNull())
		.addColumn('alerted_at', 'text', (c) => c.notNull())
		.addColumn('minutes', 'integer', (c) => c.notNull())
		.execute();

	// Submissions the server could not accept (malformed, unknown class): kept for staff,
	// never silently dropped. The body stays here for the DSL; the Devices page shows reasons.
	await db.schema
		.createTable('parked_submission')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull())
		.addColumn('device_id', 'text', (c) => c.notNull().references('device.id'))
		.addColumn('item_id', 'text')
		.addColumn('received_at', 'text', (c) => c.notNull())
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('parked_submission_school_idx')
		.on('parked_submission')
		.columns(['school_id', 'received_at'])
		.execute();

	// The short list of adults a pupil can choose to talk to.
	await db.schema.alterTable('staff').addColumn('pupil_contact', 'text').execute();
	// Items a device holds that the server refused, as the device last said.
	await db.schema.alterTable('device').addColumn('parked_items', 'integer').execute();
}
