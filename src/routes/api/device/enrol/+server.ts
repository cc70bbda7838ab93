import { json } from '@sveltejs/kit';
import { enrolRequestSchema, parseEnrolmentCode } from '$lib/domain/device';
import { app } from '$lib/server/app';
import { setDeviceCookie } from '$lib/server/cookies';
import { enrolDevice } from '$lib/server/services/device.service';
import { readJsonBody } from '$lib/server/json-body';
import type { RequestHandler } from './$types';

/** A new class device trades a one-time enrolment code for its own token. */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
	const read = await readJsonBody(request, { maxBytes: 4096 });
	const body = enrolRequestSchema.safeParse(read.ok ? read.value : null);
	const code = body.success ? (parseEnrolmentCode(body.data.code) ?? body.data.code.trim()) : null;
	if (!code || !/^[A-Z2-7]{24}$/.test(code))
		return json({ error: 'enrol.error.malformed' }, { status: 400 });
	const result = await enrolDevice(app(), code);
	if (!result.ok)
		return json(
			{ error: result.error },
			{ status: result.error === 'enrol.error.unknown' ? 404 : 410 }
		);
	// The pupil screen asks for the token as a cookie its script cannot read (see cookies.ts);
	// other clients (and devices set up by an older version) get it in the body.
	if (body.success && body.data.cookie) {
		setDeviceCookie(cookies, result.token, url, app().config);
		return json({ deviceId: result.deviceId });
	}
	return json({ token: result.token, deviceId: result.deviceId });
};
