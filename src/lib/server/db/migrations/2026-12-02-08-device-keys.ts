import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
	// Each school's ECDH P-256 key pair, to which class devices seal their outbox. The public
	// key (a JWK) goes to devices with their roster; the private key is kept here only sealed
	// (AES-256-GCM) under a key that is not in the database (LANTERN_DEVICE_KEY_SECRET or the
	// key file). A newer key is a new row; older ones stay to open what was sealed to them.
	await db.schema
		.createTable('device_key')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('school_id', 'text', (c) => c.notNull().references('school.id'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('public_jwk', 'text', (c) => c.notNull())
		.addColumn('private_sealed', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('device_key_school_idx')
		.on('device_key')
		.columns(['school_id', 'created_at'])
		.execute();
}
