import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
	db: Kysely<Database>;
	dialect: Dialect;
	close(): Promise<void>;
}

export interface DatabaseOptions {
	/** A postgres:// URL; when absent Lantern uses the embedded SQLite file. */
	databaseUrl?: string | undefined;
	databaseFile: string;
}

/** The one place a database connection is made. */
export function openDatabase(options: DatabaseOptions): DatabaseHandle {
	if (options.databaseUrl) {
		const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
		const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
		return { db, dialect: 'postgres', close: () => db.destroy() };
	}
	if (options.databaseFile !== ':memory:')
		mkdirSync(dirname(options.databaseFile), { recursive: true });
	const sqlite = new SQLite(options.databaseFile);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = NORMAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
	return { db, dialect: 'sqlite', close: () => db.destroy() };
}
