import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// A shared iPad (or trip device). Its token is kept only as a SHA-256.
	await db.schema
		.createTable('device')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('enrolled_by', 'text', (c) => c.notNull().references('staff.id'))
		.addColumn('enrolled_at', 'text', (c) => c.notNull())
		.addColumn('last_seen_at', 'text')
		.addColumn('app_version', 'text')
		.addColumn('queued_items', 'integer')
		.addColumn('storage_persisted', 'text')
		.addColumn('signed_in_pupil_id', 'text')
		.addColumn('revoked_at', 'text')
		.execute();
	await db.schema.createIndex('device_school_idx').on('device').column('school_id').execute();

	await db.schema
		.createTable('device_class')
		.addColumn('device_id', 'text', (c) => c.notNull().references('device.id'))
		.addColumn('class_id', 'text', (c) => c.notNull().references('class.id'))
		.addColumn('school_id', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('device_class_pk', ['device_id', 'class_id'])
		.execute();

	// One-time codes a teacher's screen shows and a new iPad scans: ten minutes, single use.
	await db.schema
		.createTable('enrolment_code')
		.addColumn('code_hash', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('created_by', 'text', (c) => c.notNull().references('staff.id'))
		.addColumn('device_name', 'text', (c) => c.notNull())
		.addColumn('class_ids', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('used_at', 'text')
		.execute();

	await db.schema
		.createTable('pupil_card')
		.addColumn('card_id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('pupil_id', 'text', (c) => c.notNull().references('pupil.id'))
		.addColumn('secret_hash', 'text', (c) => c.notNull())
		.addColumn('issued_by', 'text', (c) => c.notNull().references('staff.id'))
		.addColumn('issued_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('revoked_at', 'text')
		.execute();
	await db.schema
		.createIndex('pupil_card_pupil_idx')
		.on('pupil_card')
		.columns(['school_id', 'pupil_id'])
		.execute();

	// What class devices report at each contact: sign-ins, failed scans, a card from another class.
	await db.schema
		.createTable('device_event')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull())
		.addColumn('device_id', 'text', (c) => c.notNull().references('device.id'))
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('pupil_id', 'text')
		.addColumn('detail', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('device_event_school_idx')
		.on('device_event')
		.columns(['school_id', 'at'])
		.execute();

	// "Sign everyone out" for a class: devices sign out anyone signed in before this time.
	await db.schema.alterTable('class').addColumn('signed_out_at', 'text').execute();
}
