import { saveIdentity } from './device-store';
import { refreshRoster } from './roster-sync';

export type EnrolResult = { ok: true } | { ok: false; error: string };

/** Turns this browser into a class device with a one-time code, then fetches its roster. */
export async function enrolThisDevice(code: string): Promise<EnrolResult> {
	let response: Response;
	try {
		response = await fetch('/api/device/enrol', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			// The token comes back as an HttpOnly cookie, out of this page's reach.
			body: JSON.stringify({ code, cookie: true })
		});
	} catch {
		return { ok: false, error: 'enrol.error.offline' };
	}
	const body = (await response.json().catch(() => ({}))) as {
		token?: string;
		deviceId?: string;
		error?: string;
	};
	if (!response.ok || !body.deviceId)
		return { ok: false, error: body.error ?? 'enrol.error.unknown' };
	await saveIdentity({ deviceId: body.deviceId, enrolledAt: new Date().toISOString() });
	await refreshRoster();
	return { ok: true };
}
