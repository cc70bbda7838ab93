import { describe, expect, it } from 'vitest';
import { planFor } from './cache-plan';

const origin = 'https://lantern.school.example';
const precached = new Set([
	'/_app/immutable/entry/start.js',
	'/shell',
	'/pupil',
	'/trip',
	'/manifest.webmanifest'
]);
const plan = (path: string, mode: RequestMode = 'cors', method = 'GET', host = origin) =>
	planFor({ method, url: new URL(path, host), mode, origin }, precached);

describe('service worker plan', () => {
	it('serves built files from the cache', () => {
		expect(plan('/_app/immutable/entry/start.js')).toBe('precached');
	});
	it('tries the network first for a page, falling back to the shell', () => {
		expect(plan('/staff/classes', 'navigate')).toBe('navigation');
	});
	it('opens the prerendered pupil and trip screens from the cache, network or not', () => {
		expect(plan('/pupil', 'navigate')).toBe('precached');
		expect(plan('/trip', 'navigate')).toBe('precached');
	});
	it('answers server data calmly when offline', () => {
		expect(plan('/staff/__data.json')).toBe('server-data');
		expect(plan('/api/staff/session')).toBe('server-data');
	});
	it('leaves writes and other sites alone', () => {
		expect(plan('/signout', 'cors', 'POST')).toBe('pass');
		expect(plan('/x.js', 'cors', 'GET', 'https://elsewhere.example')).toBe('pass');
	});
});
