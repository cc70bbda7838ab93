/**
 * Reads a JSON request body with limits checked before any parsing work: its size (from the
 * announced length, then counted as it arrives, so a huge body is never held whole) and how
 * deeply it nests (a scan of the text, so `JSON.parse` and everything after it only ever see
 * shallow values). Every JSON POST endpoint reads its body through this.
 */

export interface JsonLimits {
	/** The largest body taken, in bytes. */
	maxBytes: number;
	/** The deepest nesting of arrays and objects taken. */
	maxDepth?: number;
}

export type JsonBody =
	| { ok: true; value: unknown }
	| {
			ok: false;
			status: 400 | 413;
			reason: 'too-big' | 'too-deep' | 'not-json';
			/** A calm sentence for whoever sent it (a device shows it to staff). */
			error: string;
			/** The text as received, when it was read (not for a body refused for its size). */
			text?: string;
	  };

/** Deep enough for every body Lantern takes (a report nests three levels). */
export const defaultMaxDepth = 32;
/** Most JSON endpoints take small bodies: a heartbeat, a check, a list of ids. */
export const smallJsonBytes = 256 * 1024;

const tooBig = (maxBytes: number): JsonBody => ({
	ok: false,
	status: 413,
	reason: 'too-big',
	error: `This request is too large (the limit is ${Math.floor(maxBytes / 1024)} KB).`
});

export async function readJsonBody(request: Request, limits: JsonLimits): Promise<JsonBody> {
	const announced = Number(request.headers.get('content-length') ?? '');
	if (Number.isFinite(announced) && announced > limits.maxBytes) {
		if (request.body) await discardRest(request.body.getReader());
		return tooBig(limits.maxBytes);
	}
	const text = await readText(request, limits.maxBytes);
	if (text === null) return tooBig(limits.maxBytes);
	if (nestingDepth(text, limits.maxDepth ?? defaultMaxDepth) > (limits.maxDepth ?? defaultMaxDepth))
		return {
			ok: false,
			status: 400,
			reason: 'too-deep',
			error: 'This request is nested too deeply to be read.',
			text
		};
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return {
			ok: false,
			status: 400,
			reason: 'not-json',
			error: 'This request could not be read as JSON.',
			text
		};
	}
}

/** The body as text, or null as soon as it passes `maxBytes`. */
async function readText(request: Request, maxBytes: number): Promise<string | null> {
	if (!request.body) return '';
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > maxBytes) {
				await discardRest(reader);
				return null;
			}
			chunks.push(value);
		}
	} catch {
		// A body cut off half way is as unreadable as a malformed one.
		return '\u0000';
	}
	const all = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		all.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return new TextDecoder().decode(all);
}

/**
 * Reads what is left of a refused body and lets it go. Cancelling instead closes the connection
 * with bytes unread, and the sender's system may then drop our answer (a TCP reset) before the
 * sender reads it: the calm 413 would arrive as "no answer". The adapter's BODY_SIZE_LIMIT
 * bounds what is read here.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	try {
		for (;;) {
			const { done } = await reader.read();
			if (done) return;
		}
	} catch {
		// Cut off, or over the adapter's limit: nothing more to read.
	}
}

/**
 * How deeply the arrays and objects in a JSON text nest, counting brackets outside strings;
 * it stops counting once past `stopAt`. Malformed text is left for `JSON.parse` to refuse.
 */
export function nestingDepth(text: string, stopAt = Infinity): number {
	let depth = 0;
	let deepest = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c) i++;
			else if (c === 0x22) inString = false;
		} else if (c === 0x22) inString = true;
		else if (c === 0x5b || c === 0x7b) {
			depth++;
			if (depth > deepest) {
				deepest = depth;
				if (deepest > stopAt) return deepest;
			}
		} else if (c === 0x5d || c === 0x7d) depth--;
	}
	return deepest;
}

/** The calm answer to a body refused by `readJsonBody`: its status and a sentence, never a 500. */
export function refusal(read: Extract<JsonBody, { ok: false }>): Response {
	return Response.json({ error: read.error }, { status: read.status });
}
