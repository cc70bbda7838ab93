import type { Kysely } from 'kysely';
import {
	appendCheckpoints,
	entryMac,
	legacyKeyId,
	readCheckpoints,
	type AuditSeal,
	type Checkpoint,
	type CheckpointBook
} from '../audit-seal';
import type { Db } from '../context';
import type { Database } from '../db/schema';

export interface AuditEntry {
	schoolId: string;
	at: Date;
	actorId: string | null;
	action: string;
	subjectType: string;
	subjectId: string | null;
	detail?: Record<string, unknown>;
}

/** Failed sign-ins for an email nobody has are kept in a chain of their own. */
export const noSchool = '-';
const genesis = '0'.repeat(64);

interface ChainedFields {
	school_id: string;
	at: string;
	actor_id: string | null;
	action: string;
	subject_type: string;
	subject_id: string | null;
	detail: string;
}

function fieldsOf(r: ChainedFields): unknown[] {
	// A fixed field order, so the hash does not depend on how a driver orders columns.
	return [r.school_id, r.at, r.actor_id, r.action, r.subject_type, r.subject_id, r.detail];
}

/**
 * The audit key and checkpoint file of the running app, and the schools written to since the
 * last checkpoint. Set by createAppContext (one per process), so that `appendAudit(trx, ...)`
 * keeps its shape for every service that calls it.
 */
interface ActiveSeal {
	seal: AuditSeal;
	db: Kysely<Database>;
	/** Written to since their last checkpoint. */
	dirty: Set<string>;
	/** The entry count of each school's last checkpoint written by this process. */
	written: Map<string, number>;
	/** How many more times to look at a school whose count has not moved since its entry. */
	looksLeft: Map<string, number>;
	timer: ReturnType<typeof setTimeout> | undefined;
	flushing: Promise<void>;
	stopped: boolean;
}

/** Started seals, the latest last: one per process in the app; tests may open a second. */
const started: ActiveSeal[] = [];
let active: ActiveSeal | undefined;

/** Starts signing audit entries with the seal's key; `stop` writes the last checkpoints. */
export function startAuditSeal(db: Kysely<Database>, seal: AuditSeal): { stop(): Promise<void> } {
	const mine: ActiveSeal = {
		seal,
		db,
		dirty: new Set(),
		written: new Map(),
		looksLeft: new Map(),
		timer: undefined,
		flushing: Promise.resolve(),
		stopped: false
	};
	started.push(mine);
	active = mine;
	return {
		stop: async () => {
			mine.stopped = true;
			if (mine.timer) clearTimeout(mine.timer);
			mine.timer = undefined;
			await flush(mine, true);
			started.splice(started.indexOf(mine), 1);
			active = started.at(-1);
		}
	};
}

/** At shutdown: the last checkpoints of the running app, before the process ends. */
export async function flushAuditCheckpoints(): Promise<void> {
	if (!active) return;
	if (active.timer) clearTimeout(active.timer);
	active.timer = undefined;
	await flush(active, true);
}

/** The seal of the running app: there is no writing or checking an audit chain without one. */
export function activeAuditSeal(): AuditSeal {
	if (!active)
		throw new Error('The audit key is not loaded: Lantern starts it in createAppContext');
	return active.seal;
}

/**
 * Writes a checkpoint for each school written to since the last one. `all` (at shutdown) also
 * looks again at every school this process has checkpointed, in case an entry's transaction
 * committed just after its checkpoint was taken; an unchanged count writes nothing.
 */
function flush(state: ActiveSeal, all = false): Promise<void> {
	state.flushing = state.flushing.then(async () => {
		const schools = [...new Set([...state.dirty, ...(all ? state.written.keys() : [])])];
		state.dirty.clear();
		if (schools.length === 0) return;
		try {
			const moved = await checkpoint(state, schools);
			for (const school of schools) {
				if (moved.has(school)) {
					state.looksLeft.delete(school);
					continue;
				}
				// Nothing new yet: the entry's transaction may still be open (or rolled back).
				// Look again a few times before waiting for the next entry.
				const left = state.looksLeft.get(school) ?? 3;
				if (all || left === 0) continue;
				state.looksLeft.set(school, left - 1);
				state.dirty.add(school);
			}
		} catch (error) {
			for (const school of schools) state.dirty.add(school);
			console.error('Lantern could not write audit checkpoints:', error);
		}
		if (!all && state.dirty.size > 0) schedule(state);
	});
	return state.flushing;
}

function schedule(state: ActiveSeal): void {
	if (state.stopped) return;
	// Batched: at most one checkpoint per school every few seconds, never inside a transaction.
	state.timer ??= setTimeout(() => {
		state.timer = undefined;
		void flush(state);
	}, state.seal.checkpointSeconds * 1000);
	state.timer.unref();
}

function noteAppend(schoolId: string): void {
	const state = active;
	if (!state) return;
	state.dirty.add(schoolId);
	state.looksLeft.delete(schoolId);
	schedule(state);
}

/** Each school's entry count and latest hash as committed now. */
async function chainEnds(db: Db, schoolIds: string[]): Promise<Checkpoint[]> {
	const ends: Checkpoint[] = [];
	for (const school of schoolIds) {
		const last = await db
			.selectFrom('audit')
			.select(['seq', 'hash'])
			.where('school_id', '=', school)
			.orderBy('seq', 'desc')
			.limit(1)
			.executeTakeFirst();
		if (!last) continue;
		// Counted up to that entry, so a writer committing in between cannot skew the pair.
		const counted = await db
			.selectFrom('audit')
			.select((eb) => eb.fn.countAll<string | number>().as('n'))
			.where('school_id', '=', school)
			.where('seq', '<=', last.seq)
			.executeTakeFirstOrThrow();
		ends.push({
			kind: 'checkpoint',
			school,
			count: Number(counted.n),
			head: last.hash,
			at: new Date().toISOString()
		});
	}
	return ends;
}

/** Writes a checkpoint for each school whose count moved; answers which did. */
async function checkpoint(state: ActiveSeal, schoolIds: string[]): Promise<Set<string>> {
	const ends = (await chainEnds(state.db, schoolIds)).filter(
		(c) => state.written.get(c.school) !== c.count
	);
	await appendCheckpoints(state.seal, ends);
	for (const c of ends) state.written.set(c.school, c.count);
	return new Set(ends.map((c) => c.school));
}

/**
 * Writes a signed checkpoint now for the given chains (every chain when none are named), as
 * `npm run audit:verify` does for the chains it found whole (the app batches its own).
 */
export async function writeAuditCheckpoints(db: Db, schoolIds?: string[]): Promise<void> {
	const seal = activeAuditSeal();
	await appendCheckpoints(seal, await chainEnds(db, schoolIds ?? (await auditChains(db))));
}

/**
 * When the keyed chain arrives (its migration has just run), each school's entries so far are
 * plain SHA-256. A signed "legacy" checkpoint pins them: their count and last hash. Only these
 * are ever accepted unkeyed; an install that starts keyed has none.
 */
export async function sealLegacyEntries(db: Db, seal: AuditSeal): Promise<void> {
	const schools = await db
		.selectFrom('audit')
		.select('school_id')
		.where('key_id', '=', legacyKeyId)
		.groupBy('school_id')
		.orderBy('school_id')
		.execute();
	const ends = await chainEnds(
		db,
		schools.map((s) => s.school_id)
	);
	await appendCheckpoints(
		seal,
		ends.map((c) => ({ ...c, kind: 'legacy' as const }))
	);
}

/**
 * Appends to the school's keyed chain. Must run inside a transaction: the head row is
 * updated with a compare-and-set, so two processes writing at once cannot fork the chain.
 * One HMAC per entry; checkpoints are written later, outside the transaction.
 */
export async function appendAudit(trx: Db, entry: AuditEntry): Promise<void> {
	const { current } = activeAuditSeal().keys;
	for (let attempt = 0; attempt < 20; attempt++) {
		const head = await trx
			.selectFrom('audit_head')
			.select('last_hash')
			.where('school_id', '=', entry.schoolId)
			.executeTakeFirst();
		const prev = head?.last_hash ?? genesis;
		const row = {
			school_id: entry.schoolId,
			at: entry.at.toISOString(),
			actor_id: entry.actorId,
			action: entry.action,
			subject_type: entry.subjectType,
			subject_id: entry.subjectId,
			detail: JSON.stringify(entry.detail ?? {})
		};
		const hash = entryMac(current.key, prev, fieldsOf(row));
		if (head) {
			const moved = await trx
				.updateTable('audit_head')
				.set({ last_hash: hash })
				.where('school_id', '=', entry.schoolId)
				.where('last_hash', '=', prev)
				.executeTakeFirst();
			if (Number(moved.numUpdatedRows) !== 1) continue;
		} else {
			const inserted = await trx
				.insertInto('audit_head')
				.values({ school_id: entry.schoolId, last_hash: hash })
				.onConflict((oc) => oc.column('school_id').doNothing())
				.executeTakeFirst();
			if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) continue;
		}
		await trx
			.insertInto('audit')
			.values({ ...row, prev_hash: prev, hash, key_id: current.id })
			.execute();
		noteAppend(entry.schoolId);
		return;
	}
	throw new Error('Could not append to the audit log: too many writers at once');
}

export interface AuditRow {
	at: string;
	actorId: string | null;
	action: string;
	subjectType: string;
	subjectId: string | null;
	detail: string;
}

export async function listAudit(db: Db, schoolId: string, limit = 200): Promise<AuditRow[]> {
	const rows = await db
		.selectFrom('audit')
		.select(['at', 'actor_id', 'action', 'subject_type', 'subject_id', 'detail'])
		.where('school_id', '=', schoolId)
		.orderBy('seq', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		at: r.at,
		actorId: r.actor_id,
		action: r.action,
		subjectType: r.subject_type,
		subjectId: r.subject_id,
		detail: r.detail
	}));
}

/** Why a chain does not hold, first found first. */
export type ChainBreak =
	/** An entry's contents no longer match its keyed hash (or the key is not the one it was made with). */
	| 'changed'
	/** An entry's link to the one before is off: one removed or the order changed. */
	| 'removed-or-reordered'
	/** The head row is missing or is not the last entry: entries removed at the end. */
	| 'head-mismatch'
	/** A school (or a chain with a checkpoint) has no entries at all: the chain was deleted. */
	| 'missing'
	/** An unkeyed (plain SHA-256) entry where none was sealed: forged without the key. */
	| 'unkeyed'
	/** An entry made with a key the keyring does not have (a retired key removed, or a forgery). */
	| 'unknown-key'
	/** Fewer entries than a signed checkpoint counted: entries cut from the end. */
	| 'cut'
	/** The entry at a signed checkpoint's count is not the one it recorded: the chain was rewritten. */
	| 'checkpoint-mismatch'
	/** A line in the checkpoint file for this school does not carry a valid signature. */
	| 'checkpoint-forged';

export type ChainCheck =
	| { ok: true; entries: number }
	| {
			ok: false;
			entries: number;
			/** The first entry that does not hold (null: the chain's end or the whole chain). */
			brokenAt: { seq: number; at: string; action: string } | null;
			why: ChainBreak;
	  };

export interface VerifyOptions {
	/** The keys and checkpoint file; the running app's when not given. */
	seal?: AuditSeal;
	/** Checkpoints already read (a run over every school reads the file once). */
	checkpoints?: CheckpointBook;
}

/**
 * Walks a school's chain from the start and names the first broken link: each entry's keyed
 * hash and its link to the one before, the head, then every signed checkpoint of the school
 * (the chain must reach each checkpoint's count and have its head there). A school with no
 * entries is broken: every school's first entry is written when it is made.
 */
export async function verifyAuditChain(
	db: Db,
	schoolId: string,
	options: VerifyOptions = {}
): Promise<ChainCheck> {
	const seal = options.seal ?? activeAuditSeal();
	const book = options.checkpoints ?? readCheckpoints(seal);
	const checkpoints = book.bySchool.get(schoolId) ?? [];
	const rows = await db
		.selectFrom('audit')
		.selectAll()
		.where('school_id', '=', schoolId)
		.orderBy('seq')
		.execute();
	const broken = (
		why: ChainBreak,
		r?: { seq: number | string; at: string; action: string }
	): ChainCheck => ({
		ok: false,
		entries: rows.length,
		brokenAt: r ? { seq: Number(r.seq), at: r.at, action: r.action } : null,
		why
	});

	if (book.bad.some((b) => b.school === schoolId)) return broken('checkpoint-forged');
	if (rows.length === 0) {
		const school = await db
			.selectFrom('school')
			.select('id')
			.where('id', '=', schoolId)
			.executeTakeFirst();
		if (school || checkpoints.length > 0) return broken('missing');
	}

	const legacyCount = Math.max(
		0,
		...checkpoints.filter((c) => c.kind === 'legacy').map((c) => c.count)
	);
	let prev = genesis;
	for (const [index, r] of rows.entries()) {
		if (r.prev_hash !== prev) return broken('removed-or-reordered', r);
		let key: Buffer | null = null;
		if (r.key_id === legacyKeyId) {
			if (index + 1 > legacyCount) return broken('unkeyed', r);
		} else {
			const found = seal.keys.byId.get(r.key_id);
			if (!found) return broken('unknown-key', r);
			key = found;
		}
		if (entryMac(key, prev, fieldsOf(r)) !== r.hash) return broken('changed', r);
		prev = r.hash;
	}
	const head = await db
		.selectFrom('audit_head')
		.select('last_hash')
		.where('school_id', '=', schoolId)
		.executeTakeFirst();
	if ((head?.last_hash ?? genesis) !== prev) return broken('head-mismatch');

	for (const c of checkpoints) {
		if (rows.length < c.count) return broken('cut');
		const at = rows[c.count - 1]!;
		if (at.hash !== c.head) return broken('checkpoint-mismatch', at);
	}
	return { ok: true, entries: rows.length };
}

/**
 * Every chain there should be: each school in the `school` table (so a school whose chain was
 * deleted is checked, and found missing), any other chain with entries or a head (sign-ins to
 * unknown emails), and any chain named by a checkpoint.
 */
export async function auditChains(db: Db, book?: CheckpointBook): Promise<string[]> {
	const [schools, heads, entries] = await Promise.all([
		db.selectFrom('school').select('id').execute(),
		db.selectFrom('audit_head').select('school_id').execute(),
		db.selectFrom('audit').select('school_id').distinct().execute()
	]);
	const ids = new Set([
		...schools.map((s) => s.id),
		...heads.map((h) => h.school_id),
		...entries.map((e) => e.school_id),
		...(book ? book.bySchool.keys() : []),
		...(book ? book.bad.map((b) => b.school) : [])
	]);
	return [...ids].sort();
}
