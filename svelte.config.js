import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * The app version names the service worker's cache and decides when the "new version"
 * prompt appears. It must be the same for every part of one build, so it comes from the
 * environment, or the git commit, or package.json — never from the clock.
 */
function buildVersion() {
	if (process.env.LANTERN_BUILD_VERSION) return process.env.LANTERN_BUILD_VERSION;
	const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
	try {
		const commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] });
		return `${version}+${commit.toString().trim()}`;
	} catch {
		return version;
	}
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ precompress: true }),
		// The service worker is registered by workbox-window so that a new version
		// waits for the user to accept it (see src/lib/client/service-worker-registration.ts).
		serviceWorker: { register: false },
		// Absolute asset paths, because the offline shell is served at whatever address failed.
		paths: { relative: false },
		// No `manifest-src`: WebKit (every iPad) does not know it and logs an error on every page;
		// `default-src 'self'` covers the manifest in every browser anyway.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'media-src': ['self', 'blob:', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		version: { name: buildVersion() }
	}
};

export default config;
