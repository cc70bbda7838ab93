import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	accessKey,
	isStaffRoute,
	openBeforePasswordChange,
	requiredAction,
	routeAccess
} from './route-access';

const routesDir = join(process.cwd(), 'src', 'routes');

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

/** Every staff page, form action and API on disk, as the keys hooks.server.ts looks up. */
function staffKeysOnDisk(): string[] {
	const keys: string[] = [];
	for (const file of walk(routesDir)) {
		const rel = relative(routesDir, file).split(sep);
		const name = rel.pop()!;
		const routeId = '/' + rel.join('/');
		if (!isStaffRoute(routeId)) continue;
		if (name === '+page.svelte' || name === '+server.ts') keys.push(routeId);
		if (name === '+page.server.ts') {
			const source = readFileSync(file, 'utf8');
			const block = /export const actions[^{]*\{([\s\S]*)\};/.exec(source)?.[1] ?? '';
			for (const match of block.matchAll(/^\t(\w+): async/gm)) keys.push(`${routeId}?/${match[1]}`);
		}
	}
	return [...new Set(keys)].sort();
}

describe('route access table', () => {
	const onDisk = staffKeysOnDisk();

	it('finds the staff routes on disk', () => {
		expect(onDisk.length).toBeGreaterThan(10);
	});

	it.each(onDisk)('names the action needed for %s', (key) => {
		expect(requiredAction(key), `${key} is missing from routeAccess`).not.toBeNull();
	});

	it('has no entry for a route that no longer exists', () => {
		expect(Object.keys(routeAccess).sort()).toEqual(onDisk);
	});

	it('refuses a route it does not know', () => {
		expect(requiredAction('/(staff)/staff/secret')).toBeNull();
	});
});

describe('accessKey', () => {
	it('uses the route id for a page view', () => {
		expect(accessKey('/(staff)/staff/people', 'GET', '')).toBe('/(staff)/staff/people');
	});
	it('adds the form action name to a POST', () => {
		expect(accessKey('/(staff)/staff/people', 'POST', '?/disable')).toBe(
			'/(staff)/staff/people?/disable'
		);
		expect(accessKey('/(staff)/staff/people', 'POST', '?/add&x=1')).toBe(
			'/(staff)/staff/people?/add'
		);
	});
	it('calls a POST with no action "default", which no staff route has', () => {
		expect(requiredAction(accessKey('/(staff)/staff/people', 'POST', ''))).toBeNull();
	});
	it('keeps API routes as they are', () => {
		expect(accessKey('/api/staff/session', 'POST', '?/x')).toBe('/api/staff/session');
	});
});

describe('a password chosen by someone else', () => {
	it('opens only the account page until it is changed', () => {
		expect(openBeforePasswordChange('/(staff)/staff/account')).toBe(true);
		for (const routeId of ['/(staff)/staff', '/(staff)/staff/reports', '/api/staff/reports/stream'])
			expect(openBeforePasswordChange(routeId), routeId).toBe(false);
	});
});
