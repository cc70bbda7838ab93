import { error } from '@sveltejs/kit';
import { csvDocument, csvLine } from '$lib/domain/csv';
import { staffActor } from '$lib/server/access';
import { app } from '$lib/server/app';
import { readRange } from '$lib/server/report-range';
import { auditExport, reportsBetween } from '$lib/server/services/report.service';
import { translator } from '$lib/i18n/i18n.svelte';
import { staffLanguage } from '$lib/i18n/languages';
import '$lib/i18n/reports';
import type { RequestHandler } from './$types';

/** The incident log for a date range, as CSV: safe to open in a spreadsheet. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const ctx = app();
	const actor = staffActor(locals);
	const range = readRange(url.searchParams, ctx.clock.now(), 30);
	if (!range) error(400, 'Please choose a start date on or before the end date.');
	const t = translator(staffLanguage(locals.lang));
	const items = await reportsBetween(ctx, actor, range.from, range.to);
	const header = [
		'Report id',
		'Received',
		'Made on device',
		'Class',
		'Pupil',
		'What about',
		'Feeling',
		'Urgent',
		'Sent to',
		'Words',
		'Drawing',
		'Voice note',
		'Status',
		'Incident category',
		'Actions',
		'Outcome',
		'Outcome reason'
	];
	const lines = [csvLine(header)];
	for (const r of [...items].reverse()) {
		lines.push(
			csvLine([
				r.id,
				r.receivedAt,
				r.createdOnDevice,
				r.classNames.join('; '),
				r.pupilName ?? t('reports.notSaid'),
				t(`reports.topic.${r.topic}`),
				r.feeling ? t(`reports.feeling.${r.feeling}`) : '',
				r.urgent ? 'yes' : 'no',
				r.audience === 'dsl-only' ? 'DSL only' : 'Class teacher and DSL',
				r.words,
				r.hasDrawing ? 'yes' : 'no',
				r.hasVoice ? 'yes' : 'no',
				t(`reports.state.${r.state.status}`),
				r.state.category ? t(`reports.category.${r.state.category}`) : '',
				r.actionsTaken
					.map((kind) =>
						t(`reports.event.${kind}`, { minutes: '', to: '', role: '', category: '', outcome: '' })
					)
					.join('; '),
				r.state.closed ? t(`reports.outcome.${r.state.closed.outcome}`) : '',
				r.state.closed?.text ?? ''
			])
		);
	}
	await auditExport(ctx, actor, { from: range.fromDay, to: range.toDay, rows: items.length });
	return new Response(csvDocument(lines), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="incident-log-${range.fromDay}-to-${range.toDay}.csv"`,
			'cache-control': 'no-store'
		}
	});
};
