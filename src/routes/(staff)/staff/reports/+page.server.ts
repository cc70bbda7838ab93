import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { inboxFor } from '$lib/server/services/report.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, depends }) => {
	depends('lantern:reports');
	// The next page starts after the last report shown: its time and id.
	const at = url.searchParams.get('before') ?? '';
	const id = url.searchParams.get('beforeId') ?? '';
	const inbox = await inboxFor(app(), staffActor(locals), {
		before: !Number.isNaN(Date.parse(at)) && /^[0-9a-f-]{36}$/.test(id) ? { at, id } : undefined
	});
	return {
		...inbox,
		// Only what the list shows: the words stay on the report page.
		items: inbox.items.map((item) => ({
			id: item.id,
			receivedAt: item.receivedAt,
			topic: item.topic,
			feeling: item.feeling,
			urgent: item.urgent,
			pinned: item.pinned,
			audience: item.audience,
			pupilName: item.pupilName,
			identityDoubt: item.identityDoubt,
			classNames: item.classNames,
			status: item.state.status,
			seenByMe: item.seenByMe,
			hasWords: item.words !== null,
			hasDrawing: item.hasDrawing,
			hasVoice: item.hasVoice,
			alerted: inbox.alerts.includes(item.id)
		}))
	};
};
