import { createCipheriv, createDecipheriv, randomBytes, webcrypto } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
	openSealed,
	sealKeySchema,
	sealedBodySchema,
	type SealKey
} from '$lib/shared/sealed-outbox';
import type { LanternConfig } from '../config';
import type { AppContext } from '../context';
import {
	findDeviceKey,
	insertDeviceKey,
	newestDeviceKey,
	type DeviceKeyRow
} from '../repositories/device-key.repository';

/**
 * Each school's key pair for sealed outbox items (see `$lib/shared/sealed-outbox.ts`). The
 * public key goes to the school's devices with their roster; the private key never leaves the
 * server and is stored only sealed with AES-256-GCM under a key kept outside the database:
 * `LANTERN_DEVICE_KEY_SECRET`, or else a key file made on first use (mode 0600) at
 * `LANTERN_DEVICE_KEY_FILE`, by default `device-key.secret` beside the SQLite file.
 */

const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const ecdh = { name: 'ECDH', namedCurve: 'P-256' } as const;

/** Read once per process and file: the key that seals private keys in the database. */
const wrapKeys = new Map<string, Buffer>();

function wrapKey(config: LanternConfig): Buffer {
	if (config.deviceKey.secret) return Buffer.from(config.deviceKey.secret, 'base64');
	const file = config.deviceKey.file ?? join(dirname(config.databaseFile), 'device-key.secret');
	const known = wrapKeys.get(file);
	if (known) return known;
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		mkdirSync(dirname(file), { recursive: true });
		try {
			// `wx`: if another process made it first, use theirs.
			writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
		} catch (made) {
			if ((made as NodeJS.ErrnoException).code !== 'EEXIST') throw made;
		}
		text = readFileSync(file, 'utf8');
	}
	const key = Buffer.from(text.trim(), 'base64');
	if (key.length !== 32) throw new Error(`${file} must hold 32 bytes in base64`);
	wrapKeys.set(file, key);
	return key;
}

const bound = (schoolId: string, kid: string) =>
	Buffer.from(`lantern-device-key/1\n${schoolId}\n${kid}`);

function sealPrivate(config: LanternConfig, schoolId: string, kid: string, jwk: string): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', wrapKey(config), iv);
	cipher.setAAD(bound(schoolId, kid));
	const data = Buffer.concat([cipher.update(jwk, 'utf8'), cipher.final()]);
	return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
}

/** Throws if the key outside the database is not the one the row was sealed with. */
function openPrivate(config: LanternConfig, row: DeviceKeyRow): JsonWebKey {
	const bytes = Buffer.from(row.privateSealed, 'base64');
	const decipher = createDecipheriv('aes-256-gcm', wrapKey(config), bytes.subarray(0, 12));
	decipher.setAAD(bound(row.schoolId, row.id));
	decipher.setAuthTag(bytes.subarray(12, 28));
	const jwk = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
	return JSON.parse(jwk.toString('utf8')) as JsonWebKey;
}

const publicKeyOf = (row: DeviceKeyRow): SealKey =>
	sealKeySchema.parse({ kid: row.id, jwk: JSON.parse(row.publicJwk) as unknown });

/** The public key a school's devices seal to; the school's first key is made on first use. */
export async function schoolSealKey(ctx: AppContext, schoolId: string): Promise<SealKey> {
	const newest = await newestDeviceKey(ctx.db, schoolId);
	if (newest) return publicKeyOf(newest);
	const pair = await subtle.generateKey(ecdh, true, ['deriveBits']);
	const { kty, crv, x, y } = await subtle.exportKey('jwk', pair.publicKey);
	const privateJwk = JSON.stringify(await subtle.exportKey('jwk', pair.privateKey));
	// The first key's id is fixed, so two processes making it at once keep one of them.
	const kid = `${schoolId}.1`;
	await insertDeviceKey(ctx.db, {
		id: kid,
		schoolId,
		createdAt: ctx.clock.now().toISOString(),
		publicJwk: JSON.stringify({ kty, crv, x, y }),
		privateSealed: sealPrivate(ctx.config, schoolId, kid, privateJwk)
	});
	const made = await newestDeviceKey(ctx.db, schoolId);
	if (!made) throw new Error('The device key was not stored');
	return publicKeyOf(made);
}

export type Opened = { ok: true; body: unknown } | { ok: false; reason: string };

/**
 * Opens an item a device sealed. Anything that does not open (a changed byte, another
 * device's item, a key this school does not have, a point off the curve) is refused, never
 * thrown; only a server that cannot open its own key (the secret outside the database is
 * not the one it was sealed with) throws, so the device keeps the item and tries again.
 */
export async function openSealedItem(
	ctx: AppContext,
	device: { schoolId: string; deviceId: string },
	raw: unknown
): Promise<Opened> {
	const body = sealedBodySchema.safeParse(raw);
	if (!body.success) return { ok: false, reason: 'sealed: malformed' };
	const row = await findDeviceKey(ctx.db, device.schoolId, body.data.sealed.kid);
	if (!row) return { ok: false, reason: 'sealed: unknown key' };
	const privateKey = await subtle.importKey('jwk', openPrivate(ctx.config, row), ecdh, false, [
		'deriveBits'
	]);
	try {
		return { ok: true, body: await openSealed(body.data, device.deviceId, privateKey, subtle) };
	} catch {
		return { ok: false, reason: 'sealed: cannot be opened' };
	}
}
