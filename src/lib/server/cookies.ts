import type { Cookies } from '@sveltejs/kit';
import type { LanternConfig } from './config';

export const sessionCookie = 'lantern_session';

/** Loopback names: the only places a browser counts plain http as a secure origin. */
const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether the session cookie is marked `Secure`. Always over HTTPS, and always for any other
 * address (a school's server over plain http must not sign anyone in). Only on the local
 * demo (`http://localhost`) is it left off: Safari and WebKit drop a `Secure` cookie set over
 * http, even on localhost, so staff could never sign in to the demo there.
 */
export function secureCookie(url: URL, config: LanternConfig): boolean {
	if (config.insecureCookies) return false;
	return !(url.protocol === 'http:' && loopback.has(url.hostname));
}

export function setSessionCookie(
	cookies: Cookies,
	token: string,
	url: URL,
	config: LanternConfig
): void {
	cookies.set(sessionCookie, token, {
		path: '/',
		httpOnly: true,
		secure: secureCookie(url, config),
		sameSite: 'strict'
		// No max-age: the cookie ends with the browser; the server ends it sooner when idle.
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL, config: LanternConfig): void {
	cookies.delete(sessionCookie, {
		path: '/',
		httpOnly: true,
		secure: secureCookie(url, config),
		sameSite: 'strict'
	});
}

export const deviceCookie = 'lantern_device';

/**
 * A class device's token, where the pupil screen's own script cannot read it: `HttpOnly`,
 * sent only to `/api/device` and only by this site. Refreshed at every contact, so it runs
 * out only on a device that has not reached school for 400 days (the longest a browser keeps
 * a cookie); such a device is set up again, and keeps its outbox.
 */
export function setDeviceCookie(
	cookies: Cookies,
	token: string,
	url: URL,
	config: LanternConfig
): void {
	cookies.set(deviceCookie, token, {
		path: '/api/device',
		httpOnly: true,
		secure: secureCookie(url, config),
		sameSite: 'strict',
		maxAge: 400 * 24 * 60 * 60
	});
}
