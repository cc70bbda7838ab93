import { redirect, type Handle, type ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { canAct } from '$lib/domain/roles';
import {
	accessKey,
	closedTripMayUse,
	openBeforePasswordChange,
	isDeviceRoute,
	isStaffRoute,
	isTripRoute,
	requiredAction
} from '$lib/domain/route-access';
import { languageCookie, languageOr, languages, staffLanguage } from '$lib/i18n/languages';
import builtLessons from 'virtual:lantern-lessons/all';
import { app, startApp } from '$lib/server/app';
import {
	clearSessionCookie,
	deviceCookie,
	sessionCookie,
	setDeviceCookie
} from '$lib/server/cookies';
import { libraryOf } from '$lib/server/lessons/library';
import { lookUpSession, recordRefusedAccess } from '$lib/server/services/auth.service';
import { authenticateDevice } from '$lib/server/services/device.service';
import { authenticateTripDevice } from '$lib/server/services/trip.service';
import { alertUnseen } from '$lib/server/services/report.service';
import { startAlertSender } from '$lib/server/services/alert.service';
import { flushAuditCheckpoints } from '$lib/server/repositories/audit.repository';
import { headersFor, securityHeaders } from '../server/security-headers.js';

export const init: ServerInit = async () => {
	if (building) return;
	const ctx = await startApp(libraryOf(builtLessons));
	// Reports nobody has opened in time alert the DSL. Every app process may run this: each
	// alert is claimed once in the database.
	setInterval(() => void alertUnseen(ctx).catch(() => undefined), 60_000).unref();
	// E-mail alerts waiting in the outbox are sent (and failed ones tried again) from here.
	const alertSender = startAlertSender(ctx);
	// The last audit checkpoints are written as the server stops (adapter-node's graceful end),
	// after the e-mail being sent (if any) has its outcome recorded.
	process.on('sveltekit:shutdown', () => {
		void alertSender.stop().finally(() => void flushAuditCheckpoints());
	});
};

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every request passes here once: refuse cross-site writes, find who is signed in,
 * and check the role × action table for staff routes. Routes never check roles themselves.
 */
export const handle: Handle = async ({ event, resolve }) => {
	if (unsafeMethods.has(event.request.method) && isCrossSite(event.request, event.url)) {
		return plain(403, 'Requests from other websites are refused.');
	}

	const chosen = building ? languageOr(undefined) : languageOr(event.cookies.get(languageCookie));
	// Polish and Urdu are for pupil screens; every server-rendered page is a staff or public one.
	const lang = staffLanguage(chosen);
	event.locals.lang = lang;
	event.locals.actor = null;
	event.locals.pending = null;
	event.locals.denied = false;
	event.locals.device = null;
	event.locals.trip = null;

	if (!building) {
		const ctx = app();
		const token = event.cookies.get(sessionCookie);
		const session = await lookUpSession(ctx, token);
		if (session.status === 'active') event.locals.actor = session.actor;
		else if (session.status === 'second-factor')
			event.locals.pending = { actor: session.actor, stage: session.stage };
		else if (token) clearSessionCookie(event.cookies, event.url, ctx.config);

		const routeId = event.route.id;
		if (routeId && isDeviceRoute(routeId)) {
			// Class devices prove themselves with their token: in the device cookie (HttpOnly, set
			// at enrolment), or as a Bearer header from a device set up before the cookie or a
			// client that is not a browser. A staff cookie is no use here.
			const bearer = bearerOf(event.request);
			const deviceToken = bearer ?? event.cookies.get(deviceCookie) ?? null;
			const found = await authenticateDevice(ctx, deviceToken);
			if (found.status !== 'ok') {
				return json({ error: found.status === 'revoked' ? 'revoked' : 'unknown-device' }, 401);
			}
			event.locals.device = found.device;
			// Keep the cookie fresh (and give one to a device that still sends its token itself).
			if (deviceToken) setDeviceCookie(event.cookies, deviceToken, event.url, ctx.config);
		}
		if (routeId && isTripRoute(routeId)) {
			// A trip device's own token; a class device's token or a staff cookie is no use here.
			const found = await authenticateTripDevice(ctx, bearerOf(event.request));
			if (found.status === 'none') return json({ error: 'unknown-device' }, 401);
			if (found.status === 'closed' && !closedTripMayUse(routeId))
				return json({ error: 'revoked' }, 401);
			event.locals.trip = found.trip;
		}
		if (routeId && isStaffRoute(routeId)) {
			const actor = event.locals.actor;
			const isPage = !routeId.startsWith('/api/') && event.request.method === 'GET';
			if (!actor) {
				// Half signed in (second factor still to come): no staff page or API but the
				// second-factor pages under /signin, which are not staff routes.
				const pending = event.locals.pending;
				if (pending && !isPage) return plain(401, 'Please finish signing in.');
				if (pending) redirect(303, secondFactorPage(pending.stage, event.url.pathname));
				if (!isPage) return plain(401, 'Please sign in again.');
				const reason = session.status === 'idle' ? 'idle' : 'signin';
				redirect(303, `/signin?reason=${reason}&next=${encodeURIComponent(event.url.pathname)}`);
			}
			const action = requiredAction(accessKey(routeId, event.request.method, event.url.search));
			if (actor.mustChangePassword && !openBeforePasswordChange(routeId)) {
				// A password chosen by someone else is changed before anything else.
				if (!isPage) return plain(403, 'Please change your password first.');
				redirect(303, '/staff/account?reason=change-password');
			}
			if (!action || !canAct(actor, action)) {
				// Every refusal is on the record: someone trying doors is worth the DSL's notice.
				await recordRefusedAccess(ctx, actor, routeId, event.request.method, action ?? null);
				// A page shows the calm "not for your account" screen (thrown by the staff layout,
				// so it renders inside the app); a write or an API call is refused here and now.
				if (!isPage) return plain(403, 'Your account cannot do this.');
				event.locals.denied = true;
			}
		}
	}

	const response = await resolve(event, {
		transformPageChunk: ({ html }) =>
			html.replace('%lantern.lang%', lang).replace('%lantern.dir%', languages[lang].dir)
	});
	// The one list (server/security-headers.js), with no-store for staff pages and HSTS on https.
	// server/index.js adds it too, to the responses that never reach this line: prerendered
	// pages, static files, redirects thrown above.
	const headers = headersFor(event.url.pathname, event.url.protocol === 'https:');
	for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
	return response;
};

function secondFactorPage(stage: 'code' | 'enrol', next: string): string {
	return `/signin/${stage}?next=${encodeURIComponent(next)}`;
}

function bearerOf(request: Request): string | null {
	return /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? null;
}

function json(body: unknown, status: number): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json', ...securityHeaders }
	});
}

function plain(status: number, message: string): Response {
	return new Response(message, {
		status,
		headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders }
	});
}

/** A write whose Origin (or Sec-Fetch-Site) shows it came from another site. */
function isCrossSite(request: Request, url: URL): boolean {
	const origin = request.headers.get('origin');
	if (origin !== null) return origin !== url.origin;
	const site = request.headers.get('sec-fetch-site');
	return site !== null && site !== 'same-origin' && site !== 'none';
}
