import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createAppContext } from '$lib/server/app';
import { ManualClock } from '$lib/server/clock';
import { readConfig, type LanternConfig } from '$lib/server/config';
import type { AppContext } from '$lib/server/context';

/**
 * A fresh, migrated database for one test: a new SQLite file by default, or a new
 * database on the PostgreSQL server named by TEST_POSTGRES_URL (test/run-all.sh starts one).
 */
export const dialectUnderTest = process.env.TEST_POSTGRES_URL ? 'postgres' : 'sqlite';

export interface TestContext extends AppContext {
	clock: ManualClock;
	close(): Promise<void>;
}

export async function freshDatabase(settings: Partial<LanternConfig> = {}): Promise<TestContext> {
	const clock = new ManualClock();
	const empty = await emptyDatabase();
	const ctx = await createAppContext({ ...empty.config, ...settings }, clock);
	return {
		...ctx,
		clock,
		close: async () => {
			await ctx.close();
			await empty.drop();
		}
	};
}

/** A database URL (or SQLite file) with nothing in it yet, for tests of start-up itself. */
export async function emptyDatabase(): Promise<{ config: LanternConfig; drop(): Promise<void> }> {
	const dir = mkdtempSync(join(tmpdir(), 'lantern-test-'));
	const removeDir = () => rmSync(dir, { recursive: true, force: true });
	// The audit key and checkpoints live beside the test's database, never in the worktree.
	const base = readConfig({
		LANTERN_DB_FILE: join(dir, 'test.sqlite'),
		LANTERN_AUDIT_KEY_FILE: join(dir, 'audit.key'),
		LANTERN_AUDIT_CHECKPOINT_FILE: join(dir, 'audit-checkpoints.log')
	});
	const admin = process.env.TEST_POSTGRES_URL;
	if (admin) {
		// PostgreSQL never makes a key of its own: the operator gives one, as here.
		writeFileSync(base.audit.keyFile!, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
		const name = `lantern_test_${randomBytes(6).toString('hex')}`;
		await withAdmin(admin, (client) => client.query(`create database ${name}`));
		const url = new URL(admin);
		url.pathname = `/${name}`;
		return {
			config: { ...base, databaseUrl: url.toString() },
			drop: () =>
				withAdmin(admin, (client) => client.query(`drop database ${name}`)).then(removeDir)
		};
	}
	return { config: base, drop: () => Promise.resolve(removeDir()) };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}
