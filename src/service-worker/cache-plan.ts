/**
 * What the service worker does with each request, decided without touching a cache
 * so that it can be tested on its own.
 */
export type Plan = 'precached' | 'navigation' | 'server-data' | 'pass';

export interface RequestFacts {
	method: string;
	url: URL;
	mode: RequestMode;
	/** The service worker's own origin. */
	origin: string;
}

export function planFor(request: RequestFacts, precached: ReadonlySet<string>): Plan {
	if (request.method !== 'GET' || request.url.origin !== request.origin) return 'pass';
	// A page prerendered into this build (the pupil screen, the trip device, the shell) cannot
	// change until a new version installs, so it opens from the cache: at once, and with no
	// failed request to the network when there is none.
	if (precached.has(request.url.pathname)) return 'precached';
	if (request.mode === 'navigate') return 'navigation';
	if (request.url.pathname.endsWith('/__data.json') || request.url.pathname.startsWith('/api/')) {
		return 'server-data';
	}
	return 'pass';
}

/** The page served for any navigation that fails offline. */
export const shellPath = '/shell';

export const cachePrefix = 'lantern-';
export const cacheName = (version: string): string => `${cachePrefix}${version}`;
