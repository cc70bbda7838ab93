import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// Urgent reports not yet closed are pinned to the top of the inbox: this finds a school's
	// urgent reports, newest first, without walking its whole history.
	await db.schema
		.createIndex('report_school_urgent_idx')
		.on('report')
		.columns(['school_id', 'urgent', 'received_at', 'id'])
		.execute();
}
