// An acknowledgement means stored: the server answers 201 only after a commit, and a commit
// must survive a power cut. SQLite's `synchronous=NORMAL` in WAL mode may lose the last
// commits on power loss, so every connection the app opens runs `synchronous=FULL`.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteFile } from '$lib/server/db/database';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';

describe(`durability on ${dialectUnderTest}`, { timeout: 30_000 }, () => {
	let ctx: TestContext;
	beforeEach(async () => (ctx = await freshDatabase()));
	afterEach(async () => ctx.close());

	it('every connection the app opens waits for the disk before a commit returns', async () => {
		if (dialectUnderTest === 'sqlite') {
			// 2 = FULL. Outside and inside a transaction (the one connection serves both).
			const outside = await sql<{ synchronous: number }>`pragma synchronous`.execute(ctx.db);
			expect(outside.rows[0]?.synchronous).toBe(2);
			const inside = await ctx.db
				.transaction()
				.execute((trx) => sql<{ synchronous: number }>`pragma synchronous`.execute(trx));
			expect(inside.rows[0]?.synchronous).toBe(2);
			const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(ctx.db);
			expect(journal.rows[0]?.journal_mode).toBe('wal');
		} else {
			// PostgreSQL: a commit returns after its WAL is flushed, on every pooled connection.
			const shown = await Promise.all(
				Array.from({ length: 5 }, () =>
					ctx.db
						.transaction()
						.execute((trx) =>
							sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(trx)
						)
				)
			);
			for (const s of shown) expect(s.rows[0]?.synchronous_commit).toBe('on');
		}
	});

	it('the SQLite opener used by scripts and the benchmark runs synchronous=FULL too', () => {
		const raw = openSqliteFile(':memory:');
		try {
			expect(raw.pragma('synchronous', { simple: true })).toBe(2);
		} finally {
			raw.close();
		}
	});
});
