import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// A trip device is a `device` of kind 'trip' (its token, classes and revocation live there);
	// this is what its snapshot was taken for, and by whom.
	await db.schema
		.createTable('trip_device')
		.addColumn('device_id', 'text', (c) => c.primaryKey().references('device.id'))
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('group_name', 'text', (c) => c.notNull())
		.addColumn('taken_by', 'text', (c) => c.notNull().references('staff.id'))
		.addColumn('taken_at', 'text', (c) => c.notNull())
		.addColumn('ends_at', 'text', (c) => c.notNull())
		.addColumn('grace_hours', 'integer', (c) => c.notNull())
		.addColumn('pupil_count', 'integer', (c) => c.notNull())
		// The pupils the list held (a JSON array of ids): checks are taken for them even if
		// they change class or leave before the device is back in reach.
		.addColumn('pupil_ids', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('trip_device_school_idx')
		.on('trip_device')
		.columns(['school_id', 'taken_at'])
		.execute();

	// Every photo check made on a trip device, sent from its outbox: the id is the device's
	// UUID, so a replay is stored once. Pupil ids only; the names stay on the server's roll.
	await db.schema
		.createTable('trip_check')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('device_id', 'text', (c) => c.notNull().references('device.id'))
		.addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
		.addColumn('use_id', 'text', (c) => c.notNull().references('consent_use.id'))
		.addColumn('pupil_ids', 'text', (c) => c.notNull())
		.addColumn('answer', 'text', (c) => c.notNull())
		.addColumn('not_allowed', 'text', (c) => c.notNull())
		.addColumn('to_check', 'text', (c) => c.notNull())
		.addColumn('how', 'text', (c) => c.notNull())
		.addColumn('is_group', 'integer', (c) => c.notNull())
		.addColumn('checked_at', 'text', (c) => c.notNull())
		.addColumn('received_at', 'text', (c) => c.notNull())
		.addColumn('body_hash', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('trip_check_device_idx')
		.on('trip_check')
		.columns(['school_id', 'device_id', 'checked_at'])
		.execute();
}
