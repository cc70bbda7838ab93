import { readdirSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { demoStaff } from '$lib/server/demo/demo-school';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	credentialsFor,
	send,
	signInAs,
	type Credentials,
	type RawResponse
} from './support/credentials';
import { endpointsOnDisk, pathOf, roleFor, type Endpoint } from './support/routes';
import { startServer, type RunningServer } from './support/server';

/**
 * The attack: frame a Lantern page in another site (clickjacking), make a browser sniff a file
 * as script, or read a staff page back from a shared iPad's cache or a proxy. Every response —
 * every page, API, prerendered page, static file and 404 — must carry the security headers,
 * staff pages must never be stored, and an https site must send HSTS. The prerendered pupil,
 * trip and offline pages and the static files used to go out without them.
 */
const base: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	'permissions-policy': 'camera=(self), microphone=(self), geolocation=()',
	'cross-origin-opener-policy': 'same-origin'
};

const staffPath = /^\/(staff|api\/staff|signin|signout|set-password|setup)(\/|\?|$)/;

/** What is wrong with a response's headers, as a list (empty when all is well). */
function problems(path: string, response: RawResponse, options: { https: boolean }): string[] {
	const found: string[] = [];
	const header = (name: string) => {
		const value = response.headers[name];
		return Array.isArray(value) ? value.join(', ') : (value ?? '');
	};
	for (const [name, value] of Object.entries(base))
		if (header(name) !== value) found.push(`${name}: ${JSON.stringify(header(name))}`);
	// Anything a browser could show as a page in a frame: HTML, SVG, XML, or no type at all.
	const type = header('content-type').split(';')[0]!.trim();
	const document = type === '' || /html|svg|xml/.test(type);
	if (document && !header('content-security-policy').includes("frame-ancestors 'none'"))
		found.push(`content-security-policy: ${JSON.stringify(header('content-security-policy'))}`);
	if (staffPath.test(path) && header('cache-control') !== 'no-store')
		found.push(`cache-control: ${JSON.stringify(header('cache-control'))}`);
	const hsts = header('strict-transport-security');
	if (options.https && hsts !== 'max-age=31536000; includeSubDomains')
		found.push(`strict-transport-security: ${JSON.stringify(hsts)}`);
	if (!options.https && hsts !== '') found.push(`strict-transport-security on http: ${hsts}`);
	return found.map((p) => `${response.status} ${path} ${p}`);
}

function immutableAsset(): string {
	const dir = join('build', 'client', '_app', 'immutable', 'entry');
	const file = readdirSync(dir).find((name) => name.endsWith('.js'));
	if (!file) throw new Error('No immutable entry asset in build/');
	return `/_app/immutable/entry/${file}`;
}

const staticFiles = () => [
	'/manifest.webmanifest',
	'/service-worker.js',
	'/icons/lantern-192.png',
	'/icons/lantern.svg',
	'/app.css',
	immutableAsset()
];

describe('security headers on every response', () => {
	let server: RunningServer;
	let creds: Credentials;
	beforeAll(async () => {
		server = await startServer({ seed: 'demo-reports' });
		creds = await credentialsFor(server);
	});
	afterAll(async () => {
		await server?.stop();
		server?.cleanUp();
	});

	function authHeaders(endpoint: Endpoint): Record<string, string> {
		if (endpoint.auth === 'device') return { authorization: `Bearer ${creds.device}` };
		if (endpoint.auth === 'trip') return { authorization: `Bearer ${creds.trip}` };
		if (endpoint.auth !== 'staff') return {};
		const role = roleFor(endpoint);
		if (!role) throw new Error(`No role may use ${endpoint.routeId}`);
		return { cookie: creds.cookies[role] };
	}

	it('on every page and GET API on disk, signed in as a role that may see it', async () => {
		const gets = endpointsOnDisk().filter((e) => e.method === 'GET');
		expect(gets.length).toBeGreaterThan(30);
		const found: string[] = [];
		const statuses: string[] = [];
		for (const endpoint of gets) {
			const path = pathOf(endpoint, creds.params);
			const response = await send(server, {
				path,
				headers: authHeaders(endpoint),
				// The report stream never ends: its head is enough.
				headersOnly: endpoint.routeId.endsWith('/stream')
			});
			statuses.push(`${response.status} ${path}`);
			// The second sign-in step sends anyone not half signed in back to /signin (a redirect
			// is checked for its headers all the same).
			const redirectsAway = response.status === 303 && /^\/signin\/(code|enrol)$/.test(path);
			if (response.status !== 200 && !redirectsAway)
				found.push(`${response.status} ${path} is not the page`);
			found.push(...problems(path, response, { https: false }));
		}
		console.log(`security-headers: ${gets.length} pages and GET APIs checked`);
		expect(found, statuses.join('\n')).toEqual([]);
	});

	it('on the prerendered pupil, trip and offline pages, without stopping them being cached', async () => {
		const found: string[] = [];
		for (const path of ['/pupil', '/trip', '/shell']) {
			const response = await send(server, { path });
			expect(response.status).toBe(200);
			expect(response.headers['content-type']).toContain('text/html');
			found.push(...problems(path, response, { https: false }));
			// The service worker precaches these: never no-store.
			expect(response.headers['cache-control'] ?? '').not.toContain('no-store');
		}
		expect(found).toEqual([]);
	});

	it('on static files, the manifest, icons, the service worker and immutable assets (keeping their long cache)', async () => {
		const found: string[] = [];
		for (const path of staticFiles()) {
			const response = await send(server, { path });
			expect(response.status, path).toBe(200);
			found.push(...problems(path, response, { https: false }));
			if (path.startsWith('/_app/immutable/'))
				expect(response.headers['cache-control']).toContain('immutable');
			else expect(response.headers['cache-control'] ?? '').not.toContain('no-store');
		}
		expect(found).toEqual([]);
	});

	it('on device and trip API answers, refusals, redirects and 404s', async () => {
		const cases: { path: string; method?: string; headers?: Record<string, string> }[] = [
			{ path: '/api/device/roster', headers: { authorization: `Bearer ${creds.device}` } },
			{ path: '/api/device/roster' },
			{
				path: '/api/device/heartbeat',
				method: 'POST',
				headers: {
					authorization: `Bearer ${creds.device}`,
					origin: server.url,
					'content-type': 'application/json'
				}
			},
			{
				path: '/api/device/trip',
				method: 'POST',
				headers: {
					authorization: `Bearer ${creds.trip}`,
					origin: server.url,
					'content-type': 'application/json'
				}
			},
			{ path: '/api/device/trip', method: 'POST', headers: { origin: server.url } },
			{ path: '/api/staff/session', method: 'POST', headers: { origin: server.url } },
			{ path: '/staff/classes' },
			{ path: '/staff/people', headers: { cookie: creds.cookies.teacher } },
			{ path: '/staff/no-such-page', headers: { cookie: creds.cookies.admin } },
			{ path: '/st%61ff/classes', headers: { cookie: creds.cookies.admin } },
			{ path: '/signin' },
			{ path: '/signin?next=/staff/reports' },
			{ path: '/no-such-page' },
			{ path: '/icons/no-such-icon.png' },
			{ path: '/_app/immutable/no-such-file.js' },
			{ path: '/%' }
		];
		const found: string[] = [];
		for (const { path, method, headers } of cases) {
			const response = await send(server, { path, method, headers, body: '' });
			found.push(...problems(path, response, { https: false }));
		}
		expect(found).toEqual([]);
	});
});

describe('HSTS when the site is https', () => {
	let server: RunningServer;
	beforeAll(async () => {
		server = await startServer({
			seed: 'demo',
			env: { ORIGIN: 'https://lantern.example' }
		});
	});
	afterAll(async () => {
		await server?.stop();
		server?.cleanUp();
	});

	it('sends Strict-Transport-Security on pages, prerendered pages, static files and 404s', async () => {
		const found: string[] = [];
		for (const path of [
			'/signin',
			'/pupil',
			'/trip',
			'/shell',
			'/no-such-page',
			...staticFiles()
		]) {
			const response = await send(server, { path, headers: { host: 'lantern.example' } });
			found.push(...problems(path, response, { https: true }));
		}
		expect(found).toEqual([]);
	});
});

describe("Lantern's own server around the build", () => {
	let server: RunningServer;
	beforeAll(async () => {
		server = await startServer({ seed: 'demo', env: { SHUTDOWN_TIMEOUT: '1' } });
	});
	afterAll(async () => {
		await server?.stop();
		server?.cleanUp();
	});

	it('keeps to BODY_SIZE_LIMIT: a bigger body is refused with 413, with the headers', async () => {
		const response = await send(server, {
			method: 'POST',
			path: '/signin',
			headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'email=' + 'a'.repeat(2_200_000)
		});
		expect(response.status).toBe(413);
		expect(problems('/signin', response, { https: false })).toEqual([]);
	});

	it('stops on SIGTERM, closing a stream that never ends once SHUTDOWN_TIMEOUT has passed', async () => {
		const cookie = await signInAs(server, demoStaff.dsl.email);
		const stream = await new Promise<IncomingMessage>((resolve, reject) =>
			get(
				{
					host: '127.0.0.1',
					port: server.port,
					path: '/api/staff/reports/stream',
					headers: { cookie, accept: 'text/event-stream' },
					agent: false
				},
				resolve
			).on('error', reject)
		);
		expect(stream.statusCode).toBe(200);
		const closed = new Promise<void>((resolve) => stream.on('close', () => resolve()));
		stream.resume();
		// Resolves when the process has exited: with the stream still open, only the shutdown
		// timeout can end it.
		await server.stop();
		await closed;
		await expect(send(server, { path: '/signin' })).rejects.toThrow(/ECONNREFUSED/);
	});
});
