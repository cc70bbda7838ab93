import { describe, expect, it } from 'vitest';
import {
	base64FromBuffer,
	base64Length,
	baseMime,
	canRecord,
	chooseMimeType,
	fitsLimit,
	microphoneTrouble,
	recordedSeconds,
	secondsLeft,
	wouldOverflow
} from './voice';

describe('choosing a recording type', () => {
	it('prefers mp4, as iPads record it', () => {
		expect(chooseMimeType(() => true)).toBe('audio/mp4');
	});

	it('falls back to webm with Opus, then plain webm', () => {
		expect(chooseMimeType((type) => type.startsWith('audio/webm'))).toBe('audio/webm;codecs=opus');
		expect(chooseMimeType((type) => type === 'audio/webm')).toBe('audio/webm');
	});

	it('gives null when nothing is supported, or the check throws', () => {
		expect(chooseMimeType(() => false)).toBeNull();
		expect(
			chooseMimeType(() => {
				throw new Error('unknown type');
			})
		).toBeNull();
	});

	it('keeps only the type, without codecs', () => {
		expect(baseMime('audio/webm;codecs=opus')).toBe('audio/webm');
		expect(baseMime('Audio/MP4; codecs="mp4a.40.2"')).toBe('audio/mp4');
		expect(baseMime('')).toBe('');
	});
});

describe('base64', () => {
	const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) % 256);

	it.each([0, 1, 2, 3, 4, 5, 100])('encodes %i bytes like Node does', (n) => {
		const input = bytes(n);
		expect(base64FromBuffer(input.buffer)).toBe(Buffer.from(input).toString('base64'));
	});

	it('encodes in pieces without changing the result', () => {
		const input = bytes(200_003);
		const expected = Buffer.from(input).toString('base64');
		expect(base64FromBuffer(input)).toBe(expected);
		// Piece sizes that are not a multiple of three are rounded down to one.
		expect(base64FromBuffer(input, 1000)).toBe(expected);
		expect(base64FromBuffer(input, 1)).toBe(expected);
	});

	it('has no data: prefix', () => {
		expect(base64FromBuffer(new TextEncoder().encode('hi').buffer)).toBe('aGk=');
	});

	it('knows the encoded length before encoding', () => {
		for (const n of [0, 1, 2, 3, 4, 1000, 1001]) {
			expect(base64Length(n)).toBe(Buffer.from(bytes(n)).toString('base64').length);
		}
	});
});

describe('the size limit', () => {
	it('allows a note whose base64 is at most the limit', () => {
		expect(fitsLimit(750_000, 1_000_000)).toBe(true);
		expect(fitsLimit(750_001, 1_000_000)).toBe(false);
	});

	it('says to stop when one more piece like the last would not fit', () => {
		expect(wouldOverflow(600_000, 40_000, 1_000_000)).toBe(false);
		expect(wouldOverflow(720_000, 40_000, 1_000_000)).toBe(true);
	});
});

describe('the clock', () => {
	it('counts whole seconds down from the most allowed', () => {
		expect(secondsLeft(0, 60)).toBe(60);
		expect(secondsLeft(100, 60)).toBe(60);
		expect(secondsLeft(1000, 60)).toBe(59);
		expect(secondsLeft(59_500, 60)).toBe(1);
		expect(secondsLeft(60_000, 60)).toBe(0);
		expect(secondsLeft(75_000, 60)).toBe(0);
		expect(secondsLeft(-500, 60)).toBe(60);
	});

	it('reports a note as at least one second and at most the limit', () => {
		expect(recordedSeconds(300, 60)).toBe(1);
		expect(recordedSeconds(12_400, 60)).toBe(12);
		expect(recordedSeconds(12_600, 60)).toBe(13);
		expect(recordedSeconds(60_400, 60)).toBe(60);
	});
});

describe('microphone trouble', () => {
	it('tells a refusal from a missing microphone', () => {
		expect(microphoneTrouble(new DOMException('no', 'NotAllowedError'))).toBe('denied');
		expect(microphoneTrouble({ name: 'SecurityError' })).toBe('denied');
		expect(microphoneTrouble(new DOMException('none', 'NotFoundError'))).toBe('noMicrophone');
		expect(microphoneTrouble(new DOMException('busy', 'NotReadableError'))).toBe('noMicrophone');
		expect(microphoneTrouble('strange')).toBe('noMicrophone');
		expect(microphoneTrouble(null)).toBe('noMicrophone');
	});
});

describe('whether this device can record', () => {
	const getUserMedia = () => Promise.resolve();
	class Recorder {}

	it('needs both getUserMedia and MediaRecorder', () => {
		expect(
			canRecord({ navigator: { mediaDevices: { getUserMedia } }, MediaRecorder: Recorder })
		).toBe(true);
		expect(canRecord({ navigator: { mediaDevices: { getUserMedia } } })).toBe(false);
		expect(canRecord({ navigator: {}, MediaRecorder: Recorder })).toBe(false);
		expect(canRecord({})).toBe(false);
	});

	it('is false in this test browser, which has neither', () => {
		expect(canRecord(globalThis)).toBe(false);
	});
});
