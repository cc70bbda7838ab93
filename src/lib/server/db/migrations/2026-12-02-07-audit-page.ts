import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// The audit page filters a school's entries by person, by what they were about and by
	// action, newest first: each of these finds them without walking the school's whole log.
	await db.schema
		.createIndex('audit_school_actor_idx')
		.on('audit')
		.columns(['school_id', 'actor_id', 'seq'])
		.execute();
	await db.schema
		.createIndex('audit_school_subject_idx')
		.on('audit')
		.columns(['school_id', 'subject_type', 'subject_id', 'seq'])
		.execute();
	await db.schema
		.createIndex('audit_school_action_idx')
		.on('audit')
		.columns(['school_id', 'action', 'seq'])
		.execute();
	// A pupil's entries include those about the pupil's reports.
	await db.schema
		.createIndex('report_school_pupil_idx')
		.on('report')
		.columns(['school_id', 'pupil_id'])
		.execute();
}
