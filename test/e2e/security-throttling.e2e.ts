import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { startServer, type RunningServer } from './support/server';

/**
 * Sign-in throttling as the form sees it, against the production build on loopback: a
 * client that tries too often gets a 429 with Retry-After, and a browser the person has
 * signed in on before is not kept out by a stranger's failures. The rules themselves are
 * in test/integration/security-throttling.test.ts.
 */
describe('sign-in throttling over HTTP', () => {
	let server: RunningServer;
	beforeAll(
		async () =>
			(server = await startServer({
				seed: 'demo',
				env: { LANTERN_SIGNIN_PER_ADDRESS_PER_MINUTE: '12' }
			}))
	);
	afterAll(async () => {
		await server?.stop();
		server?.cleanUp();
	});

	const signIn = (email: string, password: string, cookie?: string) =>
		fetch(server.url + '/signin', {
			method: 'POST',
			body: new URLSearchParams({ email, password }),
			headers: {
				origin: server.url,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded',
				...(cookie ? { cookie } : {})
			},
			redirect: 'manual'
		});

	it('remembers the browser after a sign-in, and lets it in while a stranger slows the account down', async () => {
		const first = await signIn(demoStaff.year6.email, demoPassword);
		expect(first.status).toBe(303);
		const set = first.headers.getSetCookie().find((c) => c.startsWith('lantern_known_device='));
		expect(set).toMatch(/; HttpOnly/i);
		expect(set).toMatch(/; SameSite=Strict/i);
		expect(set).toMatch(/; Path=\/signin/i);
		expect(set).toMatch(/; Max-Age=\d{6,}/i);
		const knownDevice = set!.split(';')[0]!;

		for (let i = 0; i < 6; i++) await signIn(demoStaff.year6.email, 'a stranger guessing');
		const stranger = await signIn(demoStaff.year6.email, demoPassword);
		expect(stranger.status).toBe(429);
		expect(Number(stranger.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await stranger.text()).toContain('Signing in is paused');

		const owner = await signIn(demoStaff.year6.email, demoPassword, knownDevice);
		expect(owner.status).toBe(303);
		expect(owner.headers.get('location')).toBe('/staff');
	});

	it('answers 429 with Retry-After, without checking the password, once an address tries too often', async () => {
		let answer: Response | undefined;
		for (let i = 0; i < 100 && answer?.status !== 429; i++)
			answer = await signIn(`nobody.${i}@brightwater.example`, 'guess');
		expect(answer?.status).toBe(429);
		expect(Number(answer?.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await answer?.text()).toContain('Too many tries just now');
		// Even the right password waits.
		const right = await signIn(demoStaff.year4.email, demoPassword);
		expect(right.status).toBe(429);
	});
});
