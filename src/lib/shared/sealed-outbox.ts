import { z } from 'zod';

/**
 * An outbox item sealed on a class device, so that a worry waiting to be sent cannot be read
 * from the device's storage, not even by the device itself. Shared by the device (which seals)
 * and the server (which opens); both use Web Crypto (the browser's, or Node's).
 *
 * The server gives each school an ECDH P-256 key pair and hands the public half to devices
 * with their roster. To seal: a fresh (ephemeral) ECDH P-256 key pair, ECDH with the school's
 * public key, HKDF-SHA-256 to an AES-GCM-256 key, and AES-GCM over the whole item with the item
 * id and the device id as associated data. Only the ciphertext, the ephemeral public key and
 * the IV are kept; the ephemeral private key and the AES key are never exported and are
 * dropped at once, so nothing on the device can open the item again.
 */

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;
const coordinate = z
	.string()
	.min(43)
	.max(44)
	.regex(/^[A-Za-z0-9_-]+$/);
const publicJwkSchema = z.object({
	kty: z.literal('EC'),
	crv: z.literal('P-256'),
	x: coordinate,
	y: coordinate
});

/** The school's public key, as the roster hands it to a device. */
export const sealKeySchema = z.object({
	kid: z.string().min(1).max(100),
	jwk: publicJwkSchema
});
export type SealKey = z.output<typeof sealKeySchema>;

/** The largest sealed item: a report's drawing and voice note, base64 once more. */
export const sealedDataMaxLength = 2_000_000;

/** What is stored in the outbox and sent: the item's id, and the sealed rest. */
export const sealedBodySchema = z.object({
	id: z.string().min(1).max(64),
	sealed: z.object({
		v: z.literal(1),
		kid: z.string().min(1).max(100),
		epk: publicJwkSchema,
		iv: z.string().length(16).regex(base64),
		data: z.string().min(24).max(sealedDataMaxLength).regex(base64)
	})
});
export type SealedBody = z.output<typeof sealedBodySchema>;

/** Whether a body sent to the server claims to be sealed (then it must open, or it is refused). */
export function looksSealed(raw: unknown): boolean {
	return typeof raw === 'object' && raw !== null && 'sealed' in raw;
}

const info = new TextEncoder().encode('lantern-outbox/1');
const salt = new Uint8Array(32);
const ecdh = { name: 'ECDH', namedCurve: 'P-256' } as const;

/** What the ciphertext is bound to: the item's id and the device that sealed it. */
export function associatedData(id: string, deviceId: string): Uint8Array<ArrayBuffer> {
	return new TextEncoder().encode(`lantern-outbox/1\n${id}\n${deviceId}`);
}

async function aesKey(
	subtle: SubtleCrypto,
	privateKey: CryptoKey,
	publicKey: CryptoKey,
	use: 'encrypt' | 'decrypt'
): Promise<CryptoKey> {
	const shared = await subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
	const hkdf = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
	return subtle.deriveKey(
		{ name: 'HKDF', hash: 'SHA-256', salt, info },
		hkdf,
		{ name: 'AES-GCM', length: 256 },
		false,
		[use]
	);
}

/** Seals `item` (anything JSON can carry) for the school whose public key is `key`. */
export async function sealItem(
	item: unknown,
	to: { id: string; deviceId: string; key: SealKey },
	subtle: SubtleCrypto = globalThis.crypto.subtle
): Promise<SealedBody> {
	const school = await subtle.importKey('jwk', { ...to.key.jwk, ext: true }, ecdh, false, []);
	// Not extractable: its private half can never leave Web Crypto (a public key always can).
	const ephemeral = await subtle.generateKey(ecdh, false, ['deriveBits']);
	const key = await aesKey(subtle, ephemeral.privateKey, school, 'encrypt');
	const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
	const plain = new TextEncoder().encode(JSON.stringify(item));
	const data = await subtle.encrypt(
		{ name: 'AES-GCM', iv, additionalData: associatedData(to.id, to.deviceId) },
		key,
		plain
	);
	const epk = (await subtle.exportKey('jwk', ephemeral.publicKey)) as {
		x: string;
		y: string;
	};
	return {
		id: to.id,
		sealed: {
			v: 1,
			kid: to.key.kid,
			epk: { kty: 'EC', crv: 'P-256', x: epk.x, y: epk.y },
			iv: toBase64(iv),
			data: toBase64(new Uint8Array(data))
		}
	};
}

/**
 * Opens a sealed body with the school's private key. Throws if anything does not fit: another
 * id or device, a changed byte, a key that is not the one it was sealed to.
 */
export async function openSealed(
	body: SealedBody,
	deviceId: string,
	privateKey: CryptoKey,
	subtle: SubtleCrypto = globalThis.crypto.subtle
): Promise<unknown> {
	const epk = await subtle.importKey('jwk', { ...body.sealed.epk, ext: true }, ecdh, false, []);
	const key = await aesKey(subtle, privateKey, epk, 'decrypt');
	const plain = await subtle.decrypt(
		{
			name: 'AES-GCM',
			iv: fromBase64(body.sealed.iv),
			additionalData: associatedData(body.id, deviceId)
		},
		key,
		fromBase64(body.sealed.data)
	);
	return JSON.parse(new TextDecoder().decode(plain)) as unknown;
}

/** Base64 of bytes, a piece at a time (a voice note is too long for one call). */
export function toBase64(bytes: Uint8Array): string {
	let text = '';
	for (let at = 0; at < bytes.length; at += 0x8000)
		text += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
	return btoa(text);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}
