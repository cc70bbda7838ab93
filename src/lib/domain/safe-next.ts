/**
 * Where to go after signing in: only a path on this site. The value comes from the query
 * string, so anything may be in it. It is read as a browser would read it (against a
 * stand-in origin, with `new URL`) and kept only when it stays on that origin; control
 * characters (a browser drops tabs and newlines, so `/\t/evil` becomes `//evil`), backslashes
 * (read as `/`) and a leading `//` (another host) are refused outright. The answer is the
 * path and query, percent-encoded, so it is always safe in a `Location` header.
 */
const standIn = 'https://lantern.invalid';

// C0 controls, DEL and C1 controls, and the backslash.
// eslint-disable-next-line no-control-regex
const refused = /[\u0000-\u001f\u007f-\u009f\\]/;

export function safeNext(raw: string | null | undefined, fallback = '/staff'): string {
	if (!raw || raw.length > 2000 || refused.test(raw)) return fallback;
	if (!raw.startsWith('/') || raw.startsWith('//')) return fallback;
	let url: URL;
	try {
		url = new URL(raw, standIn);
	} catch {
		return fallback;
	}
	if (url.origin !== standIn) return fallback;
	const path = url.pathname + url.search;
	if (!path.startsWith('/') || path.startsWith('//') || refused.test(path)) return fallback;
	return path;
}
