import { describe, expect, it } from 'vitest';
import { parseCardToken } from '$lib/domain/pupil-card';
import { newCardSecret } from '$lib/server/services/card.service';
import { formatCardToken } from '$lib/domain/pupil-card';
import { cardFrame, type FrameOptions } from '../../../../test/fixtures/card-frame';
import { decodeLuminance } from './decode';

// Fixed tokens of the real shape, so every run draws the same codes; and one made the way
// the card service makes them.
const tokens = [
	'L1:QKZ7MBXA:G5TWC3NRYVHJ2LDP6EQ4KUSOAF',
	'L1:A2B3C4D5:ZZZZZZZZZZZZZZZZZZZZZZZZZZ',
	formatCardToken('MTRSKE2W', 'AAAAAAAAAAAAAAAAAAAAAAAAAA')
];
// Cards that once failed to read held dead straight, 6 px a module (the finder-pattern size
// arithmetic lands on an impossible size for them): the half-size second try reads them.
const onceStubborn = [
	'L1:OXVM7X2D:M3ROA4GBSA3P5KTNKEHGGMLLAA',
	'L1:LWFRU4NP:QMB2NJQ6EMSHTLVFTCQ6KCPNCA',
	'L1:YIXBFYWF:K4YRYYT5RKAB4JVYM2QG5ORJUM',
	'L1:CEO7VSWY:AIYIOZYOZG2YQWJWYJP3IP4F4Q'
];
const fresh = newCardSecret();
const token = formatCardToken(fresh.cardId, fresh.secret);

/**
 * What a camera stream gives the scanner: a few frames a moment apart, each a hair moved.
 * A card "reads" when any of three such frames decodes, as on a class iPad at ten frames a second.
 */
function readLikeACamera(text: string, options: FrameOptions): string | null {
	for (const [dx, turn] of [
		[0, 0],
		[0.004, 0.6],
		[-0.003, -0.5]
	] as const) {
		const centre = options.centre ?? { x: 0.5, y: 0.5 };
		const frame = cardFrame(text, {
			...options,
			rotate: (options.rotate ?? 0) + turn,
			centre: { x: centre.x + dx, y: centre.y }
		});
		const read = decodeLuminance(frame, 640, 480);
		if (read) return read;
	}
	return null;
}

describe('decoding card images with our scanner settings', () => {
	// What a phone or iPad camera reads: every one of these must decode to the exact token.
	const readable: [string, FrameOptions][] = [
		['held straight at arm’s length', { moduleSize: 6 }],
		['held far away (3 px a module)', { moduleSize: 3 }],
		['held close (12 px a module)', { moduleSize: 12 }],
		['turned a little (12°)', { rotate: 12 }],
		['turned a lot (45°)', { rotate: 45 }],
		['on its side (90°)', { rotate: 90 }],
		['upside down (180°)', { rotate: 180 }],
		['slightly out of focus', { blur: 1 }],
		['out of focus', { blur: 2, moduleSize: 8 }],
		['in dim light (low contrast)', { contrast: 0.3 }],
		['dim and blurred', { contrast: 0.4, blur: 1 }],
		['a thumb over a corner (12%)', { cover: { corner: 'bottom-right', fraction: 0.12 } }],
		['off-centre in the picture', { centre: { x: 0.3, y: 0.35 } }],
		['turned, far away and blurred', { rotate: 20, moduleSize: 4, blur: 1 }]
	];
	it.each(readable)('reads a card %s', (_name, options) => {
		for (const text of tokens) expect(readLikeACamera(text, options)).toBe(text);
	});

	it.each(onceStubborn)('reads %s held dead straight, in one frame', (text) => {
		expect(decodeLuminance(cardFrame(text, {}), 640, 480)).toBe(text);
	});

	it('reads a freshly issued card held up to the camera', () => {
		expect(readLikeACamera(token, {})).toBe(token);
	});

	// Named failures: no camera reads these either, and none may sign anyone in.
	const unreadable: [string, FrameOptions][] = [
		['with a finder pattern covered', { cover: { corner: 'top-left', fraction: 0.35 } }],
		['too small to see (1 px a module)', { moduleSize: 1 }],
		['far too blurred', { blur: 8 }],
		['with almost no contrast', { contrast: 0.02 }]
	];
	it.each(unreadable)('reads nothing from a card %s', (_name, options) => {
		expect(readLikeACamera(tokens[0]!, options)).toBeNull();
	});

	it('reads nothing from an empty picture', () => {
		expect(decodeLuminance(new Uint8ClampedArray(640 * 480).fill(90), 640, 480)).toBeNull();
	});

	it('reads other QR codes, which then sign nobody in', () => {
		const url = decodeLuminance(cardFrame('https://example.com/not-a-card'), 640, 480);
		expect(url).toBe('https://example.com/not-a-card');
		expect(parseCardToken(url!)).toEqual({ ok: false, reason: 'not-a-card' });
	});
});
