import { describe, expect, it } from 'vitest';
import { demoStaff } from '$lib/server/demo/demo-school';
import { issueCards } from '$lib/server/services/card.service';
import { createEnrolmentCode, revokeDeviceOf } from '$lib/server/services/device.service';
import { actorFor, classIdByName, openSchool } from './support/school';
import { browserSuite } from './support/suite';

/** The device API over HTTP: who may call it, and what it refuses. */
describe('class device API', () => {
	const suite = browserSuite({ seed: 'demo' });

	const enrolRequest = (code: unknown) =>
		fetch(suite.server.url + '/api/device/enrol', {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: suite.server.url },
			body: JSON.stringify({ code })
		});

	async function setUp(className: string) {
		const school = await openSchool(suite.server.dbFile);
		const teacher = await actorFor(school, demoStaff.admin.email);
		const classId = await classIdByName(school, teacher, className);
		await issueCards(school, teacher, classId, { kind: 'missing' });
		const made = await createEnrolmentCode(school, teacher, {
			name: `${className} iPad`,
			classIds: [classId]
		});
		if (!made.ok) throw new Error(made.error);
		const response = await enrolRequest(made.qrText);
		expect(response.status).toBe(200);
		const { token, deviceId } = (await response.json()) as { token: string; deviceId: string };
		return { school, teacher, token, deviceId, code: made.code };
	}

	const asDevice = (token: string, path: string, init: RequestInit = {}) =>
		fetch(suite.server.url + path, {
			...init,
			headers: {
				authorization: `Bearer ${token}`,
				origin: suite.server.url,
				'content-type': 'application/json'
			}
		});

	it('gives a device of one class only that class’s roster', async () => {
		const { school, token } = await setUp('Hedgehogs');
		const roster = (await (await asDevice(token, '/api/device/roster')).json()) as {
			classes: { name: string }[];
			pupils: { firstName: string }[];
			cards: unknown[];
		};
		expect(roster.classes.map((c) => c.name)).toEqual(['Hedgehogs']);
		expect(roster.pupils).toHaveLength(12);
		expect(roster.pupils.map((p) => p.firstName)).not.toContain('Arlo'); // a Kestrel
		expect(roster.cards).toHaveLength(12);
		await school.close();
	});

	it('refuses a revoked device, an unknown token and no token with 401', async () => {
		const { school, teacher, token, deviceId } = await setUp('Otters');
		expect((await asDevice(token, '/api/device/roster')).status).toBe(200);
		await revokeDeviceOf(school, teacher, deviceId);
		const revoked = await asDevice(token, '/api/device/roster');
		expect(revoked.status).toBe(401);
		expect(await revoked.json()).toEqual({ error: 'revoked' });
		expect(
			(await asDevice('not-a-real-token-at-all-000000000000', '/api/device/roster')).status
		).toBe(401);
		expect((await fetch(suite.server.url + '/api/device/roster')).status).toBe(401);
		await school.close();
	});

	it('does not let a device (or a pupil on it) into staff pages or APIs', async () => {
		const { school, token } = await setUp('Kestrels');
		expect((await asDevice(token, '/api/staff/session', { method: 'POST' })).status).toBe(401);
		const page = await fetch(suite.server.url + '/staff/classes', {
			headers: { authorization: `Bearer ${token}` },
			redirect: 'manual'
		});
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toContain('/signin');
		await school.close();
	});

	it('refuses malformed, replayed and unknown set-up codes (expiry: see devices.test.ts)', async () => {
		const { school, code } = await setUp('Hedgehogs');
		for (const bad of ['', 'hello', 'LE1:short', 'https://example.com', 12345, null]) {
			const response = await enrolRequest(bad);
			expect(response.status).toBe(400);
			expect(await response.json()).toEqual({ error: 'enrol.error.malformed' });
		}
		const notJson = await fetch(suite.server.url + '/api/device/enrol', {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: suite.server.url },
			body: '{not json'
		});
		expect(notJson.status).toBe(400);
		expect((await enrolRequest(code)).status).toBe(410);
		expect(await (await enrolRequest(code)).json()).toEqual({ error: 'enrol.error.used' });
		expect((await enrolRequest('A'.repeat(24))).status).toBe(404);
		await school.close();
	});

	it('refuses a heartbeat that is not in the expected shape, and changes nothing', async () => {
		const { school, token } = await setUp('Otters');
		const bad = await asDevice(token, '/api/device/heartbeat', {
			method: 'POST',
			body: JSON.stringify({
				appVersion: 'x',
				queuedItems: -1,
				storagePersisted: 'maybe',
				signedInPupilId: 'nobody'
			})
		});
		expect(bad.status).toBe(400);
		const good = await asDevice(token, '/api/device/heartbeat', {
			method: 'POST',
			body: JSON.stringify({
				appVersion: '0.1.0',
				queuedItems: 0,
				storagePersisted: true,
				signedInPupilId: null,
				events: []
			})
		});
		expect(good.status).toBe(200);
		await school.close();
	});
});
