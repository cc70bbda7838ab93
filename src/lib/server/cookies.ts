import type { Cookies } from '@sveltejs/kit';
import type { LanternConfig } from './config';

export const sessionCookie = 'lantern_session';

export function setSessionCookie(cookies: Cookies, token: string, config: LanternConfig): void {
	cookies.set(sessionCookie, token, {
		path: '/',
		httpOnly: true,
		secure: !config.insecureCookies,
		sameSite: 'strict'
		// No max-age: the cookie ends with the browser; the server ends it sooner when idle.
	});
}

export function clearSessionCookie(cookies: Cookies, config: LanternConfig): void {
	cookies.delete(sessionCookie, {
		path: '/',
		httpOnly: true,
		secure: !config.insecureCookies,
		sameSite: 'strict'
	});
}
