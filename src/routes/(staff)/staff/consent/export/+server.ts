import { error } from '@sveltejs/kit';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { consentExport } from '$lib/server/services/consent-forms.service';
import { addConsentWords } from '$lib/i18n/consent';
import { translator } from '$lib/i18n/i18n.svelte';
import { staffLanguage } from '$lib/i18n/languages';
import type { RequestHandler } from './$types';

/**
 * The consent overview as CSV, safe to open in a spreadsheet: `?class=` for one class, or
 * every class the person may see. Every download is audited.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	addConsentWords();
	const t = translator(staffLanguage(locals.lang));
	const outcome = await consentExport(
		app(),
		staffActor(locals),
		url.searchParams.get('class') || null,
		(key, values) => t(key, values)
	);
	if (!outcome.ok)
		error(outcome.status, outcome.status === 403 ? 'Not your class.' : 'No such class.');
	// A class named in Welsh ("Dosbarth Ŵyn") keeps its letters where the browser understands it.
	const plain = outcome.filename.normalize('NFKD').replace(/[^\x20-\x7e]/g, '');
	return new Response(outcome.csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(outcome.filename)}`,
			'cache-control': 'no-store'
		}
	});
};
