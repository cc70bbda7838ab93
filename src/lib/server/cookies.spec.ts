import { describe, expect, it } from 'vitest';
import { readConfig } from './config';
import { secureCookie } from './cookies';

describe('the session cookie', () => {
	const config = readConfig({});

	it('is Secure over HTTPS and at any address but loopback', () => {
		expect(secureCookie(new URL('https://lantern.school.example/signin'), config)).toBe(true);
		expect(secureCookie(new URL('https://localhost:3000/signin'), config)).toBe(true);
		// A school server over plain http must never carry a session.
		expect(secureCookie(new URL('http://lantern.school.example/signin'), config)).toBe(true);
		expect(secureCookie(new URL('http://192.168.1.20:3000/signin'), config)).toBe(true);
	});

	it('is not Secure on the demo over http://localhost, where Safari would drop it', () => {
		expect(secureCookie(new URL('http://localhost:3000/signin'), config)).toBe(false);
		expect(secureCookie(new URL('http://127.0.0.1:3000/signin'), config)).toBe(false);
		expect(secureCookie(new URL('http://[::1]:3000/signin'), config)).toBe(false);
	});
});
