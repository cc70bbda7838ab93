import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { nextCode } from './support/second-factor';
import { startServer, type RunningServer } from './support/server';

/** HTTP-level checks against the production server: headers, cookies and refusals. */
describe('security basics', () => {
	let server: RunningServer;
	beforeAll(async () => (server = await startServer({ seed: 'demo' })));
	afterAll(async () => {
		await server?.stop();
		server?.cleanUp();
	});

	const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
		fetch(server.url + path, {
			method: 'POST',
			body,
			headers: { origin: server.url, accept: 'text/html', ...headers },
			redirect: 'manual'
		});

	async function signIn(email: string): Promise<string> {
		const response = await post('/signin', new URLSearchParams({ email, password: demoPassword }), {
			'content-type': 'application/x-www-form-urlencoded'
		});
		expect(response.status).toBe(303);
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith('lantern_session='));
		expect(cookie).toBeDefined();
		const half = cookie!.split(';')[0]!;
		if (!response.headers.get('location')?.startsWith('/signin/code')) return half;
		// The DSL and admin: the second step, with a code from the demo's authenticator secret.
		const passed = await post(
			'/signin/code?/code',
			new URLSearchParams({ code: await nextCode(server.url, email) }),
			{ 'content-type': 'application/x-www-form-urlencoded', cookie: half }
		);
		expect(passed.status).toBe(303);
		const full = passed.headers.getSetCookie().find((c) => c.startsWith('lantern_session='));
		expect(full).toBeDefined();
		return full!.split(';')[0]!;
	}

	it('sends a strict Content-Security-Policy and the other security headers', async () => {
		const response = await fetch(server.url + '/signin');
		const csp = response.headers.get('content-security-policy') ?? '';
		const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
		expect(scriptSrc).toContain("'self'");
		expect(scriptSrc).not.toContain('unsafe-inline');
		expect(scriptSrc).not.toContain('unsafe-eval');
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("object-src 'none'");
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('same-origin');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
	});

	it('sets the session cookie HttpOnly and SameSite, and not Secure only on http://localhost (Safari drops it there)', async () => {
		const response = await post(
			'/signin',
			new URLSearchParams({ email: demoStaff.admin.email, password: demoPassword }),
			{
				'content-type': 'application/x-www-form-urlencoded'
			}
		);
		const cookie =
			response.headers.getSetCookie().find((c) => c.startsWith('lantern_session=')) ?? '';
		expect(cookie).toMatch(/; HttpOnly/i);
		// The demo's address: a Secure cookie would never come back from Safari. Every other
		// address gets Secure (cookies.spec.ts).
		expect(server.url).toMatch(/^http:\/\/localhost:/);
		expect(cookie).not.toMatch(/; Secure/i);
		expect(cookie).toMatch(/; SameSite=Strict/i);
		expect(cookie).not.toMatch(/Max-Age|Expires/i);
	});

	it('refuses a form posted from another site', async () => {
		const session = await signIn(demoStaff.admin.email);
		const response = await fetch(server.url + '/staff/classes?/add', {
			method: 'POST',
			body: new URLSearchParams({ name: 'Forged', yearGroup: '3' }),
			headers: {
				cookie: session,
				origin: 'https://evil.example',
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			redirect: 'manual'
		});
		expect(response.status).toBe(403);
		const page = await (
			await fetch(server.url + '/staff/classes', { headers: { cookie: session } })
		).text();
		expect(page).not.toContain('Forged');
	});

	it('refuses a cross-site JSON write, by Origin or by Sec-Fetch-Site', async () => {
		const session = await signIn(demoStaff.admin.email);
		const crossSite: Record<string, string>[] = [
			{ origin: 'https://evil.example' },
			{ 'sec-fetch-site': 'cross-site' }
		];
		for (const headers of crossSite) {
			const response = await fetch(server.url + '/api/staff/session', {
				method: 'POST',
				body: JSON.stringify({}),
				headers: { cookie: session, 'content-type': 'application/json', ...headers }
			});
			expect(response.status).toBe(403);
		}
		const sameSite = await fetch(server.url + '/api/staff/session', {
			method: 'POST',
			headers: { cookie: session, origin: server.url, 'content-type': 'application/json' }
		});
		expect(sameSite.status).toBe(200);
	});

	it('checks every role against the table for pages and APIs', async () => {
		const trip = await signIn(demoStaff.trip.email);
		const teacher = await signIn(demoStaff.year1.email);
		const dsl = await signIn(demoStaff.dsl.email);
		const get = (path: string, cookie?: string) =>
			fetch(server.url + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' }).then(
				(r) => r.status
			);

		expect(await get('/staff/classes', trip)).toBe(403);
		expect(await get('/staff/people', teacher)).toBe(403);
		expect(await get('/staff/people', dsl)).toBe(403);
		expect(await get('/staff/classes', dsl)).toBe(200);
		expect(await get('/staff/account', trip)).toBe(200);
		expect(await get('/staff/people')).toBe(303);
		const api = await fetch(server.url + '/api/staff/session', {
			method: 'POST',
			headers: { origin: server.url }
		});
		expect(api.status).toBe(401);

		// A teacher may not add a class even by posting the form by hand.
		const forged = await fetch(server.url + '/staff/classes?/add', {
			method: 'POST',
			body: new URLSearchParams({ name: 'Sneaky', yearGroup: '2' }),
			headers: {
				cookie: teacher,
				origin: server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			redirect: 'manual'
		});
		expect(forged.status).toBe(403);
	});

	it('answers malformed requests with a 4xx and a plain message, changing nothing', async () => {
		const admin = await signIn(demoStaff.admin.email);
		const broken = await fetch(server.url + '/staff/classes?/add', {
			method: 'POST',
			body: '--x\r\nnot really multipart',
			headers: {
				cookie: admin,
				origin: server.url,
				accept: 'text/html',
				'content-type': 'multipart/form-data; boundary=x'
			}
		});
		expect(broken.status).toBe(400);
		expect(await broken.text()).toContain('That form could not be read');

		const badYear = await fetch(server.url + '/staff/classes?/add', {
			method: 'POST',
			body: new URLSearchParams({ name: 'Year Nine', yearGroup: '9' }),
			headers: {
				cookie: admin,
				origin: server.url,
				'content-type': 'application/x-www-form-urlencoded',
				'x-sveltekit-action': 'true'
			}
		});
		expect(await badYear.json()).toMatchObject({ type: 'failure', status: 400 });
		const list = await (
			await fetch(server.url + '/staff/classes', { headers: { cookie: admin } })
		).text();
		expect(list).not.toContain('Year Nine');

		const unknownAction = await fetch(server.url + '/staff/classes?/dropEverything', {
			method: 'POST',
			body: new URLSearchParams({}),
			headers: {
				cookie: admin,
				origin: server.url,
				'content-type': 'application/x-www-form-urlencoded'
			},
			redirect: 'manual'
		});
		expect(unknownAction.status).toBe(403);

		const huge = await fetch(server.url + '/signin', {
			method: 'POST',
			body: new URLSearchParams({ email: 'x@y.example', password: 'p'.repeat(3_000_000) }),
			headers: {
				origin: server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			redirect: 'manual'
		});
		expect(huge.status).toBe(413);
	});

	it('escapes text that looks like markup', async () => {
		const admin = await signIn(demoStaff.admin.email);
		await fetch(server.url + '/staff/classes?/add', {
			method: 'POST',
			body: new URLSearchParams({ name: '<img src=x onerror=alert(1)>', yearGroup: '5' }),
			headers: {
				cookie: admin,
				origin: server.url,
				'content-type': 'application/x-www-form-urlencoded'
			},
			redirect: 'manual'
		});
		const list = await (
			await fetch(server.url + '/staff/classes', { headers: { cookie: admin } })
		).text();
		expect(list).toContain('&lt;img src=x onerror=alert(1)>');
		expect(list).not.toContain('<img src=x');
	});
});
