import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// Each audit entry names the key its hash was made with (an HMAC key kept outside the
	// database). Entries written before keys keep their plain SHA-256 and say so; they are
	// sealed by a signed checkpoint when this migration runs (see createAppContext).
	await db.schema
		.alterTable('audit')
		.addColumn('key_id', 'text', (c) => c.notNull().defaultTo('sha256-legacy'))
		.execute();
}
