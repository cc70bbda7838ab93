/**
 * Lantern's server: adapter-node's request handler (`build/handler.js`) inside a plain Node
 * HTTP server of our own, so that EVERY response carries the security headers — the
 * prerendered pupil, trip and offline pages, the service worker, the manifest, icons and
 * `/_app/immutable` assets too, which adapter-node serves without passing through SvelteKit's
 * hook (`src/hooks.server.ts`).
 *
 *   node server [build directory]      (default: the `build` folder next to this one)
 *
 * It reads adapter-node's settings as `node build` does: PORT, HOST, SOCKET_PATH,
 * SHUTDOWN_TIMEOUT, KEEP_ALIVE_TIMEOUT, HEADERS_TIMEOUT here, and ORIGIN, ADDRESS_HEADER,
 * XFF_DEPTH, PROTOCOL_HEADER, HOST_HEADER, PORT_HEADER and BODY_SIZE_LIMIT in the handler itself.
 * SIGTERM and SIGINT stop it gracefully: no new connections, requests in flight may finish
 * (for up to SHUTDOWN_TIMEOUT seconds), then `sveltekit:shutdown` is emitted for the app.
 */
import http from 'node:http';
import { resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { frameAncestorsPolicy, headersFor, isDocument, isHttpsOrigin } from './security-headers.js';

const buildDir = process.argv[2]
	? resolve(process.argv[2])
	: fileURLToPath(new URL('../build', import.meta.url));

/** @type {{ handler: (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void }} */
const { handler } = await import(pathToFileURL(resolve(buildDir, 'handler.js')).href);

const socketPath = process.env.SOCKET_PATH;
const host = process.env.HOST ?? '0.0.0.0';
const port = process.env.PORT ?? (socketPath ? undefined : '3000');
const shutdownTimeout = seconds('SHUTDOWN_TIMEOUT') ?? 30;
const https = isHttpsOrigin(process.env.ORIGIN);

/**
 * @param {string} name
 * @returns {number | undefined}
 */
function seconds(name) {
	const value = process.env[name];
	if (value === undefined || value === '') return undefined;
	const parsed = Number.parseInt(value, 10);
	if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`Invalid ${name}: '${value}'`);
	return parsed;
}

/**
 * Adds the security headers to a response just before its head is written, however it is
 * written: `writeHead` with or without headers, or implicitly by the first `write`/`end`
 * (Node calls `writeHead` for that too). Headers the handler chose are kept unless they are
 * ours to set.
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
function guard(req, res) {
	const writeHead = res.writeHead;
	/** @type {(...args: unknown[]) => http.ServerResponse} */
	const guarded = function (statusCode, ...rest) {
		const headers = typeof rest[0] === 'string' ? rest[1] : rest[0];
		const reason = typeof rest[0] === 'string' ? rest[0] : undefined;
		if (Array.isArray(headers)) {
			// [name, value, name, value, ...] or [[name, value], ...]: they replace what was set.
			const pairs = Array.isArray(headers[0])
				? /** @type {[string, string][]} */ (headers)
				: chunk(/** @type {string[]} */ (headers));
			for (const [name] of pairs) res.removeHeader(name);
			for (const [name, value] of pairs) res.appendHeader(name, value);
		} else if (headers && typeof headers === 'object') {
			for (const [name, value] of Object.entries(headers)) {
				if (value !== undefined)
					res.setHeader(name, /** @type {string | string[] | number} */ (value));
			}
		}
		for (const [name, value] of Object.entries(headersFor(req.url ?? '/', https))) {
			res.setHeader(name, value);
		}
		const type = res.getHeader('content-type');
		if (!res.hasHeader('content-security-policy') && isDocument(type?.toString())) {
			res.setHeader('content-security-policy', frameAncestorsPolicy);
		}
		res.writeHead = writeHead;
		return reason === undefined
			? writeHead.call(res, /** @type {number} */ (statusCode))
			: writeHead.call(res, /** @type {number} */ (statusCode), reason);
	};
	res.writeHead = /** @type {typeof res.writeHead} */ (/** @type {unknown} */ (guarded));
}

/**
 * @param {string[]} flat
 * @returns {[string, string][]}
 */
function chunk(flat) {
	/** @type {[string, string][]} */
	const pairs = [];
	for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([String(flat[i]), String(flat[i + 1])]);
	return pairs;
}

/** @type {NodeJS.Timeout | undefined} */
let forceClose;

const server = http.createServer((req, res) => {
	req.on('close', () => {
		// While stopping, close each connection as soon as it is idle.
		if (forceClose) server.closeIdleConnections();
	});
	guard(req, res);
	try {
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	} catch (error) {
		console.error(error);
		if (!res.headersSent) res.statusCode = 500;
		res.end();
	}
});

const keepAlive = seconds('KEEP_ALIVE_TIMEOUT');
if (keepAlive !== undefined) server.keepAliveTimeout = keepAlive * 1000;
const headersTimeout = seconds('HEADERS_TIMEOUT');
if (headersTimeout !== undefined) server.headersTimeout = headersTimeout * 1000;

const listening = () => {
	const where = socketPath ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
	console.log(`Listening on ${where}`);
};
if (socketPath) server.listen(socketPath, listening);
else server.listen(Number(port), host, listening);

/** @param {NodeJS.Signals} signal */
function stop(signal) {
	if (forceClose) return;
	forceClose = setTimeout(() => server.closeAllConnections(), shutdownTimeout * 1000);
	server.closeIdleConnections();
	server.close(() => {
		clearTimeout(forceClose);
		// adapter-node's own event, for anything in the app that wants to close cleanly.
		process.emit('sveltekit:shutdown', signal);
	});
}

process.on('SIGTERM', stop);
process.on('SIGINT', stop);
