// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TripDownload } from '$lib/domain/trip';
import { outboxItems, wipeTrip } from '../device-store';
import { readTrip } from './trip-record';
import { TripDevice, tripChecks } from './trip-device.svelte';

const taken = Date.parse('2026-11-23T08:00:00.000Z');
/**
 * The wipe waits on IndexedDB, which runs on real timers: on a busy machine that can take longer
 * than waitFor's one-second default. A hang guard, not a speed check.
 */
const untilSettled = { timeout: 15_000, interval: 20 };
const download: TripDownload = {
	deviceId: 'trip-1',
	token: 't'.repeat(43),
	snapshot: {
		groupName: 'Castle trip',
		takenAt: new Date(taken).toISOString(),
		endsAt: '2026-11-23T16:00:00.000Z',
		graceHours: 24,
		maxAgeHours: 48,
		uses: [
			{ id: 'web', name: 'School website' },
			{ id: 'press', name: 'Local or national press' }
		],
		pupils: [
			{
				id: 'p-amy',
				firstName: 'Amy',
				lastInitial: 'B',
				className: 'Kestrels',
				cardIds: ['AAAAAAAA'],
				verdicts: ['allowed', 'not-allowed']
			},
			{
				id: 'p-ben',
				firstName: 'Ben',
				lastInitial: 'T',
				className: 'Kestrels',
				cardIds: [],
				verdicts: ['allowed', 'allowed']
			}
		]
	}
};

/** A server that answers the download, takes checks, and can be told the list was revoked. */
function fakeServer() {
	const server = {
		revoked: false,
		online: true,
		checks: [] as unknown[],
		ended: [] as unknown[]
	};
	vi.stubGlobal('fetch', (url: string, init: RequestInit = {}) => {
		if (!server.online) return Promise.reject(new TypeError('offline'));
		const json = (body: unknown, status = 200) =>
			Promise.resolve(
				new Response(JSON.stringify(body), {
					status,
					headers: { 'content-type': 'application/json' }
				})
			);
		if (url.endsWith('/api/staff/trip/snapshot')) return json(download, 201);
		if (server.revoked && !url.endsWith('/checks')) return json({ error: 'revoked' }, 401);
		if (url.endsWith('/api/device/trip/checks')) {
			const check = JSON.parse(init.body as string) as { id: string };
			server.checks.push(check);
			return json({ id: check.id, receivedAt: new Date().toISOString() }, 201);
		}
		if (url.endsWith('/api/device/trip/end')) {
			const end = JSON.parse(init.body as string) as { id: string };
			server.ended.push(end);
			return json({ id: end.id, ended: true });
		}
		return json({ open: true });
	});
	return server;
}

const request = { classIds: ['c1'], groupName: 'Castle trip', endsAt: download.snapshot.endsAt };

describe('a trip device (fake server and clock)', () => {
	let device: TripDevice;
	let server: ReturnType<typeof fakeServer>;

	beforeEach(async () => {
		vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: taken + 60_000 });
		server = fakeServer();
		await wipeTrip();
		device = new TripDevice({ iterations: 1000 });
		await device.start();
	});
	afterEach(() => {
		device.stop();
		vi.useRealTimers();
		vi.unstubAllGlobals();
	});

	it('refuses a weak PIN or two that differ before downloading anything', async () => {
		expect(await device.download(request, '123456', '123456')).toBe('trip.error.pinSequence');
		expect(await device.download(request, '482913', '482914')).toBe('trip.error.pinsDiffer');
		expect(await readTrip()).toBeNull();
		expect(device.state).toBe('setup');
	});

	it('keeps only the sealed list at rest, and opens it with the PIN', async () => {
		expect(await device.download(request, '482913', '482913')).toBeNull();
		expect(device.state).toBe('unlocked');
		const stored = JSON.stringify(await readTrip());
		expect(stored).not.toContain('Amy');
		expect(stored).not.toContain('Castle');
		device.lock();
		expect(device.snapshot).toBeNull();
		expect(device.search('am')).toEqual([]);
		expect(await device.unlock('482913')).toEqual({ ok: true });
		expect(device.search('am').map((p) => p.firstName)).toEqual(['Amy']);
		expect(device.pupilOnCard('L1:AAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBBBB')?.firstName).toBe('Amy');
		expect(device.pupilOnCard('not a card')).toBeNull();
	});

	it('wipes the list after five wrong PINs, and says so', async () => {
		await device.download(request, '482913', '482913');
		device.lock();
		for (const left of [4, 3, 2, 1])
			expect(await device.unlock('000001')).toEqual({ ok: false, triesLeft: left });
		expect(await device.unlock('000001')).toEqual({ ok: false, triesLeft: 0 });
		expect(device.state).toBe('setup');
		expect(device.wiped).toBe('wrong-pins');
		expect(await readTrip()).toBeNull();
	});

	it('opens nothing when the list is wiped while the PIN is being checked', async () => {
		// Enough PBKDF2 work that the revoke arrives first.
		device.stop();
		device = new TripDevice({ iterations: 400_000 });
		await device.start();
		await device.download(request, '482913', '482913');
		device.lock();
		const unlocking = device.unlock('482913');
		server.revoked = true;
		await device.sync();
		expect(await unlocking).toEqual({ ok: false, triesLeft: 0 });
		expect(device.state).toBe('setup');
		expect(device.snapshot).toBeNull();
		expect(await readTrip()).toBeNull();
	});

	it('keeps a check as waiting when something other than the server answers', async () => {
		await device.download(request, '482913', '482913');
		vi.stubGlobal('fetch', () =>
			Promise.resolve(new Response('<html>Sign in to the Wi-Fi</html>', { status: 200 }))
		);
		await device.check([download.snapshot.pupils[1]!], 'web', 'search', false);
		await device.sync();
		expect(await outboxItems()).toHaveLength(1);
		expect(device.lastContactAt).toBeNull();
		expect(device.state).toBe('unlocked');
	});

	it('a right PIN clears the count of wrong ones', async () => {
		await device.download(request, '482913', '482913');
		device.lock();
		await device.unlock('000001');
		await device.unlock('482913');
		expect((await readTrip())?.wrongPins).toBe(0);
	});

	it('answers one pupil and a group, logs each check and sends it with the trip token', async () => {
		await device.download(request, '482913', '482913');
		const [amy, ben] = download.snapshot.pupils;
		const one = await device.check([ben!], 'press', 'search', false);
		expect(one).toMatchObject({ answer: 'allowed', useName: 'Local or national press' });
		const group = await device.check([amy!, ben!], 'press', 'scan', true);
		expect(group?.answer).toBe('not-allowed');
		expect(group?.notAllowed.map((p) => p.firstName)).toEqual(['Amy']);
		expect((await tripChecks()).map((c) => c.answer).sort()).toEqual(['allowed', 'not-allowed']);
		await device.sync();
		expect(server.checks).toHaveLength(2);
		expect(await outboxItems()).toEqual([]);
		expect(JSON.stringify(server.checks)).not.toContain('Amy');
	});

	it('keeps the school’s rules: a "check" stays "check", a use never allowed is "not allowed (school rule)"', async () => {
		const withRules: TripDownload = {
			...download,
			snapshot: {
				...download.snapshot,
				uses: [
					...download.snapshot.uses,
					{ id: 'named', name: 'Named together with a photo', neverAllowed: true }
				],
				pupils: download.snapshot.pupils.map((p, i) => ({
					...p,
					// Amy: one carer's yes for the website (the other has not answered); the server's
					// "allowed" for a use never allowed is not believed either.
					verdicts: i === 0 ? ['check', 'not-allowed', 'allowed'] : [...p.verdicts, 'allowed']
				}))
			}
		};
		const inner = globalThis.fetch;
		vi.stubGlobal('fetch', (url: string, init?: RequestInit) =>
			url.endsWith('/api/staff/trip/snapshot')
				? Promise.resolve(
						new Response(JSON.stringify(withRules), {
							status: 201,
							headers: { 'content-type': 'application/json' }
						})
					)
				: inner(url, init)
		);
		expect(await device.download(request, '482913', '482913')).toBeNull();
		const [amy, ben] = device.snapshot!.pupils;
		expect(await device.check([amy!], 'web', 'search', false)).toMatchObject({
			answer: 'check',
			schoolRule: false
		});
		expect(await device.check([amy!], 'named', 'search', false)).toMatchObject({
			answer: 'not-allowed',
			schoolRule: true
		});
		expect(await device.check([ben!], 'named', 'search', false)).toMatchObject({
			answer: 'not-allowed',
			schoolRule: true
		});
		const group = await device.check([amy!, ben!], 'web', 'scan', true);
		expect(group?.answer).toBe('check');
		expect(group?.toCheck.map((p) => p.firstName)).toEqual(['Amy']);
		// Why is never on the device: the list holds the verdict alone.
		expect(JSON.stringify(device.snapshot)).not.toContain('carer');
		await device.sync();
		expect(await outboxItems()).toEqual([]);
	});

	it('keeps checks made offline and sends them when the server is back', async () => {
		await device.download(request, '482913', '482913');
		server.online = false;
		await device.check([download.snapshot.pupils[1]!], 'web', 'search', false);
		await device.sync();
		expect(await outboxItems()).toHaveLength(1);
		expect(device.state).toBe('unlocked');
		server.online = true;
		await device.sync();
		expect(await outboxItems()).toEqual([]);
		expect(server.checks).toHaveLength(1);
	});

	it('says "check" instead of "allowed" once the list is older than its limit', async () => {
		await device.download(request, '482913', '482913');
		const ben = download.snapshot.pupils[1]!;
		expect(device.answerFor(ben, 'web')).toBe('allowed');
		// The screen's clock, moved on without the timers (which would wipe a list this old).
		device.now = taken + 47 * 3_600_000;
		expect(device.answerFor(ben, 'web')).toBe('allowed');
		device.now = taken + 49 * 3_600_000;
		expect(device.stale).toBe(true);
		expect(device.answerFor(ben, 'web')).toBe('check');
		expect(device.answerFor(download.snapshot.pupils[0]!, 'press')).toBe('not-allowed');
	});

	it('wipes itself at the end of the trip plus the grace period, locked or not', async () => {
		await device.download(request, '482913', '482913');
		device.lock();
		vi.advanceTimersByTime(Date.parse(download.snapshot.endsAt) + 23 * 3_600_000 - Date.now());
		await vi.waitFor(() => expect(device.state).toBe('locked'), untilSettled);
		vi.advanceTimersByTime(3_600_000);
		await vi.waitFor(() => expect(device.wiped).toBe('ended'), untilSettled);
		expect(await readTrip()).toBeNull();
	});

	it('wipes itself when the server says the list was revoked, after sending its checks', async () => {
		await device.download(request, '482913', '482913');
		await device.check([download.snapshot.pupils[1]!], 'web', 'search', false);
		server.revoked = true;
		await device.sync();
		expect(device.wiped).toBe('revoked');
		expect(await readTrip()).toBeNull();
		expect(server.checks).toHaveLength(1);
	});

	it('wipes on "End the trip" and tells the server, later if it is offline now', async () => {
		await device.download(request, '482913', '482913');
		server.online = false;
		await device.endTrip();
		expect(device.wiped).toBe('signed-out');
		expect(await readTrip()).toBeNull();
		expect(await outboxItems()).toHaveLength(1);
		server.online = true;
		await device.sync();
		expect(server.ended).toMatchObject([{ reason: 'ended' }]);
		expect(await outboxItems()).toEqual([]);
		const again = new TripDevice();
		await again.start();
		expect(again.state).toBe('setup');
		again.stop();
	});
});
