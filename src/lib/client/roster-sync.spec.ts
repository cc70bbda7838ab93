import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Roster } from '$lib/domain/device';
import { readIdentity, saveIdentity, wipeDevice } from './device-store';
import { refreshRoster } from './roster-sync';

const roster: Roster = {
	device: { id: 'd1', name: 'iPad' },
	classes: [],
	picturePasswords: [],
	pupils: [],
	finished: [],
	cards: [],
	adults: [],
	pupilIdle: { ks1Minutes: 5, ks2Minutes: 10 },
	sealKey: null,
	fetchedAt: '2026-10-01T09:00:00.000Z'
};
const token = 'T'.repeat(43);

/** A server that knows the device by its token, and by its cookie once `cookieTakes`. */
function server(cookieTakes: boolean) {
	const asked: { method: string; bearer: string | null }[] = [];
	vi.stubGlobal('fetch', (_url: string, init: RequestInit = {}) => {
		const bearer = new Headers(init.headers).get('authorization');
		asked.push({ method: init.method ?? 'GET', bearer });
		const known = bearer === `Bearer ${token}` || cookieTakes;
		return Promise.resolve(
			known ? Response.json(roster) : Response.json({ error: 'unknown-device' }, { status: 401 })
		);
	});
	return asked;
}

describe('a device set up before its token moved to a cookie', () => {
	afterEach(async () => {
		vi.unstubAllGlobals();
		await wipeDevice();
	});

	it('drops the token page script could read, once a request without it is accepted', async () => {
		await saveIdentity({ token, deviceId: 'd1', enrolledAt: '2026-10-01T09:00:00.000Z' });
		const asked = server(true);
		expect(await refreshRoster()).toBe('updated');
		expect(asked).toEqual([
			{ method: 'GET', bearer: `Bearer ${token}` },
			{ method: 'HEAD', bearer: null }
		]);
		expect(await readIdentity()).toEqual({
			deviceId: 'd1',
			enrolledAt: '2026-10-01T09:00:00.000Z'
		});
		// From now on it sends no token: the browser sends the cookie.
		expect(await refreshRoster()).toBe('updated');
		expect(asked.at(-1)).toEqual({ method: 'GET', bearer: null });
	});

	it('keeps its token (and everything else) when the cookie did not take', async () => {
		await saveIdentity({ token, deviceId: 'd1', enrolledAt: '2026-10-01T09:00:00.000Z' });
		server(false);
		expect(await refreshRoster()).toBe('updated');
		expect((await readIdentity())?.token).toBe(token);
	});
});
