import { error } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { classesFor } from '$lib/server/services/class.service';
import { consentSheet } from '$lib/server/services/consent-forms.service';
import type { PageServerLoad } from './$types';

/** Pupils × uses for one class (the first the person can see, unless they choose another). */
export const load: PageServerLoad = async ({ locals, url }) => {
	const ctx = app();
	const actor = staffActor(locals);
	const classes = (await classesFor(ctx, actor)).map((c) => ({ id: c.id, name: c.name }));
	const classId = url.searchParams.get('class') ?? classes[0]?.id ?? null;
	if (!classId) return { classes, overview: null };
	// The overview, with who answered each use and when (shown, printed and downloaded).
	const overview = await consentSheet(ctx, actor, classId);
	if (!overview) error(404, 'No such class');
	return { classes, overview };
};
