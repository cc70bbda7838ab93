import { json } from '@sveltejs/kit';
import { heartbeatSchema } from '$lib/domain/device';
import { app } from '$lib/server/app';
import { deviceActor } from '$lib/server/access';
import { recordHeartbeat } from '$lib/server/services/device.service';
import { readJsonBody, refusal, smallJsonBytes } from '$lib/server/json-body';
import type { RequestHandler } from './$types';

/** A device's regular report: version, waiting items, storage, who is signed in, recent scans. */
export const POST: RequestHandler = async ({ locals, request }) => {
	const device = deviceActor(locals);
	const read = await readJsonBody(request, { maxBytes: smallJsonBytes });
	if (!read.ok) return refusal(read);
	const beat = heartbeatSchema.safeParse(read.value);
	if (!beat.success)
		return json({ error: 'The heartbeat was not in the expected shape.' }, { status: 400 });
	await recordHeartbeat(app(), device, beat.data);
	return json({ ok: true });
};
