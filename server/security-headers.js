/**
 * The security headers every Lantern response carries: one list, used by the SvelteKit hook
 * (pages, APIs and form actions it renders) and by the server in `server/index.js` (everything
 * else too: prerendered pages, static files, the service worker, redirects and 404s).
 * Plain JavaScript so that Node runs it as it is, without a build.
 */

/** @type {Readonly<Record<string, string>>} */
export const securityHeaders = Object.freeze({
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	'permissions-policy': 'camera=(self), microphone=(self), geolocation=()',
	'cross-origin-opener-policy': 'same-origin'
});

/**
 * For a document with no Content-Security-Policy header of its own: the prerendered pages carry
 * theirs in a meta tag, where frame-ancestors does not work.
 */
export const frameAncestorsPolicy = "frame-ancestors 'none'";

/**
 * Whether a response of this type could be shown as a page in a frame (HTML, SVG, XML, or no
 * type at all), and so needs frame-ancestors.
 * @param {string | undefined} contentType
 * @returns {boolean}
 */
export function isDocument(contentType) {
	if (!contentType) return true;
	const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
	return /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml)$/.test(
		type
	);
}

/** Sent only when Lantern's public address (ORIGIN) is https: a browser then never tries plain http. */
export const strictTransportSecurity = 'max-age=31536000; includeSubDomains';

/**
 * Staff pages, staff APIs, sign-in, a set-password link and first-run setup (whose answer holds the
 * first DSL's link) are never kept by a browser or a proxy.
 */
export const noStore = 'no-store';

/**
 * Whether a path is a staff page, a staff API or the sign-in page, whose responses must not be
 * stored. Takes the path as it arrived (encoded, perhaps with doubled slashes) and reads it as
 * SvelteKit routes it. Pupil and trip pages and `/_app/immutable` assets are never matched, so the
 * service worker's precache and the assets' long cache stay as they are.
 * @param {string} path
 * @returns {boolean}
 */
export function mustNotStore(path) {
	const raw = path.split(/[?#]/, 1)[0] ?? '';
	let decoded = raw;
	try {
		decoded = decodeURIComponent(raw);
	} catch {
		// A broken escape: judge the path as it came.
	}
	const tidy = decoded.replace(/\/{2,}/g, '/');
	return /^\/(staff|api\/staff|signin|signout|set-password|setup)(\/|$)/.test(tidy);
}

/**
 * Whether ORIGIN names an https address.
 * @param {string | undefined} origin
 * @returns {boolean}
 */
export function isHttpsOrigin(origin) {
	return typeof origin === 'string' && /^https:\/\//i.test(origin.trim());
}

/**
 * The headers to set on a response to `path`: the list above, HSTS on an https site, and
 * `Cache-Control: no-store` where `mustNotStore` says so.
 * @param {string} path
 * @param {boolean} https
 * @returns {Record<string, string>}
 */
export function headersFor(path, https) {
	/** @type {Record<string, string>} */
	const headers = { ...securityHeaders };
	if (https) headers['strict-transport-security'] = strictTransportSecurity;
	if (mustNotStore(path)) headers['cache-control'] = noStore;
	return headers;
}
