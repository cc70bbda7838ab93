import jsQR from 'jsqr';
import { decodeLuminance, decodeWithDefaults } from '../src/lib/client/scanner/decode';
import { formatCardToken } from '../src/lib/domain/pupil-card';
import { newCardSecret } from '../src/lib/server/services/card.service';
import { cardFrame, type FrameOptions } from '../test/fixtures/card-frame';
import { median, report } from './report';

const width = 640;
const height = 480;
const runs = 300;

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Time to decode one 640×480 frame holding a card, over a mix of the frames a class iPad
 * sees (near, far, turned, soft), for our settings, for ZXing's defaults, and for jsQR.
 */
export function decodeTimes(): void {
	const token = formatCardToken(newCardSecret().cardId, newCardSecret().secret);
	const variants: FrameOptions[] = [
		{ moduleSize: 6 },
		{ moduleSize: 4, rotate: 10 },
		{ moduleSize: 8, rotate: -15, blur: 1 },
		{ moduleSize: 5, contrast: 0.5 },
		{ moduleSize: 7, rotate: 30, centre: { x: 0.4, y: 0.45 } }
	];
	const frames = variants.map((v) => cardFrame(token, v));
	const rgba = frames.map((lum) => {
		const out = new Uint8ClampedArray(width * height * 4);
		for (let i = 0; i < lum.length; i++) out.set([lum[i]!, lum[i]!, lum[i]!, 255], i * 4);
		return out;
	});
	const decoders: [string, (i: number) => string | null][] = [
		['our scanner settings (ZXing, QR only)', (i) => decodeLuminance(frames[i]!, width, height)],
		['ZXing defaults (all formats)', (i) => decodeWithDefaults(frames[i]!, width, height)],
		['jsQR', (i) => jsQR(rgba[i]!, width, height)?.data ?? null]
	];
	for (const [name, decode] of decoders) {
		for (let i = 0; i < 20; i++) decode(i % frames.length); // warm up the JIT
		const times: number[] = [];
		let misses = 0;
		for (let i = 0; i < runs; i++) {
			const started = performance.now();
			const text = decode(i % frames.length);
			times.push(performance.now() - started);
			if (text !== token) misses++;
		}
		report(
			`QR decode 640×480, ${name}, median`,
			median(times),
			'ms',
			name.startsWith('our') ? '≤ 15 ms' : undefined
		);
		report(`QR decode 640×480, ${name}, p95`, percentile(times, 95), 'ms');
		report(`QR decode 640×480, ${name}, frames not read`, misses, `of ${runs}`);
	}
}
