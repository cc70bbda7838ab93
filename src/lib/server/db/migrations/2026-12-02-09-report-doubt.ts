import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// `report.identity_doubt` (text) already exists; it now takes more reasons than
	// 'replaced-card' ('pupil-not-in-device-classes', 'no-card-or-picture-sign-in').
	// Each device's parked submissions of the last day are counted on every refusal (the
	// per-device quota): this finds them without walking the school's whole history.
	await db.schema
		.createIndex('parked_submission_device_idx')
		.on('parked_submission')
		.columns(['device_id', 'received_at'])
		.execute();
}
