import type { ReportEventBody } from './report';
import type { StaffRole } from './roles';

/**
 * How an entry of a report's timeline reads, in words: the same on the report page and in
 * the incident log, so the record says the same thing wherever it is read.
 */

/** A translation function for one language (i18next's `t`, or a test's stand-in). */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

export interface EventWords {
	title: string;
	/** What staff typed (or the person's name), shown as text, never markup; null if none. */
	text: string | null;
}

export function describeEvent(body: ReportEventBody, t: Translate): EventWords {
	switch (body.kind) {
		case 'seen':
			return { title: t('reports.event.seen'), text: null };
		case 'dsl-alerted':
			return { title: t('reports.event.dsl-alerted', { minutes: body.minutes }), text: null };
		case 'referred':
			return { title: referralWords(body, t), text: body.text || null };
		case 'person-involved':
			return {
				title: t('reports.event.person-involved', {
					role: t(`reports.involvedRole.${body.role}`)
				}),
				text: body.name
			};
		case 'incident-category':
			return {
				title: t('reports.event.incident-category', {
					category: t(`reports.category.${body.category}`)
				}),
				text: null
			};
		case 'closed':
			return {
				title: t('reports.event.closed', { outcome: t(`reports.outcome.${body.outcome}`) }),
				text: body.text
			};
		default:
			return { title: t(`reports.event.${body.kind}`), text: body.text || null };
	}
}

/** "Referred to children's social care (reference CSC-4411)". */
export function referralWords(
	body: Extract<ReportEventBody, { kind: 'referred' }>,
	t: Translate
): string {
	const to = t(`reports.referral.${body.to}`);
	return body.reference
		? t('reports.event.referredWithReference', { to, reference: body.reference })
		: t('reports.event.referred', { to });
}

/** "Dee Lead (Designated Safeguarding Lead)", or the words for Lantern itself. */
export function actorWords(
	actor: { name: string | null; role: StaffRole | null },
	t: Translate
): string {
	if (!actor.name && !actor.role) return t('reports.log.automatic');
	return t('reports.log.who', {
		name: actor.name ?? t('reports.log.unknownStaff'),
		role: actor.role ? t(`role.${actor.role}`) : ''
	});
}
