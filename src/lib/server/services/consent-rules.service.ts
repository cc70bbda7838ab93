import { randomUUID } from 'node:crypto';
import { canAct, canUseClass } from '$lib/domain/roles';
import type { AppContext, StaffActor } from '../context';
import {
	carersOf,
	consentSettingsOf,
	insertPupilCarers,
	saveConsentSettings,
	type ConsentSettings
} from '../repositories/consent.repository';
import { getPupil } from '../repositories/pupil.repository';
import { audited } from './audited';

/**
 * The school's own consent rules (the seeds': "consent has to be given by both parents", and
 * "names never published with images"). The second is a flag on a use (`saveUse`); the first
 * is a school setting here, with how many carers with parental responsibility the office has
 * recorded for a pupil.
 */

export type { ConsentSettings };
export type Outcome = { ok: true } | { ok: false; error: string };

/**
 * With the rule on and nothing recorded for the pupil, consent needs two carers' yeses: the
 * seed's words are "both parents". The office records one (or three…) on the pupil's page.
 */
export const assumedCarers = 2;
/** The most carers with parental responsibility the office can record for one pupil. */
export const maxCarers = 6;

export async function consentRules(ctx: AppContext, actor: StaffActor): Promise<ConsentSettings> {
	return consentSettingsOf(ctx.db, actor.schoolId);
}

/** Changes the school's consent rules (office/admin and DSL), audited. */
export async function saveConsentRules(
	ctx: AppContext,
	actor: StaffActor,
	settings: ConsentSettings
): Promise<Outcome> {
	if (!canAct(actor, 'consent.manage'))
		return { ok: false, error: 'consentRules.error.notAllowed' };
	await audited(
		ctx,
		actor,
		{
			action: 'consent.rules-changed',
			subjectType: 'school',
			subjectId: actor.schoolId,
			detail: { needsAllCarers: settings.needsAllCarers }
		},
		(trx) =>
			saveConsentSettings(
				trx,
				actor.schoolId,
				{ needsAllCarers: settings.needsAllCarers },
				actor.staffId,
				ctx.clock.now().toISOString()
			)
	);
	return { ok: true };
}

/** Records how many carers have parental responsibility for a pupil (append-only, audited). */
export async function setPupilCarers(
	ctx: AppContext,
	actor: StaffActor,
	pupilId: string,
	carers: number
): Promise<Outcome> {
	if (!canAct(actor, 'consent.manage'))
		return { ok: false, error: 'consentRules.error.notAllowed' };
	const pupil = await getPupil(ctx.db, actor.schoolId, pupilId);
	if (!pupil || pupil.archived || !canUseClass(actor, pupil.classId))
		return { ok: false, error: 'consent.error.pupil' };
	if (!Number.isInteger(carers) || carers < 1 || carers > maxCarers)
		return { ok: false, error: 'consentRules.error.carers' };
	await audited(
		ctx,
		actor,
		{
			action: 'consent.carers-recorded',
			subjectType: 'pupil',
			subjectId: pupilId,
			detail: { carers }
		},
		(trx) =>
			insertPupilCarers(trx, actor.schoolId, {
				id: randomUUID(),
				pupilId,
				carers,
				setBy: actor.staffId,
				setAt: ctx.clock.now().toISOString()
			})
	);
	return { ok: true };
}

/**
 * For each pupil: how many carers' yeses the verdict needs (null when the rule is off), and
 * what the office recorded.
 */
export async function carersNeededFor(
	ctx: AppContext,
	schoolId: string,
	pupilIds: readonly string[]
): Promise<{
	settings: ConsentSettings;
	recorded: Map<string, number>;
	needed: (pupilId: string) => number | null;
}> {
	const [settings, recorded] = await Promise.all([
		consentSettingsOf(ctx.db, schoolId),
		carersOf(ctx.db, schoolId, pupilIds)
	]);
	return {
		settings,
		recorded,
		needed: (pupilId) => (settings.needsAllCarers ? (recorded.get(pupilId) ?? assumedCarers) : null)
	};
}
