// The audit log, attacked as someone with the database (but not the audit key or the
// checkpoint file) would: each attack is raw SQL, then the verifier must say "broken".
import { execFile } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppContext } from '$lib/server/app';
import { ManualClock } from '$lib/server/clock';
import type { LanternConfig } from '$lib/server/config';
import { migrate } from '$lib/server/db/migrator';
import { openDatabase } from '$lib/server/db/database';
import { migrations } from '$lib/server/db/migrations';
import {
	appendAudit,
	flushAuditCheckpoints,
	verifyAuditChain,
	writeAuditCheckpoints
} from '$lib/server/repositories/audit.repository';
import type { Db } from '$lib/server/context';
import { dialectUnderTest, emptyDatabase, freshDatabase, type TestContext } from './database';
import { makeClass, makeSchool } from './factories';

const run = promisify(execFile);

/** The real `npm run audit:verify`, pointed at the test's database, key and checkpoint file. */
async function verifyScript(
	config: LanternConfig,
	extraEnv: Record<string, string> = {},
	args: string[] = []
): Promise<{ code: number; out: string }> {
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '',
		HOME: process.env.HOME ?? '',
		LANTERN_DB_FILE: config.databaseFile,
		LANTERN_AUDIT_CHECKPOINT_FILE: config.audit.checkpointFile,
		...(config.databaseUrl ? { DATABASE_URL: config.databaseUrl } : {}),
		...(config.audit.keyFile ? { LANTERN_AUDIT_KEY_FILE: config.audit.keyFile } : {}),
		...extraEnv
	};
	try {
		const { stdout } = await run('npx', ['tsx', 'scripts/verify-audit.ts', ...args], { env });
		return { code: 0, out: stdout };
	} catch (error) {
		const failed = error as { code?: number; stdout?: string; stderr?: string };
		return { code: failed.code ?? -1, out: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
	}
}

/** The old chain's hash: plain SHA-256, no key. Anyone can compute it. */
function plainHash(prev: string, r: Record<string, unknown>): string {
	const fields = [r.school_id, r.at, r.actor_id, r.action, r.subject_type, r.subject_id, r.detail];
	return createHash('sha256').update(prev).update(JSON.stringify(fields)).digest('hex');
}

type Attack = (db: Db, schoolId: string) => Promise<void>;

/** Recomputes every hash from the second entry on, after editing it, with the attacker's `hashOf`. */
async function rewriteFromSecond(
	db: Db,
	schoolId: string,
	hashOf: (prev: string, row: Record<string, unknown>) => string,
	keyId: string | null
): Promise<void> {
	const rows = (
		await sql<
			Record<string, unknown>
		>`select * from audit where school_id = ${schoolId} order by seq`.execute(db)
	).rows;
	let prev = String(rows[0]!.prev_hash);
	for (const [i, row] of rows.entries()) {
		if (i === 1) row.detail = '{"count":0}';
		const hash = hashOf(prev, row);
		// Clear the unique hash first, in case a recomputed hash meets an old one.
		await sql`update audit set hash = ${`x${String(row.seq)}`} where seq = ${row.seq}`.execute(db);
		await sql`update audit set detail = ${row.detail}, prev_hash = ${prev}, hash = ${hash} where seq = ${row.seq}`.execute(
			db
		);
		if (keyId && 'key_id' in row)
			await sql`update audit set key_id = ${keyId} where seq = ${row.seq}`.execute(db);
		prev = hash;
	}
	await sql`update audit_head set last_hash = ${prev} where school_id = ${schoolId}`.execute(db);
}

const attacks: Record<string, Attack> = {
	// A: the head row goes; the old verifier listed chains from audit_head, so it never looked.
	'A: delete the audit_head row': async (db, schoolId) => {
		await sql`delete from audit_head where school_id = ${schoolId}`.execute(db);
	},
	// B: the whole chain goes, rows and head together.
	'B: delete every row and the head': async (db, schoolId) => {
		await sql`delete from audit where school_id = ${schoolId}`.execute(db);
		await sql`delete from audit_head where school_id = ${schoolId}`.execute(db);
	},
	// C: the last entry goes and the head is moved back to the one before.
	'C: cut the last entry and move the head back': async (db, schoolId) => {
		const last = await sql<{
			seq: number;
		}>`select max(seq) as seq from audit where school_id = ${schoolId}`.execute(db);
		await sql`delete from audit where seq = ${last.rows[0]!.seq}`.execute(db);
		const before = await sql<{
			hash: string;
		}>`select hash from audit where school_id = ${schoolId} order by seq desc limit 1`.execute(db);
		await sql`update audit_head set last_hash = ${before.rows[0]!.hash} where school_id = ${schoolId}`.execute(
			db
		);
	},
	// D: an entry is edited and every hash after it recomputed with plain SHA-256, the entries
	// marked as the old, unkeyed form (the attacker's best try without the key).
	'D: edit an entry and recompute every hash after it': (db, schoolId) =>
		rewriteFromSecond(db, schoolId, plainHash, 'sha256-legacy')
};

const expectedWhy: Record<string, string> = {
	'A: delete the audit_head row': 'head-mismatch',
	'B: delete every row and the head': 'missing',
	'C: cut the last entry and move the head back': 'cut',
	'D: edit an entry and recompute every hash after it': 'unkeyed'
};

describe(`audit attacks on ${dialectUnderTest}`, { timeout: 60_000 }, () => {
	let ctx: TestContext;
	beforeEach(async () => (ctx = await freshDatabase()));
	afterEach(async () => ctx.close());

	for (const [name, attack] of Object.entries(attacks)) {
		it(`verifyAuditChain reports ${name}`, async () => {
			const { admin, schoolId } = await makeSchool(ctx);
			await makeClass(ctx, admin);
			await writeAuditCheckpoints(ctx.db);
			expect(await verifyAuditChain(ctx.db, schoolId)).toEqual({ ok: true, entries: 3 });
			await attack(ctx.db, schoolId);
			expect(await verifyAuditChain(ctx.db, schoolId)).toMatchObject({
				ok: false,
				why: expectedWhy[name]
			});
		});
	}

	it('D with a guessed key: recomputed HMACs under a key that is not the audit key are refused', async () => {
		const { admin, schoolId } = await makeSchool(ctx);
		await makeClass(ctx, admin);
		const guess = randomBytes(32);
		await rewriteFromSecond(
			ctx.db,
			schoolId,
			(prev, r) =>
				createHmac('sha256', guess)
					.update(prev)
					.update(
						JSON.stringify([
							r.school_id,
							r.at,
							r.actor_id,
							r.action,
							r.subject_type,
							r.subject_id,
							r.detail
						])
					)
					.digest('hex'),
			null
		);
		expect(await verifyAuditChain(ctx.db, schoolId)).toMatchObject({
			ok: false,
			why: 'changed',
			brokenAt: { action: 'school.created' }
		});
	});

	it('npm run audit:verify exits 0 on untouched chains and 1 on each attack, naming the school', async () => {
		const schools = [];
		for (const name of Object.keys(attacks)) {
			const made = await makeSchool(ctx, `School attacked by ${name.slice(0, 1)}`);
			await makeClass(ctx, made.admin);
			schools.push(made.schoolId);
		}
		const untouched = await makeSchool(ctx, 'Untouched School');
		await makeClass(ctx, untouched.admin);
		// The running app's checkpoints, as a few seconds of running would write them.
		await flushAuditCheckpoints();

		const clean = await verifyScript(ctx.config);
		expect(clean.out).toContain('ok      Untouched School');
		expect(clean.code).toBe(0);

		for (const [i, [name, attack]] of Object.entries(attacks).entries()) {
			await attack(ctx.db, schools[i]!);
			const after = await verifyScript(ctx.config);
			expect(after.code, `${name}\n${after.out}`).toBe(1);
			expect(after.out).toContain(`BROKEN  School attacked by ${name.slice(0, 1)}`);
			expect(after.out).toContain('ok      Untouched School');
		}
	}, 240_000);

	it('a missing checkpoint file is an error, until someone re-pins on purpose', async () => {
		const made = await makeSchool(ctx, 'Pinned School');
		await makeClass(ctx, made.admin);
		await flushAuditCheckpoints();
		expect((await verifyScript(ctx.config)).code).toBe(0);
		// Cut the last entry, move the head back, and delete the checkpoints that would show it.
		await attacks['C: cut the last entry and move the head back']!(ctx.db, made.schoolId);
		rmSync(ctx.config.audit.checkpointFile);
		for (let run = 0; run < 2; run++) {
			const after = await verifyScript(ctx.config);
			expect(after.code, after.out).toBe(1);
			expect(after.out).toContain('the checkpoint file is missing or empty');
		}
		const repinned = await verifyScript(ctx.config, {}, ['--repin']);
		expect(repinned.code, repinned.out).toBe(0);
	}, 120_000);

	it('a school with no chain at all is an error, not silence', async () => {
		const { schoolId } = await makeSchool(ctx);
		await sql`delete from audit where school_id = ${schoolId}`.execute(ctx.db);
		await sql`delete from audit_head where school_id = ${schoolId}`.execute(ctx.db);
		expect(await verifyAuditChain(ctx.db, schoolId)).toMatchObject({ ok: false, why: 'missing' });
	});

	it('keyed entries: a fresh install writes no unkeyed entry, and a forged legacy one is refused', async () => {
		const { admin, schoolId } = await makeSchool(ctx);
		await makeClass(ctx, admin);
		const rows = await ctx.db.selectFrom('audit').selectAll().execute();
		expect(rows.every((r) => r.key_id !== 'sha256-legacy')).toBe(true);
		await sql`update audit set key_id = ${'sha256-legacy'} where school_id = ${schoolId}`.execute(
			ctx.db
		);
		expect(await verifyAuditChain(ctx.db, schoolId)).toMatchObject({ ok: false });
	});

	it('checkpoints are signed lines in an append-only file, written after appends and at close', async () => {
		const { schoolId } = await makeSchool(ctx);
		await writeAuditCheckpoints(ctx.db);
		const file = ctx.config.audit.checkpointFile;
		const lines = readFileSync(file, 'utf8').trim().split('\n');
		const last = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
		expect(last).toMatchObject({ school: schoolId, count: 1 });
		expect(String(last.mac)).toMatch(/^[0-9a-f]{64}$/);
		// A line made up by someone without the key is refused.
		writeFileSync(file, readFileSync(file, 'utf8') + JSON.stringify({ ...last, count: 5 }) + '\n');
		expect(await verifyAuditChain(ctx.db, schoolId)).toMatchObject({ ok: false });
	});
});

describe(`audit keys on ${dialectUnderTest}`, { timeout: 60_000 }, () => {
	const drops: (() => Promise<void>)[] = [];
	afterEach(async () => {
		for (const drop of drops.splice(0)) await drop();
	});

	async function database() {
		const empty = await emptyDatabase();
		drops.push(() => empty.drop());
		return empty.config;
	}

	it('a key file is made with mode 0600 at first start with SQLite; PostgreSQL must be given one', async () => {
		const config = await database();
		const keyFile = config.audit.keyFile!;
		if (config.databaseUrl) {
			rmSync(keyFile);
			await expect(createAppContext(config, new ManualClock())).rejects.toThrow(
				/audit key file .* does not exist/
			);
			await expect(
				createAppContext({ ...config, audit: { ...config.audit, keyFile: undefined } })
			).rejects.toThrow(/LANTERN_AUDIT_KEY/);
			return;
		}
		expect(existsSync(keyFile)).toBe(false);
		const ctx = await createAppContext(config, new ManualClock());
		await ctx.close();
		expect(existsSync(keyFile)).toBe(true);
		expect(statSync(keyFile).mode & 0o777).toBe(0o600);
	});

	it('checkpoints follow appends, batched, outside the transaction, and the last at close', async () => {
		const config = await database();
		const file = config.audit.checkpointFile;
		const lines = () =>
			existsSync(file)
				? readFileSync(file, 'utf8')
						.trim()
						.split('\n')
						.map((l) => JSON.parse(l) as { school: string; count: number })
				: [];
		// Batched every 0.2 s: the checkpoint appears on its own after the entries are written.
		const quick = await createAppContext(
			{ ...config, audit: { ...config.audit, checkpointSeconds: 0.2 } },
			new ManualClock()
		);
		const { admin, schoolId } = await makeSchool(quick);
		await vi.waitFor(
			() => expect(lines()).toContainEqual(expect.objectContaining({ school: schoolId, count: 1 })),
			{ timeout: 30_000, interval: 50 }
		);
		await quick.close();

		// Once an hour: nothing yet after an entry, and the checkpoint is written at close.
		const slow = await createAppContext(
			{ ...config, audit: { ...config.audit, checkpointSeconds: 3600 } },
			new ManualClock()
		);
		await makeClass(slow, admin);
		expect(
			lines()
				.filter((l) => l.school === schoolId)
				.map((l) => l.count)
		).toEqual([1]);
		await slow.close();
		expect(
			lines()
				.filter((l) => l.school === schoolId)
				.map((l) => l.count)
		).toEqual([1, 3]);
	});

	it('after a rotation old entries still verify, and the wrong key is detected', async () => {
		const config = await database();
		const keyFile = config.audit.keyFile!;
		const oldKey = randomBytes(32).toString('base64');
		const newKey = randomBytes(32).toString('hex');
		writeFileSync(keyFile, `${oldKey}\n`, { mode: 0o600 });
		const first = await createAppContext(config, new ManualClock());
		const { admin, schoolId } = await makeSchool(first);
		await first.close();

		// Rotate: the new key goes first (it signs), the old one stays (it checks).
		writeFileSync(keyFile, `# rotated\n${newKey}\n${oldKey}\n`, { mode: 0o600 });
		const second = await createAppContext(config, new ManualClock());
		await makeClass(second, admin);
		const keyIds = new Set(
			(await second.db.selectFrom('audit').select('key_id').execute()).map((r) => r.key_id)
		);
		expect(keyIds.size).toBe(2);
		expect(await verifyAuditChain(second.db, schoolId)).toEqual({ ok: true, entries: 3 });
		await second.close();
		expect((await verifyScript(config)).code).toBe(0);

		// Without the old key, its entries cannot be checked.
		writeFileSync(keyFile, `${newKey}\n`, { mode: 0o600 });
		expect((await verifyScript(config)).code).toBe(1);
		// A wrong key altogether (given in the environment) is detected.
		const wrong = await verifyScript(config, {
			LANTERN_AUDIT_KEY: randomBytes(32).toString('base64')
		});
		expect(wrong.code).toBe(1);
	}, 60_000);

	it('entries written before keys (plain SHA-256) still verify, sealed once at the upgrade', async () => {
		const config = await database();
		// A database as the previous version left it: every migration before the keyed chain.
		const before = migrations.findIndex((m) => m.name === '2026-12-02-06-audit-mac');
		expect(before).toBeGreaterThan(0);
		const old = openDatabase({
			databaseUrl: config.databaseUrl,
			databaseFile: config.databaseFile
		});
		await migrate(old.db, old.dialect, migrations.slice(0, before));
		const schoolId = 'legacy-school';
		await sql`insert into school (id, name, created_at) values (${schoolId}, ${'Old School'}, ${'2026-11-01T09:00:00.000Z'})`.execute(
			old.db
		);
		let prev = '0'.repeat(64);
		for (const action of ['school.created', 'class.added']) {
			const row = {
				school_id: schoolId,
				at: '2026-11-01T09:00:00.000Z',
				actor_id: null,
				action,
				subject_type: 'school',
				subject_id: schoolId,
				detail: '{}'
			};
			const hash = plainHash(prev, row);
			await sql`insert into audit (school_id, at, actor_id, action, subject_type, subject_id, detail, prev_hash, hash) values (${row.school_id}, ${row.at}, ${null}, ${row.action}, ${row.subject_type}, ${row.subject_id}, ${row.detail}, ${prev}, ${hash})`.execute(
				old.db
			);
			prev = hash;
		}
		await sql`insert into audit_head (school_id, last_hash) values (${schoolId}, ${prev})`.execute(
			old.db
		);
		await old.close();

		const ctx = await createAppContext(config, new ManualClock());
		await ctx.db.transaction().execute((trx) =>
			appendAudit(trx, {
				schoolId,
				at: new Date(),
				actorId: null,
				action: 'test.after-upgrade',
				subjectType: 'test',
				subjectId: null
			})
		);
		expect(await verifyAuditChain(ctx.db, schoolId)).toEqual({ ok: true, entries: 3 });
		const kinds = (await ctx.db.selectFrom('audit').select('key_id').orderBy('seq').execute()).map(
			(r) => r.key_id
		);
		expect(kinds.slice(0, 2)).toEqual(['sha256-legacy', 'sha256-legacy']);
		expect(kinds[2]).not.toBe('sha256-legacy');
		await ctx.close();
		expect((await verifyScript(config)).code).toBe(0);
	}, 60_000);
});
