import { randomBytes } from 'node:crypto';
import { base32, cardExpiry, cardHashInput, formatCardToken } from '$lib/domain/pupil-card';
import { canUseClass } from '$lib/domain/roles';
import type { AppContext, StaffActor } from '../context';
import { appendAudit } from '../repositories/audit.repository';
import { audited } from './audited';
import { hashToken } from '../ids';
import {
	insertCards,
	pupilsWithLiveCards,
	revokeCardsOfPupils
} from '../repositories/card.repository';
import { getClass } from '../repositories/class.repository';
import { listPupilsOfClass } from '../repositories/pupil.repository';

export interface PrintableCard {
	pupilId: string;
	firstName: string;
	lastInitial: string;
	avatar: string;
	className: string;
	/** The QR text. Shown once, on the sheet being printed; only its hash is kept. */
	token: string;
	expiresAt: string;
}

export type CardChoice = { kind: 'missing' } | { kind: 'all' } | { kind: 'pupil'; pupilId: string };

export type CardResult = { ok: true; cards: PrintableCard[] } | { ok: false; error: string };

export function newCardSecret(): { cardId: string; secret: string } {
	return { cardId: base32(randomBytes(5)), secret: base32(randomBytes(16)) };
}

/**
 * Issues cards for a class: for pupils who have none, for everyone (the old cards stop
 * working), or for one pupil (a reissue). Returns the sheet to print.
 */
export async function issueCards(
	ctx: AppContext,
	actor: StaffActor,
	classId: string,
	choice: CardChoice
): Promise<CardResult> {
	if (!canUseClass(actor, classId)) return { ok: false, error: 'class.error.notFound' };
	const found = await getClass(ctx.db, actor.schoolId, classId);
	if (!found) return { ok: false, error: 'class.error.notFound' };
	const now = ctx.clock.now();
	const pupils = await listPupilsOfClass(ctx.db, actor.schoolId, classId);
	const haveCards = await pupilsWithLiveCards(ctx.db, actor.schoolId, classId, now);
	const chosen =
		choice.kind === 'all'
			? pupils
			: choice.kind === 'missing'
				? pupils.filter((p) => !haveCards.has(p.id))
				: pupils.filter((p) => p.id === choice.pupilId);
	if (choice.kind === 'pupil' && chosen.length === 0)
		return { ok: false, error: 'pupil.error.notFound' };
	if (chosen.length === 0) return { ok: false, error: 'cards.error.everyoneHasOne' };

	const expiresAt = cardExpiry(now, ctx.config.schoolYearEnd).toISOString();
	const issued = chosen.map((pupil) => ({ pupil, ...newCardSecret() }));
	await audited(
		ctx,
		actor,
		{
			action: 'card.issued',
			subjectType: 'class',
			subjectId: classId,
			detail: { count: issued.length, pupils: issued.map((c) => c.pupil.id), choice: choice.kind }
		},
		async (trx) => {
			await revokeCardsOfPupils(
				trx,
				actor.schoolId,
				issued.map((c) => c.pupil.id),
				now
			);
			await insertCards(
				trx,
				actor.schoolId,
				issued.map((c) => ({
					cardId: c.cardId,
					pupilId: c.pupil.id,
					secretHash: hashToken(cardHashInput(c.cardId, c.secret)),
					issuedBy: actor.staffId,
					expiresAt
				})),
				now
			);
		}
	);
	return {
		ok: true,
		cards: issued.map((c) => ({
			pupilId: c.pupil.id,
			firstName: c.pupil.firstName,
			lastInitial: c.pupil.lastInitial,
			avatar: c.pupil.avatar,
			className: found.name,
			token: formatCardToken(c.cardId, c.secret),
			expiresAt
		}))
	};
}

/** Stops every card of a class working (lost sheet, new term). */
export async function voidClassCards(
	ctx: AppContext,
	actor: StaffActor,
	classId: string
): Promise<{ ok: true; voided: number } | { ok: false; error: string }> {
	if (!canUseClass(actor, classId)) return { ok: false, error: 'class.error.notFound' };
	const found = await getClass(ctx.db, actor.schoolId, classId);
	if (!found) return { ok: false, error: 'class.error.notFound' };
	const now = ctx.clock.now();
	const pupils = await listPupilsOfClass(ctx.db, actor.schoolId, classId);
	return ctx.db.transaction().execute(async (trx) => {
		const voided = await revokeCardsOfPupils(
			trx,
			actor.schoolId,
			pupils.map((p) => p.id),
			now
		);
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action: 'card.class-voided',
			subjectType: 'class',
			subjectId: classId,
			detail: { voided }
		});
		return { ok: true as const, voided };
	});
}

export async function cardStatus(
	ctx: AppContext,
	actor: StaffActor,
	classId: string
): Promise<Set<string>> {
	return pupilsWithLiveCards(ctx.db, actor.schoolId, classId, ctx.clock.now());
}
