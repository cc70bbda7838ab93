/**
 * Asks the browser to keep this device's data even when space runs low, so nothing a
 * pupil saved offline is thrown away. Returns whether it was granted.
 */
export async function askToPersist(): Promise<boolean> {
	if (typeof navigator === 'undefined' || !navigator.storage?.persist) return false;
	try {
		if (await navigator.storage.persisted()) return true;
		return await navigator.storage.persist();
	} catch {
		return false;
	}
}
