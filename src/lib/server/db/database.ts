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
	const sqlite = openSqliteFile(options.databaseFile);
	const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
	return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * The one place a SQLite connection is opened (the app, scripts and the benchmark all come
 * here). A 201 tells an iPad it may forget a worry, so a commit must be on disk before it
 * returns: `synchronous=FULL` syncs the WAL at every commit. Never weaker: speed comes from
 * group commit, not from durability.
 */
export function openSqliteFile(file: string): SQLite.Database {
	const sqlite = new SQLite(file);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	return sqlite;
}
