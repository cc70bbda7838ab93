/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, prerendered, version } from '$service-worker';
import { cacheName, cachePrefix, planFor, shellPath } from './cache-plan';

const sw = self as unknown as ServiceWorkerGlobalScope;
const cache = cacheName(version);
// Everything the app needs to start with no network: built code, static files, the shell.
const precache = [...build, ...files, ...prerendered];
const precached = new Set(precache);

sw.addEventListener('install', (event) => {
	// No skipWaiting here: a new version waits until the user accepts the prompt.
	event.waitUntil(caches.open(cache).then((c) => c.addAll(precache)));
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) {
				if (key.startsWith(cachePrefix) && key !== cache) await caches.delete(key);
			}
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('message', (event) => {
	if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	const plan = planFor(
		{
			method: request.method,
			url: new URL(request.url),
			mode: request.mode,
			origin: sw.location.origin
		},
		precached
	);
	if (plan === 'precached') event.respondWith(fromCacheFirst(request));
	else if (plan === 'navigation') event.respondWith(navigate(request));
	else if (plan === 'server-data') event.respondWith(serverData(request));
});

async function fromCacheFirst(request: Request): Promise<Response> {
	const hit = await caches.match(request, { cacheName: cache });
	return hit ?? fetch(request);
}

async function navigate(request: Request): Promise<Response> {
	try {
		return await fetch(request);
	} catch {
		const shell = await caches.match(shellPath, { cacheName: cache });
		return shell ?? unreachable();
	}
}

async function serverData(request: Request): Promise<Response> {
	try {
		return await fetch(request);
	} catch {
		return unreachable();
	}
}

/** SvelteKit shows this as a 503 error, which +error.svelte explains calmly. */
function unreachable(): Response {
	return new Response(JSON.stringify({ message: 'unreachable' }), {
		status: 503,
		headers: { 'content-type': 'application/json' }
	});
}
