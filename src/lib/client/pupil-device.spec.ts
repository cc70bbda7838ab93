// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Roster } from '$lib/domain/device';
import { saveIdentity, saveRoster, wipeDevice } from './device-store';
import { PupilDevice } from './pupil-device.svelte';

const roster: Roster = {
	device: { id: 'd1', name: 'iPad' },
	classes: [
		{ id: 'ks1', name: 'Hedgehogs', keyStage: 'KS1', signedOutAt: null, picturePasswords: false },
		{ id: 'ks2', name: 'Otters', keyStage: 'KS2', signedOutAt: null, picturePasswords: false }
	],
	pupils: [
		{
			id: '0b7c6a52-9f0e-4d5c-8a3b-1f2e3d4c5b6a',
			classId: 'ks1',
			firstName: 'Alfie',
			lastInitial: 'B',
			avatar: 'fox',
			yearGroup: 1
		},
		{
			id: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
			classId: 'ks2',
			firstName: 'Amara',
			lastInitial: 'Z',
			avatar: 'owl',
			yearGroup: 4
		}
	],
	cards: [],
	finished: [],
	picturePasswords: [],
	adults: [],
	pupilIdle: { ks1Minutes: 5, ks2Minutes: 10 },
	sealKey: null,
	fetchedAt: '2026-10-01T09:00:00.000Z'
};

describe('a pupil signed in on a class device (fake clock)', () => {
	let device: PupilDevice;
	beforeEach(async () => {
		// No server here: every request fails as it would offline.
		vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')));
		await wipeDevice();
		await saveIdentity({
			token: 'x'.repeat(32),
			deviceId: 'd1',
			enrolledAt: '2026-10-01T08:00:00.000Z'
		});
		await saveRoster(roster);
		vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
		device = new PupilDevice();
		await device.start();
	});
	afterEach(() => {
		device.stop();
		vi.useRealTimers();
		vi.unstubAllGlobals();
	});

	it('works from what the device holds, with the server out of reach', () => {
		expect(device.state).toBe('ready');
		expect(device.roster?.pupils).toHaveLength(2);
	});

	it('signs a KS1 pupil out after five idle minutes', () => {
		device.signIn(roster.pupils[0]!);
		vi.advanceTimersByTime(4 * 60_000 + 50_000);
		expect(device.pupil?.firstName).toBe('Alfie');
		vi.advanceTimersByTime(15_000);
		expect(device.pupil).toBeNull();
		expect(device.lastSignOut).toBe('idle');
	});

	it('keeps a busy KS2 pupil signed in, and signs them out ten idle minutes later', () => {
		device.signIn(roster.pupils[1]!);
		for (let i = 0; i < 6; i++) {
			vi.advanceTimersByTime(4 * 60_000);
			device.touch();
		}
		expect(device.pupil?.firstName).toBe('Amara');
		vi.advanceTimersByTime(9 * 60_000);
		expect(device.pupil).not.toBeNull();
		vi.advanceTimersByTime(61_000);
		expect(device.pupil).toBeNull();
	});

	it('forgets the pupil on "I\'ve finished" and on "Not you?"', () => {
		device.signIn(roster.pupils[0]!);
		device.signOut('finished');
		expect(device.pupil).toBeNull();
		device.signIn(roster.pupils[1]!);
		device.signOut('not-me');
		expect(device.pupil).toBeNull();
		expect(device.lastSignOut).toBe('not-me');
	});

	it('counts one card held up to the camera as one try', async () => {
		// Ten frames a second of the same wrong code, for two seconds.
		for (let i = 0; i < 19; i++) {
			await device.scanned('https://example.com');
			vi.advanceTimersByTime(100);
		}
		expect(device.scanLimit.failures).toBe(1);
		expect(device.paused).toBe(false);
	});

	it('refuses a scanned QR that is not a card, and rests after five failures', async () => {
		for (let i = 0; i < 4; i++) {
			await device.scanned('https://example.com');
			vi.advanceTimersByTime(2_100);
		}
		expect(device.scanProblem).toBe('scan.not-a-card');
		expect(device.paused).toBe(false);
		await device.scanned('L1:AAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAA');
		expect(device.paused).toBe(true);
		expect(device.scanProblem).toBe('scan.paused');
		expect(device.pupil).toBeNull();
	});
});
