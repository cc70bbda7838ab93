import { sql, type Kysely } from 'kysely';
import type { Dialect } from './database';
import { migrations, type Migration } from './migrations';

export class MigrationDriftError extends Error {}

/**
 * Forward-only migrations, applied in order at start-up. If the database has a
 * migration this build does not know, or knows them in another order, Lantern
 * refuses to start rather than run against a schema it does not understand.
 */
export async function migrate(
	db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any -- migrations predate the typed schema
	dialect: Dialect,
	files: readonly Migration[] = migrations
): Promise<string[]> {
	await db.schema
		.createTable('lantern_migration')
		.ifNotExists()
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('applied_at', 'text', (c) => c.notNull())
		.execute();

	return db.transaction().execute(async (trx) => {
		// Several app processes may start together against one PostgreSQL.
		if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7142001)`.execute(trx);

		const applied = (await trx
			.selectFrom('lantern_migration')
			.select('name')
			.orderBy('name')
			.execute()) as { name: string }[];
		checkDrift(
			applied.map((row) => row.name),
			files.map((file) => file.name)
		);

		const done: string[] = [];
		for (const file of files.slice(applied.length)) {
			await file.up(trx, dialect);
			await trx
				.insertInto('lantern_migration')
				.values({ name: file.name, applied_at: new Date().toISOString() })
				.execute();
			done.push(file.name);
		}
		return done;
	});
}

export function checkDrift(applied: readonly string[], files: readonly string[]): void {
	const unknown = applied.filter((name, index) => files[index] !== name);
	if (applied.length > files.length || unknown.length > 0) {
		throw new MigrationDriftError(
			`The database has migrations that this version of Lantern does not have (${unknown.join(', ') || applied.slice(files.length).join(', ')}). ` +
				'Run the version of Lantern that made this database, or restore a backup.'
		);
	}
}
