import type { Db } from '../context';
import { newId } from '../ids';

export interface SecondFactorRow {
	secret: string;
	lastStep: number | null;
	confirmedAt: string | null;
}

export async function getSecondFactor(
	db: Db,
	schoolId: string,
	staffId: string
): Promise<SecondFactorRow | undefined> {
	const row = await db
		.selectFrom('staff_second_factor')
		.select(['secret', 'last_step', 'confirmed_at'])
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.executeTakeFirst();
	return (
		row && {
			secret: row.secret,
			lastStep: row.last_step === null ? null : Number(row.last_step),
			confirmedAt: row.confirmed_at
		}
	);
}

/** Ids of the school's staff who have a second factor set up. */
export async function staffIdsWithSecondFactor(db: Db, schoolId: string): Promise<string[]> {
	const rows = await db
		.selectFrom('staff_second_factor')
		.select('staff_id')
		.where('school_id', '=', schoolId)
		.where('confirmed_at', 'is not', null)
		.execute();
	return rows.map((r) => r.staff_id);
}

/** A secret being set up (replacing any earlier one not confirmed). */
export async function savePendingSecondFactor(
	db: Db,
	schoolId: string,
	staffId: string,
	secret: string,
	now: Date
): Promise<void> {
	await db
		.deleteFrom('staff_second_factor')
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.where('confirmed_at', 'is', null)
		.execute();
	await db
		.insertInto('staff_second_factor')
		.values({
			staff_id: staffId,
			school_id: schoolId,
			secret,
			last_step: null,
			created_at: now.toISOString(),
			confirmed_at: null
		})
		.execute();
}

/**
 * Marks a step's code as used, only if no later step was used before: true for exactly one
 * of any number of requests racing with the same code, on either database.
 */
export async function claimStep(
	db: Db,
	schoolId: string,
	staffId: string,
	step: number,
	now: Date,
	confirming: boolean
): Promise<boolean> {
	let query = db
		.updateTable('staff_second_factor')
		.set(confirming ? { last_step: step, confirmed_at: now.toISOString() } : { last_step: step })
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]));
	query = confirming
		? query.where('confirmed_at', 'is', null)
		: query.where('confirmed_at', 'is not', null);
	const result = await query.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export async function deleteSecondFactor(
	db: Db,
	schoolId: string,
	staffId: string
): Promise<number> {
	await db
		.deleteFrom('staff_recovery_code')
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.execute();
	const result = await db
		.deleteFrom('staff_second_factor')
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.where('confirmed_at', 'is not', null)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

export async function replaceRecoveryCodes(
	db: Db,
	schoolId: string,
	staffId: string,
	hashes: string[]
): Promise<void> {
	await db
		.deleteFrom('staff_recovery_code')
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.execute();
	await db
		.insertInto('staff_recovery_code')
		.values(
			hashes.map((code_hash) => ({
				id: newId(),
				school_id: schoolId,
				staff_id: staffId,
				code_hash,
				used_at: null
			}))
		)
		.execute();
}

/** Uses a recovery code: true once, for the first request that names it. */
export async function useRecoveryCode(
	db: Db,
	schoolId: string,
	staffId: string,
	codeHash: string,
	now: Date
): Promise<boolean> {
	const result = await db
		.updateTable('staff_recovery_code')
		.set({ used_at: now.toISOString() })
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.where('code_hash', '=', codeHash)
		.where('used_at', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(
	db: Db,
	schoolId: string,
	staffId: string
): Promise<number> {
	const row = await db
		.selectFrom('staff_recovery_code')
		.select((eb) => eb.fn.countAll().as('n'))
		.where('school_id', '=', schoolId)
		.where('staff_id', '=', staffId)
		.where('used_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}
