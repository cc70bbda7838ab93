/**
 * What makes the audit chain tamper-evident, kept outside the database:
 * - the keys: each entry's hash is an HMAC-SHA-256 under a key the database never holds
 *   (LANTERN_AUDIT_KEY, or the key file LANTERN_AUDIT_KEY_FILE, made at first start for SQLite);
 * - the checkpoints: signed lines (school, entry count, head hash, time) appended to a file
 *   (LANTERN_AUDIT_CHECKPOINT_FILE) that is opened for appending only and synced to disk.
 * Someone who can rewrite the database but has neither cannot forge an entry, and cannot cut
 * entries a checkpoint already covers without the verifier saying so.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readFileSync,
	readSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditSettings } from './config';

/** Entries written before the chain had a key: plain SHA-256, accepted only where sealed. */
export const legacyKeyId = 'sha256-legacy';

export interface AuditKey {
	id: string;
	key: Buffer;
}

export interface AuditKeyring {
	/** Signs new entries and checkpoints. */
	current: AuditKey;
	/** Every key, current and retired, by id: for checking. */
	byId: Map<string, Buffer>;
}

export interface AuditSeal {
	keys: AuditKeyring;
	checkpointFile: string;
	checkpointSeconds: number;
}

/** A key's id is part of its own fingerprint, so a key file needs no names. */
export function keyIdOf(key: Buffer): string {
	return `k-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

function decodeKey(text: string, source: string): Buffer {
	const key =
		/^[0-9a-f]+$/i.test(text) && text.length % 2 === 0
			? Buffer.from(text, 'hex')
			: /^[A-Za-z0-9+/_-]+={0,2}$/.test(text)
				? Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64')
				: null;
	if (!key || key.length < 32)
		throw new Error(
			`The audit key in ${source} is not right: use at least 32 random bytes, in base64 or hex ` +
				'(for example: openssl rand -base64 32)'
		);
	return key;
}

/**
 * Keys one a line (a file: blank lines and `#` comments skipped) or separated by commas (the
 * environment). The first signs; the others only check older entries.
 */
export function parseAuditKeys(text: string, source: string): AuditKeyring {
	const keys = text
		.split('\n')
		.filter((line) => !line.trim().startsWith('#'))
		.flatMap((line) => line.split(','))
		.map((line) => line.trim())
		.filter((line) => line !== '')
		.map((line) => decodeKey(line, source))
		.map((key) => ({ id: keyIdOf(key), key }));
	const current = keys[0];
	if (!current) throw new Error(`There is no audit key in ${source}`);
	return { current, byId: new Map(keys.map((k) => [k.id, k.key])) };
}

const keyFileHeader =
	'# Lantern audit keys: the first line signs new audit entries, the lines after it only check\n' +
	'# older ones. To rotate, add a new key as the first line and restart. Never remove a key\n' +
	'# that has signed entries. Keep a copy of this file away from the database backups.\n';

/**
 * Reads the keys from the environment or the key file. A missing key file is made (32 random
 * bytes, mode 0600) only when `mayCreate`: with SQLite, one machine holds both. PostgreSQL
 * deployments may run several app processes, which must share one key: they set it themselves.
 */
export function loadAuditKeys(settings: AuditSettings, mayCreate: boolean): AuditKeyring {
	if (settings.key) return parseAuditKeys(settings.key, 'LANTERN_AUDIT_KEY');
	const file = settings.keyFile;
	if (!file)
		throw new Error(
			'Lantern needs an audit key with PostgreSQL: set LANTERN_AUDIT_KEY (base64 or hex, at least ' +
				'32 bytes) or LANTERN_AUDIT_KEY_FILE, the same for every app process. See README.md.'
		);
	if (!existsSync(file)) {
		if (!mayCreate)
			throw new Error(
				`The audit key file ${file} does not exist. Make it (for example: openssl rand -base64 32 > ${file}; ` +
					`chmod 600 ${file}) and give every app process the same file.`
			);
		mkdirSync(dirname(file), { recursive: true });
		try {
			writeFileSync(file, `${keyFileHeader}${randomBytes(32).toString('base64')}\n`, {
				mode: 0o600,
				flag: 'wx'
			});
		} catch (error) {
			// Another process made it first: use theirs.
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
	}
	return parseAuditKeys(readFileSync(file, 'utf8'), file);
}

/** The hash of an entry: HMAC-SHA-256 under its key, or the old plain SHA-256 for legacy entries. */
export function entryMac(key: Buffer | null, prev: string, fields: readonly unknown[]): string {
	const mac = key ? createHmac('sha256', key) : createHash('sha256');
	return mac.update(prev).update(JSON.stringify(fields)).digest('hex');
}

export type CheckpointKind = 'checkpoint' | 'legacy';

export interface Checkpoint {
	kind: CheckpointKind;
	school: string;
	count: number;
	head: string;
	at: string;
}

interface CheckpointLine extends Checkpoint {
	kid: string;
	mac: string;
}

function checkpointMac(key: Buffer, c: Checkpoint): string {
	return createHmac('sha256', key)
		.update(
			JSON.stringify(['lantern-audit-checkpoint-v1', c.kind, c.school, c.count, c.head, c.at])
		)
		.digest('hex');
}

/**
 * Appends signed checkpoints and waits until they are on disk. The file is only ever opened
 * for appending; a line torn by a crash is ended first so the next line stays whole.
 */
export async function appendCheckpoints(seal: AuditSeal, checkpoints: Checkpoint[]): Promise<void> {
	if (checkpoints.length === 0) return;
	const { id, key } = seal.keys.current;
	const text = checkpoints
		.map((c) => {
			const line: CheckpointLine = { ...c, kid: id, mac: checkpointMac(key, c) };
			return `${JSON.stringify(line)}\n`;
		})
		.join('');
	mkdirSync(dirname(seal.checkpointFile), { recursive: true });
	const file = await open(seal.checkpointFile, 'a', 0o600);
	try {
		const { size } = await file.stat();
		let torn = false;
		if (size > 0) {
			const reader = await open(seal.checkpointFile, 'r');
			try {
				const last = Buffer.alloc(1);
				await reader.read(last, 0, 1, size - 1);
				torn = last[0] !== 0x0a;
			} finally {
				await reader.close();
			}
		}
		await file.write(torn ? `\n${text}` : text);
		await file.sync();
	} finally {
		await file.close();
	}
}

export interface CheckpointBook {
	/** Checkpoints whose signature holds, by school, in file order. */
	bySchool: Map<string, Checkpoint[]>;
	/** Lines whose signature does not hold, or is by a key not in the keyring. */
	bad: { line: number; school: string; why: 'unknown-key' | 'forged' }[];
	/** Lines that are not whole (a crash while writing one): they pin nothing, and say nothing. */
	torn: number;
}

/** What has been read of each checkpoint file: it only grows, so later reads start where this ended. */
const readSoFar = new Map<
	string,
	{ keys: AuditKeyring; offset: number; lines: number; book: CheckpointBook }
>();

/**
 * Reads and checks every checkpoint (a missing file is an empty book). The file is only ever
 * appended to, so each read parses just the lines added since the last one (whole lines only:
 * one being written is left for the next read). The book is shared: do not change it.
 */
export function readCheckpoints(seal: AuditSeal): CheckpointBook {
	const file = seal.checkpointFile;
	if (!existsSync(file)) {
		readSoFar.delete(file);
		return { bySchool: new Map(), bad: [], torn: 0 };
	}
	const size = statSync(file).size;
	let state = readSoFar.get(file);
	if (!state || state.keys !== seal.keys || size < state.offset) {
		state = {
			keys: seal.keys,
			offset: 0,
			lines: 0,
			book: { bySchool: new Map(), bad: [], torn: 0 }
		};
		readSoFar.set(file, state);
	}
	if (size === state.offset) return state.book;
	const fresh = Buffer.alloc(size - state.offset);
	const fd = openSync(file, 'r');
	try {
		readSync(fd, fresh, 0, fresh.length, state.offset);
	} finally {
		closeSync(fd);
	}
	const end = fresh.lastIndexOf(0x0a);
	if (end < 0) return state.book;
	for (const text of fresh.subarray(0, end).toString('utf8').split('\n')) {
		state.lines++;
		readLine(seal, state.book, text, state.lines);
	}
	state.offset += end + 1;
	return state.book;
}

function readLine(seal: AuditSeal, book: CheckpointBook, text: string, line: number): void {
	if (text.trim() === '') return;
	let parsed: CheckpointLine;
	try {
		parsed = JSON.parse(text) as CheckpointLine;
	} catch {
		book.torn++;
		return;
	}
	const school = typeof parsed.school === 'string' ? parsed.school : null;
	if (
		school === null ||
		(parsed.kind !== 'checkpoint' && parsed.kind !== 'legacy') ||
		!Number.isSafeInteger(parsed.count) ||
		parsed.count < 1 ||
		typeof parsed.head !== 'string' ||
		typeof parsed.at !== 'string' ||
		typeof parsed.mac !== 'string'
	) {
		if (school === null) book.torn++;
		else book.bad.push({ line, school, why: 'forged' });
		return;
	}
	const key = seal.keys.byId.get(parsed.kid);
	if (!key) {
		book.bad.push({ line, school, why: 'unknown-key' });
		return;
	}
	const checkpoint: Checkpoint = {
		kind: parsed.kind,
		school,
		count: parsed.count,
		head: parsed.head,
		at: parsed.at
	};
	const expected = Buffer.from(checkpointMac(key, checkpoint), 'hex');
	const given = Buffer.from(parsed.mac, 'hex');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		book.bad.push({ line, school, why: 'forged' });
		return;
	}
	const list = book.bySchool.get(school) ?? [];
	list.push(checkpoint);
	book.bySchool.set(school, list);
}

/** Makes sure the checkpoint file can be appended to, before anything depends on it. */
export async function openCheckpointFile(seal: AuditSeal): Promise<void> {
	mkdirSync(dirname(seal.checkpointFile), { recursive: true });
	const file = await open(seal.checkpointFile, 'a', 0o600);
	await file.close();
}
