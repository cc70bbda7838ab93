import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '$lib/server/app';
import { openDatabase } from '$lib/server/db/database';
import { checkDrift, migrate, MigrationDriftError } from '$lib/server/db/migrator';
import { migrations } from '$lib/server/db/migrations';
import { dialectUnderTest, emptyDatabase } from './database';

describe(`migrations on ${dialectUnderTest}`, () => {
	const cleanUps: (() => Promise<void>)[] = [];
	afterEach(async () => {
		for (const cleanUp of cleanUps.splice(0)) await cleanUp();
	});

	/** An empty database, and a raw connection to it, both closed after the test. */
	async function unmigrated() {
		const empty = await emptyDatabase();
		const handle = openDatabase({
			databaseUrl: empty.config.databaseUrl,
			databaseFile: empty.config.databaseFile
		});
		cleanUps.push(
			() => handle.close(),
			() => empty.drop()
		);
		return { ...handle, config: empty.config };
	}

	it('apply every file to an empty database, once', async () => {
		const handle = await unmigrated();
		expect(await migrate(handle.db, handle.dialect)).toEqual(migrations.map((m) => m.name));
		expect(await migrate(handle.db, handle.dialect)).toEqual([]);
		const applied = await handle.db
			.selectFrom('lantern_migration')
			.select('name')
			.orderBy('name')
			.execute();
		expect(applied.map((row) => row.name)).toEqual(migrations.map((m) => m.name));
		// The tables are there and empty.
		const count = await handle.db
			.selectFrom('pupil')
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow();
		expect(Number(count.n)).toBe(0);
	});

	it('refuse to start when the database has a migration this version lacks', async () => {
		const empty = await emptyDatabase();
		cleanUps.push(() => empty.drop());
		const first = await createAppContext(empty.config);
		await sql`insert into lantern_migration (name, applied_at) values ('2099-01-01-01-from-the-future', '2099-01-01T00:00:00Z')`.execute(
			first.db
		);
		await first.close();
		await expect(createAppContext(empty.config)).rejects.toBeInstanceOf(MigrationDriftError);
	});

	it('apply only the new files when the database is behind', async () => {
		const handle = await unmigrated();
		expect(await migrate(handle.db, handle.dialect, migrations.slice(0, 2))).toHaveLength(2);
		expect(await migrate(handle.db, handle.dialect)).toEqual(
			migrations.slice(2).map((m) => m.name)
		);
	});
});

describe('drift check', () => {
	it('accepts a database that is behind or level', () => {
		expect(() => checkDrift(['a'], ['a', 'b'])).not.toThrow();
		expect(() => checkDrift(['a', 'b'], ['a', 'b'])).not.toThrow();
	});
	it('refuses one with a renamed, reordered or unknown migration', () => {
		expect(() => checkDrift(['a', 'x'], ['a', 'b'])).toThrow(MigrationDriftError);
		expect(() => checkDrift(['b', 'a'], ['a', 'b'])).toThrow(MigrationDriftError);
		expect(() => checkDrift(['a', 'b', 'c'], ['a', 'b'])).toThrow(MigrationDriftError);
	});
});
