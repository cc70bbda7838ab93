import type { RosterCard } from '$lib/domain/pupil-card';
import type { Db } from '../context';

export interface NewCard {
	cardId: string;
	pupilId: string;
	secretHash: string;
	issuedBy: string;
	expiresAt: string;
}

export async function insertCards(
	db: Db,
	schoolId: string,
	cards: readonly NewCard[],
	now: Date
): Promise<void> {
	if (cards.length === 0) return;
	await db
		.insertInto('pupil_card')
		.values(
			cards.map((c) => ({
				card_id: c.cardId,
				school_id: schoolId,
				pupil_id: c.pupilId,
				secret_hash: c.secretHash,
				issued_by: c.issuedBy,
				issued_at: now.toISOString(),
				expires_at: c.expiresAt,
				revoked_at: null
			}))
		)
		.execute();
}

/** Revokes the live cards of these pupils (a reissue, or voiding a class). */
export async function revokeCardsOfPupils(
	db: Db,
	schoolId: string,
	pupilIds: readonly string[],
	now: Date
): Promise<number> {
	if (pupilIds.length === 0) return 0;
	const result = await db
		.updateTable('pupil_card')
		.set({ revoked_at: now.toISOString() })
		.where('school_id', '=', schoolId)
		.where('pupil_id', 'in', pupilIds)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/** Live cards (not revoked, not expired) of pupils in these classes, as a device's roster holds them. */
export async function liveCardsOfClasses(
	db: Db,
	schoolId: string,
	classIds: readonly string[],
	now: Date
): Promise<RosterCard[]> {
	if (classIds.length === 0) return [];
	const rows = await db
		.selectFrom('pupil_card')
		.innerJoin('pupil', 'pupil.id', 'pupil_card.pupil_id')
		.select([
			'pupil_card.card_id',
			'pupil_card.pupil_id',
			'pupil_card.secret_hash',
			'pupil_card.expires_at'
		])
		.where('pupil_card.school_id', '=', schoolId)
		.where('pupil.school_id', '=', schoolId)
		.where('pupil.class_id', 'in', classIds)
		.where('pupil.archived_at', 'is', null)
		.where('pupil_card.revoked_at', 'is', null)
		.where('pupil_card.expires_at', '>', now.toISOString())
		.execute();
	return rows.map((r) => ({
		cardId: r.card_id,
		pupilId: r.pupil_id,
		secretHash: r.secret_hash,
		expiresAt: r.expires_at
	}));
}

/** Which pupils of a class have a live card, for the cards page. */
export async function pupilsWithLiveCards(
	db: Db,
	schoolId: string,
	classId: string,
	now: Date
): Promise<Set<string>> {
	const cards = await liveCardsOfClasses(db, schoolId, [classId], now);
	return new Set(cards.map((c) => c.pupilId));
}

/** A card of the school by its id, live or not (for flagging what devices report). */
export async function findCard(
	db: Db,
	schoolId: string,
	cardId: string
): Promise<{ pupilId: string; revokedAt: string | null } | undefined> {
	const row = await db
		.selectFrom('pupil_card')
		.select(['pupil_id', 'revoked_at'])
		.where('school_id', '=', schoolId)
		.where('card_id', '=', cardId)
		.executeTakeFirst();
	return row && { pupilId: row.pupil_id, revokedAt: row.revoked_at };
}
