import type { LockState } from '$lib/domain/sign-in-policy';
import type { Db } from '../context';

export async function getLock(db: Db, email: string): Promise<LockState> {
	const row = await db
		.selectFrom('sign_in_lock')
		.select(['failures', 'locked_until'])
		.where('email', '=', email)
		.executeTakeFirst();
	return { failures: row?.failures ?? 0, lockedUntil: row?.locked_until ?? null };
}

export async function saveLock(db: Db, email: string, state: LockState): Promise<void> {
	await db
		.insertInto('sign_in_lock')
		.values({ email, failures: state.failures, locked_until: state.lockedUntil })
		.onConflict((oc) =>
			oc.column('email').doUpdateSet({ failures: state.failures, locked_until: state.lockedUntil })
		)
		.execute();
}

export async function clearLock(db: Db, email: string): Promise<void> {
	await db.deleteFrom('sign_in_lock').where('email', '=', email).execute();
}

/**
 * One more failure for the account, counted by the database in one step, so tries that arrive
 * together are all counted. `lockedUntilAfter` gives the wait for the new count (or null).
 */
export async function addFailure(
	db: Db,
	email: string,
	lockedUntilAfter: (failures: number) => string | null
): Promise<LockState> {
	const row = await db
		.insertInto('sign_in_lock')
		.values({ email, failures: 1, locked_until: null })
		.onConflict((oc) =>
			oc.column('email').doUpdateSet((eb) => ({ failures: eb('sign_in_lock.failures', '+', 1) }))
		)
		.returning('failures')
		.executeTakeFirstOrThrow();
	const failures = Number(row.failures);
	const lockedUntil = lockedUntilAfter(failures);
	if (lockedUntil !== null)
		await db
			.updateTable('sign_in_lock')
			.set({ locked_until: lockedUntil })
			.where('email', '=', email)
			.execute();
	return { failures, lockedUntil };
}
