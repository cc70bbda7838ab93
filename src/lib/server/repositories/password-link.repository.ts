import type { Db } from '../context';

export interface PasswordLinkRow {
	schoolId: string;
	staffId: string;
	madeBy: string | null;
	madeAt: string;
	expiresAt: string;
	usedAt: string | null;
}

export async function insertPasswordLink(
	db: Db,
	link: { tokenHash: string; schoolId: string; staffId: string; madeBy: string | null },
	now: Date,
	expiresAt: Date
): Promise<void> {
	await db
		.insertInto('password_link')
		.values({
			token_hash: link.tokenHash,
			school_id: link.schoolId,
			staff_id: link.staffId,
			made_by: link.madeBy,
			made_at: now.toISOString(),
			expires_at: expiresAt.toISOString(),
			used_at: null
		})
		.execute();
}

/**
 * A link by its token's hash. Like `findStaffByEmail`, unscoped: whoever opens the link is
 * not signed in, so the token itself tells us the school.
 */
export async function findPasswordLink(
	db: Db,
	tokenHash: string
): Promise<PasswordLinkRow | undefined> {
	const row = await db
		.selectFrom('password_link')
		.selectAll()
		.where('token_hash', '=', tokenHash)
		.executeTakeFirst();
	return (
		row && {
			schoolId: row.school_id,
			staffId: row.staff_id,
			madeBy: row.made_by,
			madeAt: row.made_at,
			expiresAt: row.expires_at,
			usedAt: row.used_at
		}
	);
}

/** Uses a link up; false when it was already used (two tabs at once: only one wins). */
export async function useUpPasswordLink(
	db: Db,
	schoolId: string,
	tokenHash: string,
	now: Date
): Promise<boolean> {
	const result = await db
		.updateTable('password_link')
		.set({ used_at: now.toISOString() })
		.where('school_id', '=', schoolId)
		.where('token_hash', '=', tokenHash)
		.where('used_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** A new link for someone ends any older one not yet used. */
export async function endPasswordLinksOf(
	db: Db,
	schoolId: string,
	staffId: string,
	now: Date
): Promise<void> {
	await db
		.updateTable('password_link')
		.set({ used_at: now.toISOString() })
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.where('used_at', 'is', null)
		.execute();
}
