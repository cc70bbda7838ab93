/**
 * Calls `sync` whenever the device may be able to reach the school again: the network comes
 * back, or the screen becomes visible (Safari has no Background Sync). Returns the way to stop.
 */
export function whenBackInReach(sync: () => void): () => void {
	const visible = () => document.visibilityState === 'visible' && sync();
	window.addEventListener('online', sync);
	document.addEventListener('visibilitychange', visible);
	return () => {
		window.removeEventListener('online', sync);
		document.removeEventListener('visibilitychange', visible);
	};
}
