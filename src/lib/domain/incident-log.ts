import { csvDocument, csvLine } from './csv';
import type {
	Audience,
	Feeling,
	IdentityDoubt,
	ReportEventBody,
	ReportState,
	WorryTopic
} from './report';
import { actorWords, describeEvent, type Translate } from './report-words';
import type { StaffRole } from './roles';
import { schoolDateTime } from './school-time';

/**
 * The incident log: the record a DSL hands to an inspector. One line a report, oldest first,
 * with what the pupil sent, the summary staff need (category, people involved, referrals,
 * outcome) and every entry of its timeline with who made it (name and role) and when, in the
 * school's time. Safe to open in a spreadsheet (see csv.ts); what pupils and staff typed is text.
 */

export interface LogEntry {
	at: string;
	actorName: string | null;
	actorRole: StaffRole | null;
	body: ReportEventBody;
}

export interface LogReport {
	id: string;
	receivedAt: string;
	createdOnDevice: string;
	classNames: string[];
	pupilName: string | null;
	identityDoubt: IdentityDoubt | null;
	topic: WorryTopic;
	feeling: Feeling | null;
	urgent: boolean;
	audience: Audience;
	talkToName: string | null;
	words: string | null;
	hasDrawing: boolean;
	hasVoice: boolean;
	state: ReportState;
	/** Oldest first, as stored. */
	timeline: LogEntry[];
}

export function incidentLogCsv(
	reports: readonly LogReport[],
	t: Translate,
	timeZone: string
): string {
	const zone = { zone: timeZone };
	const when = (iso: string) => schoolDateTime(iso, timeZone);
	const yesNo = (value: boolean) => t(value ? 'reports.log.yes' : 'reports.log.no');
	const header = [
		t('reports.log.id'),
		t('reports.log.received', zone),
		t('reports.log.madeOnDevice', zone),
		t('reports.log.class'),
		t('reports.log.pupil'),
		t('reports.log.about'),
		t('reports.log.feeling'),
		t('reports.log.urgent'),
		t('reports.log.sentTo'),
		t('reports.log.talkTo'),
		t('reports.log.words'),
		t('reports.log.drawing'),
		t('reports.log.voice'),
		t('reports.log.status'),
		t('reports.log.category'),
		t('reports.log.people'),
		t('reports.log.referrals'),
		t('reports.log.outcome'),
		t('reports.log.outcomeReason'),
		t('reports.log.closedBy'),
		t('reports.log.closedAt', zone),
		t('reports.log.timeline', zone)
	];
	const lines = [csvLine(header)];
	for (const r of reports) {
		const people = r.timeline.flatMap((e) =>
			e.body.kind === 'person-involved'
				? [
						t('reports.log.who', {
							name: e.body.name,
							role: t(`reports.involvedRole.${e.body.role}`)
						})
					]
				: []
		);
		const referrals = r.timeline.flatMap((e) =>
			e.body.kind === 'referred' ? [referralSummary(e.body, t)] : []
		);
		const closing = r.state.closed
			? r.timeline.findLast((e) => e.body.kind === 'closed')
			: undefined;
		const pupil = r.pupilName ?? t('reports.notSaid');
		lines.push(
			csvLine([
				r.id,
				when(r.receivedAt),
				when(r.createdOnDevice),
				r.classNames.join('; '),
				r.identityDoubt ? `${pupil} (${t(`reports.doubt.${r.identityDoubt}`)})` : pupil,
				t(`reports.topic.${r.topic}`),
				r.feeling ? t(`reports.feeling.${r.feeling}`) : '',
				yesNo(r.urgent),
				t(r.audience === 'dsl-only' ? 'reports.log.sentToDsl' : 'reports.log.sentToClass'),
				r.talkToName ?? t('reports.classTeacher'),
				r.words ?? '',
				yesNo(r.hasDrawing),
				yesNo(r.hasVoice),
				t(`reports.state.${r.state.status}`),
				r.state.category ? t(`reports.category.${r.state.category}`) : '',
				people.join('; '),
				referrals.join('; '),
				r.state.closed ? t(`reports.outcome.${r.state.closed.outcome}`) : '',
				r.state.closed?.text ?? '',
				closing ? actorWords({ name: closing.actorName, role: closing.actorRole }, t) : '',
				r.state.closed ? when(r.state.closed.at) : '',
				timelineText(r, t, when)
			])
		);
	}
	return csvDocument(lines);
}

function referralSummary(
	body: Extract<ReportEventBody, { kind: 'referred' }>,
	t: Translate
): string {
	const to = t(`reports.referral.${body.to}`);
	return body.reference ? t('reports.log.referral', { to, reference: body.reference }) : to;
}

/**
 * Every entry, one a line, starting with its time (so no line of the cell can start like a
 * formula): "2026-11-03 14:35 — Talked with the child — Gwen Teacher (Teacher): At break."
 * A typed note's own line breaks are kept, indented under its entry.
 */
function timelineText(r: LogReport, t: Translate, when: (iso: string) => string): string {
	const lines = [`${when(r.receivedAt)} — ${t('reports.event.received')}`];
	for (const entry of r.timeline) {
		const words = describeEvent(entry.body, t);
		const who = actorWords({ name: entry.actorName, role: entry.actorRole }, t);
		const head = `${when(entry.at)} — ${words.title} — ${who}`;
		lines.push(words.text ? `${head}: ${words.text.replace(/\r?\n/g, '\n    ')}` : head);
	}
	return lines.join('\n');
}
