/**
 * While a page is being left (a sign-out form, a link out of the app), the browser cancels
 * what it was still loading: the code and styles SvelteKit fetches ahead for the links under
 * the pointer. Safari then reports each cancelled import as an unhandled rejection, and Vite
 * throws for each cancelled stylesheet. Neither is a fault, and nothing waits for them: they
 * are dropped here, only while leaving and only for those loads, so every other error still
 * shows.
 */
const cancelledLoad =
	/Importing a module script failed|Failed to fetch dynamically imported module|error loading dynamically imported module|Unable to preload CSS|Load failed/i;

/** Said by code that is about to leave the page itself (`form.submit()` sends no beforeunload in Safari). */
export const leavingEvent = 'lantern:leaving';

export function announceLeaving(target: Window = window): void {
	target.dispatchEvent(new Event(leavingEvent));
}

export function quietWhileLeaving(target: Window = window, stillHereAfterMs = 3000): () => void {
	let leaving = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const stay = () => {
		clearTimeout(timer);
		leaving = false;
	};
	// A page that is still here a moment after "leaving" stayed after all (a download does
	// that; iPadOS sends no beforeunload at all, only pagehide): errors count again.
	const leave = () => {
		leaving = true;
		clearTimeout(timer);
		timer = setTimeout(stay, stillHereAfterMs);
	};
	const rejected = (event: PromiseRejectionEvent) => {
		const reason: unknown = event.reason;
		const message = reason instanceof Error ? reason.message : String(reason);
		if (leaving && cancelledLoad.test(message)) event.preventDefault();
	};
	const preloadFailed = (event: Event) => {
		if (leaving) event.preventDefault();
	};
	target.addEventListener('beforeunload', leave);
	target.addEventListener(leavingEvent, leave);
	target.addEventListener('pagehide', leave);
	target.addEventListener('pageshow', stay);
	target.addEventListener('unhandledrejection', rejected);
	target.addEventListener('vite:preloadError', preloadFailed);
	return () => {
		clearTimeout(timer);
		target.removeEventListener('beforeunload', leave);
		target.removeEventListener(leavingEvent, leave);
		target.removeEventListener('pagehide', leave);
		target.removeEventListener('pageshow', stay);
		target.removeEventListener('unhandledrejection', rejected);
		target.removeEventListener('vite:preloadError', preloadFailed);
	};
}
