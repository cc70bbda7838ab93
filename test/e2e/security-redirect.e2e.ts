import { describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { SignInPage } from './pages/staff-pages';
import { expectAccessible } from './support/axe';
import { openPage } from './support/browser';
import { browserSuite } from './support/suite';

/**
 * The attack: a link to our sign-in page whose `next` leads off the site, sent to a member
 * of staff who is signed in. Lantern must answer with a path of its own, never a 5xx.
 */
const payloads = [
	'/%09/evil.example',
	'//evil.example',
	'/\\evil.example',
	'/%5Cevil.example',
	'/%0a/evil',
	'https://evil.example',
	'/%2F%2Fevil.example',
	'javascript:alert(1)'
];

/** The query string as an attacker writes it: `%xx` escapes kept, the rest escaped. */
function signInLink(base: string, payload: string): string {
	const next = payload.replace(/[^A-Za-z0-9%/._~-]/g, (c) => encodeURIComponent(c));
	return `${base}/signin?next=${next}`;
}

describe('no open redirect after sign-in', () => {
	const suite = browserSuite({ seed: 'demo' });

	async function sessionCookie(): Promise<string> {
		const response = await fetch(suite.server.url + '/signin', {
			method: 'POST',
			body: new URLSearchParams({ email: demoStaff.year1.email, password: demoPassword }),
			headers: {
				origin: suite.server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			redirect: 'manual'
		});
		expect(response.status).toBe(303);
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith('lantern_session='));
		expect(cookie).toBeDefined();
		return cookie!.split(';')[0]!;
	}

	it.each(payloads)('signed in, next=%s answers a path on this site', async (payload) => {
		const cookie = await sessionCookie();
		const response = await fetch(signInLink(suite.server.url, payload), {
			headers: { cookie },
			redirect: 'manual'
		});
		expect(response.status).toBe(303);
		const location = response.headers.get('location') ?? '';
		expect(location.startsWith('/')).toBe(true);
		expect(location.startsWith('//')).toBe(false);
		expect(location).not.toMatch(/[\\\s]/);
		// As a browser reads it, after dropping tabs and newlines.
		const cleaned = location.replace(/[\t\n\r]/g, '');
		expect(new URL(cleaned, suite.server.url + '/signin').origin).toBe(suite.server.url);
	});

	it.each(payloads)(
		'signed in, the same form post with next=%s stays on this site',
		async (payload) => {
			const response = await fetch(signInLink(suite.server.url, payload), {
				method: 'POST',
				body: new URLSearchParams({ email: demoStaff.year1.email, password: demoPassword }),
				headers: {
					origin: suite.server.url,
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded'
				},
				redirect: 'manual'
			});
			expect(response.status).toBe(303);
			const location = response.headers.get('location') ?? '';
			expect(location).toMatch(/^\/(?!\/)[\x21-\x7e]*$/);
		}
	);

	it('a browser signed in and sent each link ends on our own site', async () => {
		const page = await openPage(suite.browser);
		const signIn = new SignInPage(page, suite.server.url);
		await signIn.open();
		await signIn.signIn(demoStaff.year1.email, demoPassword);
		await page.waitForURL('**/staff');
		const leftFor: string[] = [];
		page.on('request', (request) => {
			const url = request.url();
			if (!url.startsWith(suite.server.url) && !url.startsWith('data:')) leftFor.push(url);
		});
		await page.route(
			(url) => url.origin !== suite.server.url,
			(route) => route.abort()
		);
		for (const payload of payloads) {
			const response = await page.goto(signInLink(suite.server.url, payload));
			expect(response?.status() ?? 0).toBeLessThan(500);
			expect(new URL(page.url()).origin).toBe(suite.server.url);
		}
		expect(leftFor).toEqual([]);
		await expectAccessible(page);
	});
});
