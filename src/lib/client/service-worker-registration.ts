import { Workbox } from 'workbox-window';

/**
 * Registers the service worker ourselves (SvelteKit's auto-registration is off) so that a
 * new version waits: `onUpdateReady` is called, and the page reloads only when the user says so.
 */
export function registerServiceWorker(onUpdateReady: (accept: () => void) => void): void {
	if (!('serviceWorker' in navigator)) return;
	const wb = new Workbox('/service-worker.js', { type: 'module' });
	wb.addEventListener('waiting', () => {
		onUpdateReady(() => {
			wb.addEventListener('controlling', () => window.location.reload());
			wb.messageSkipWaiting();
		});
	});
	wb.register().catch((error: unknown) => console.warn('Service worker not registered', error));
}
