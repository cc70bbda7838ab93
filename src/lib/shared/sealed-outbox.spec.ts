import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	fromBase64,
	looksSealed,
	openSealed,
	sealItem,
	sealKeySchema,
	sealedBodySchema,
	toBase64,
	type SealKey,
	type SealedBody
} from './sealed-outbox';

// Node's own Web Crypto, as the server uses it to open what a device sealed.
const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const ecdh = { name: 'ECDH', namedCurve: 'P-256' } as const;

async function schoolKeys(): Promise<{ key: SealKey; privateKey: CryptoKey }> {
	const pair = await subtle.generateKey(ecdh, true, ['deriveBits']);
	const jwk = await subtle.exportKey('jwk', pair.publicKey);
	return {
		key: sealKeySchema.parse({ kid: 'school-1', jwk }),
		privateKey: pair.privateKey
	};
}

const worry = {
	id: '0c6b9d4e-3f0a-4c5e-9a63-8f1f2a1b7c10',
	pupilId: '5a3e0f9b-8e2c-4f0b-9d3c-2e1f0a9b8c7d',
	cardId: 'ABCDEFGH',
	words: 'Someone keeps messaging me at night',
	drawing: 'data:image/png;base64,iVBORw0KGgo=',
	voice: { mime: 'audio/mp4', data: toBase64(new Uint8Array(3000).fill(7)), seconds: 3 }
};
const device = 'device-1';

describe('a sealed outbox item', () => {
	it('opens on the server with the school’s private key, whole', async () => {
		const { key, privateKey } = await schoolKeys();
		const sealed = await sealItem(worry, { id: worry.id, deviceId: device, key }, subtle);
		expect(sealedBodySchema.safeParse(sealed).success).toBe(true);
		expect(looksSealed(sealed)).toBe(true);
		expect(await openSealed(sealed, device, privateKey, subtle)).toEqual(worry);
	});

	it('holds nothing of the worry in clear: no words, pupil, card or voice bytes', async () => {
		const { key } = await schoolKeys();
		const sealed = await sealItem(worry, { id: worry.id, deviceId: device, key }, subtle);
		const stored = JSON.stringify(sealed);
		for (const secret of [worry.words, worry.pupilId, worry.cardId, worry.voice.data, 'messaging'])
			expect(stored).not.toContain(secret);
		const bytes = new TextDecoder('latin1').decode(fromBase64(sealed.sealed.data));
		expect(bytes).not.toContain('messaging');
		// Only what the outbox needs to send it: the id, and the sealed rest.
		expect(Object.keys(sealed).sort()).toEqual(['id', 'sealed']);
	});

	it('is sealed afresh each time: a new ephemeral key and IV', async () => {
		const { key } = await schoolKeys();
		const a = await sealItem(worry, { id: worry.id, deviceId: device, key }, subtle);
		const b = await sealItem(worry, { id: worry.id, deviceId: device, key }, subtle);
		expect(a.sealed.epk.x).not.toBe(b.sealed.epk.x);
		expect(a.sealed.iv).not.toBe(b.sealed.iv);
		expect(a.sealed.data).not.toBe(b.sealed.data);
	});

	it('cannot be opened by the device: only a public key went into it', async () => {
		// Everything the device keeps is the sealed body and the school's public key; a key
		// pair of its own (standing in for anything it could make) opens nothing.
		const { key } = await schoolKeys();
		const sealed = await sealItem(worry, { id: worry.id, deviceId: device, key }, subtle);
		const own = await subtle.generateKey(ecdh, false, ['deriveBits']);
		await expect(openSealed(sealed, device, own.privateKey, subtle)).rejects.toThrow();
	});

	it('refuses a changed byte, another item id or another device', async () => {
		const { key, privateKey } = await schoolKeys();
		const sealed = await sealItem(worry, { id: worry.id, deviceId: device, key }, subtle);
		const data = fromBase64(sealed.sealed.data);
		data[5] = data[5]! ^ 1;
		const tampered: SealedBody = { ...sealed, sealed: { ...sealed.sealed, data: toBase64(data) } };
		await expect(openSealed(tampered, device, privateKey, subtle)).rejects.toThrow();
		const moved: SealedBody = { ...sealed, id: 'another-id' };
		await expect(openSealed(moved, device, privateKey, subtle)).rejects.toThrow();
		await expect(openSealed(sealed, 'device-2', privateKey, subtle)).rejects.toThrow();
	});

	it('carries a voice note of a minute (a megabyte of base64) without overflowing', async () => {
		const { key, privateKey } = await schoolKeys();
		const big = { ...worry, voice: { ...worry.voice, data: 'A'.repeat(1_000_000) } };
		const sealed = await sealItem(big, { id: worry.id, deviceId: device, key }, subtle);
		expect(sealedBodySchema.safeParse(sealed).success).toBe(true);
		expect(await openSealed(sealed, device, privateKey, subtle)).toEqual(big);
	});
});
