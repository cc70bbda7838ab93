import { describe, expect, it } from 'vitest';
import { hashToken } from '$lib/server/ids';
import { newCardSecret } from '$lib/server/services/card.service';
import { hashCard } from '$lib/client/card-hash';
import {
	base32,
	cardExpiry,
	cardHashInput,
	checkCard,
	formatCardToken,
	parseCardToken
} from './pupil-card';

describe('card token', () => {
	it('is L1, a 40-bit id and a 128-bit secret in upper-case base32', () => {
		const { cardId, secret } = newCardSecret();
		expect(cardId).toMatch(/^[A-Z2-7]{8}$/);
		expect(secret).toMatch(/^[A-Z2-7]{26}$/);
		expect(formatCardToken(cardId, secret)).toBe(`L1:${cardId}:${secret}`);
	});

	it('encodes base32 as RFC 4648 does', () => {
		expect(base32(new TextEncoder().encode('foobar'))).toBe('MZXW6YTBOI');
		expect(base32(new Uint8Array([0, 0, 0, 0, 0]))).toBe('AAAAAAAA');
	});

	it('reads back what it wrote, even with spaces around it', () => {
		expect(parseCardToken(' L1:ABCDEFGH:ABCDEFGHIJKLMNOPQRSTUVWXYZ\n')).toEqual({
			ok: true,
			cardId: 'ABCDEFGH',
			secret: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
		});
	});

	it.each([
		[
			'a web address',
			'https://lantern.example/L1:ABCDEFGH:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
			'not-a-card'
		],
		['random text', 'hello', 'not-a-card'],
		['lower case', 'l1:abcdefgh:abcdefghijklmnopqrstuvwxyz', 'not-a-card'],
		['a short secret', 'L1:ABCDEFGH:ABCDEF', 'damaged'],
		['letters base32 never uses', 'L1:ABCDEFG0:ABCDEFGHIJKLMNOPQRSTUVWXY1', 'damaged'],
		['an extra part', 'L1:ABCDEFGH:ABCDEFGHIJKLMNOPQRSTUVWXYZ:X', 'damaged'],
		['another version', 'L2:ABCDEFGH:ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'not-a-card']
	])('refuses %s', (_name, text, reason) => {
		expect(parseCardToken(text)).toEqual({ ok: false, reason });
	});
});

describe('card secret hashing', () => {
	it('gives the same hash on the server and in the browser', async () => {
		const { cardId, secret } = newCardSecret();
		expect(await hashCard(cardId, secret)).toBe(hashToken(cardHashInput(cardId, secret)));
	});
	it('binds the secret to its card id', async () => {
		expect(await hashCard('AAAAAAAA', 'S'.repeat(26))).not.toBe(
			await hashCard('BBBBBBBB', 'S'.repeat(26))
		);
	});
});

describe('card expiry', () => {
	it('ends on 31 August of the school year it was issued in', () => {
		expect(cardExpiry(new Date('2026-09-07T09:00:00Z')).toISOString()).toBe(
			'2027-08-31T23:59:59.000Z'
		);
		expect(cardExpiry(new Date('2027-03-01T09:00:00Z')).toISOString()).toBe(
			'2027-08-31T23:59:59.000Z'
		);
		expect(cardExpiry(new Date('2027-07-20T12:00:00Z')).toISOString()).toBe(
			'2027-08-31T23:59:59.000Z'
		);
	});

	it('gives cards printed in the last weeks of August to the next school year', () => {
		expect(cardExpiry(new Date('2027-08-20T12:00:00Z')).toISOString()).toBe(
			'2028-08-31T23:59:59.000Z'
		);
		expect(cardExpiry(new Date('2027-08-31T12:00:00Z')).toISOString()).toBe(
			'2028-08-31T23:59:59.000Z'
		);
	});
	it('follows a configured end of year', () => {
		expect(cardExpiry(new Date('2027-08-01T09:00:00Z'), { month: 7, day: 20 }).toISOString()).toBe(
			'2028-07-20T23:59:59.000Z'
		);
	});
});

describe('checking a scanned card against the roster, offline', () => {
	const now = new Date('2026-10-01T09:00:00Z');
	const cards = [
		{ cardId: 'AAAAAAAA', pupilId: 'p1', secretHash: 'h1', expiresAt: '2027-08-31T23:59:59Z' }
	];
	const card = { ok: true as const, cardId: 'AAAAAAAA', secret: 'X'.repeat(26) };

	it('signs in the pupil whose live card it is', () => {
		expect(checkCard(card, 'h1', cards, now)).toEqual({ ok: true, pupilId: 'p1' });
	});
	it('refuses a wrong secret, an unknown or revoked card, an expired card and a non-card', () => {
		expect(checkCard(card, 'h2', cards, now)).toEqual({ ok: false, reason: 'unknown' });
		expect(checkCard({ ...card, cardId: 'BBBBBBBB' }, 'h1', cards, now)).toEqual({
			ok: false,
			reason: 'unknown'
		});
		expect(checkCard(card, 'h1', cards, new Date('2027-09-01T00:00:00Z'))).toEqual({
			ok: false,
			reason: 'expired'
		});
		expect(checkCard({ ok: false, reason: 'not-a-card' }, null, cards, now)).toEqual({
			ok: false,
			reason: 'not-a-card'
		});
		expect(checkCard(card, null, cards, now)).toEqual({ ok: false, reason: 'unknown' });
	});
});
