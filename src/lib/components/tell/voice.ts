/** The recording logic behind VoiceNote, kept free of the DOM so it can be tested. */

/** iPads record mp4 (AAC); other browsers record webm (Opus). The first one supported wins. */
export const preferredMimeTypes = ['audio/mp4', 'audio/webm;codecs=opus', 'audio/webm'] as const;
/** Speech stays clear at 32 kbit/s, and a minute is then about 240 kB. */
export const audioBitsPerSecond = 32_000;
/** The recorder hands over a piece every second, so the size can be watched as it grows. */
export const chunkMs = 1000;

export function chooseMimeType(isSupported: (type: string) => boolean): string | null {
	for (const type of preferredMimeTypes) {
		try {
			if (isSupported(type)) return type;
		} catch {
			// Some browsers throw for types they don't know; that's a no.
		}
	}
	return null;
}

/** 'audio/webm;codecs=opus' → 'audio/webm': the server and <audio> need only the type. */
export function baseMime(type: string): string {
	return (type.split(';')[0] ?? '').trim().toLowerCase();
}

/** The length of the base64 text for this many bytes. */
export function base64Length(bytes: number): number {
	return Math.ceil(Math.max(0, bytes) / 3) * 4;
}

export function fitsLimit(bytes: number, maxBase64: number): boolean {
	return base64Length(bytes) <= maxBase64;
}

/** Whether one more piece as big as the last would pass the limit, so it is time to stop. */
export function wouldOverflow(bytesSoFar: number, lastPiece: number, maxBase64: number): boolean {
	return !fitsLimit(bytesSoFar + lastPiece, maxBase64);
}

/**
 * Base64 of the bytes, without a `data:` prefix. Done in pieces whose length is a multiple
 * of three, so each piece encodes on its own and no huge argument list or string is built.
 */
export function base64FromBuffer(buffer: ArrayBuffer | Uint8Array, pieceBytes = 3 * 8192): string {
	const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
	const step = Math.max(3, pieceBytes - (pieceBytes % 3));
	const parts: string[] = [];
	for (let start = 0; start < bytes.length; start += step) {
		parts.push(btoa(String.fromCharCode(...bytes.subarray(start, start + step))));
	}
	return parts.join('');
}

/** Whole seconds left, counting down from maxSeconds; it shows 0 only when time is up. */
export function secondsLeft(elapsedMs: number, maxSeconds: number): number {
	const left = Math.ceil(maxSeconds - Math.max(0, elapsedMs) / 1000);
	return Math.min(maxSeconds, Math.max(0, left));
}

/** The length to report for a recording: whole seconds, at least 1, at most maxSeconds. */
export function recordedSeconds(elapsedMs: number, maxSeconds: number): number {
	return Math.min(maxSeconds, Math.max(1, Math.round(elapsedMs / 1000)));
}

export type MicrophoneTrouble = 'denied' | 'noMicrophone';

/** Sorts a getUserMedia failure into "the iPad said no" and "there is nothing to record with". */
export function microphoneTrouble(error: unknown): MicrophoneTrouble {
	const name =
		typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
	return ['NotAllowedError', 'SecurityError', 'PermissionDeniedError'].includes(name)
		? 'denied'
		: 'noMicrophone';
}

/** The parts of the browser that recording needs; `globalThis` in the app. */
export interface RecordingScope {
	navigator?: { mediaDevices?: { getUserMedia?: unknown } };
	MediaRecorder?: unknown;
}

/** False on the server, on pages not served over HTTPS, and where MediaRecorder is missing. */
export function canRecord(scope: RecordingScope): boolean {
	return (
		typeof scope.navigator?.mediaDevices?.getUserMedia === 'function' &&
		typeof scope.MediaRecorder === 'function'
	);
}

/** A finished voice note: `data` is base64 without a `data:` prefix. */
export interface VoiceRecording {
	mime: string;
	data: string;
	seconds: number;
}
