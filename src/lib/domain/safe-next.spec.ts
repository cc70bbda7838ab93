import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

const ours = 'https://school.example';

/** Where a browser would go with this Location, from a page of ours. */
function landsOn(location: string): string {
	return new URL(location, ours + '/signin').origin;
}

describe('safeNext: only paths on this site are followed after sign-in', () => {
	it.each([
		'/\t/evil.example',
		'/\n/evil',
		'/\r\n/evil',
		'//evil.example',
		'/\\evil.example',
		'\\\\evil.example',
		'https://evil.example',
		'javascript:alert(1)',
		'data:text/html,hi',
		' //evil.example',
		'/\u0000/evil',
		'/\u007f/evil',
		'',
		null,
		undefined
	])('refuses %j and falls back to /staff', (raw) => {
		expect(safeNext(raw)).toBe('/staff');
	});

	it.each([
		['/staff', '/staff'],
		['/staff/reports?status=open', '/staff/reports?status=open'],
		['/trip', '/trip'],
		['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
		['/staff/../trip', '/trip'],
		['/staff/é', '/staff/%C3%A9'],
		['/staff#part', '/staff']
	])('keeps %j as %j', (raw, expected) => {
		expect(safeNext(raw)).toBe(expected);
		expect(landsOn(expected)).toBe(ours);
	});

	it('uses the given fallback', () => {
		expect(safeNext('//evil.example', '/trip')).toBe('/trip');
	});

	it('never leaves the site, and is always a plain ASCII path, for any input', () => {
		const pieces = fc.constantFrom(
			'/',
			'//',
			'\\',
			'\t',
			'\n',
			'\r',
			' ',
			'%09',
			'%2F',
			'%5C',
			'.',
			'..',
			':',
			'@',
			'?',
			'#',
			'evil.example',
			'https:',
			'javascript:',
			'staff',
			'é',
			'\u2028',
			'\u0000'
		);
		const raw = fc.oneof(
			fc.string(),
			fc.array(pieces, { maxLength: 8 }).map((p) => p.join(''))
		);
		fc.assert(
			fc.property(raw, (value) => {
				const next = safeNext(value);
				expect(next.startsWith('/')).toBe(true);
				expect(next.startsWith('//')).toBe(false);
				expect(next).toMatch(/^[\x21-\x7e]+$/);
				expect(next).not.toContain('\\');
				expect(landsOn(next)).toBe(ours);
			}),
			{ numRuns: 2000 }
		);
	});
});
