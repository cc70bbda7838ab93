import type { StaffRole } from '$lib/domain/roles';
import type { Db } from '../context';

export interface StaffRecord {
	id: string;
	schoolId: string;
	email: string;
	name: string;
	role: StaffRole;
	passwordHash: string;
	disabledAt: string | null;
	pupilContact: boolean;
	/** Put on the pupils' list of adults, waiting for a DSL's approval. */
	pupilContactPending: boolean;
	/** A DSL account waiting for an existing DSL's approval. */
	pendingApproval: boolean;
	/** The password was chosen by someone else: it is changed before anything else. */
	mustChangePassword: boolean;
}

const columns = [
	'id',
	'school_id',
	'email',
	'name',
	'role',
	'password_hash',
	'disabled_at',
	'pupil_contact',
	'pending_approval',
	'must_change_password'
] as const;

type Row = {
	id: string;
	school_id: string;
	email: string;
	name: string;
	role: StaffRole;
	password_hash: string;
	disabled_at: string | null;
	pupil_contact: 'yes' | 'pending' | null;
	pending_approval: 'yes' | null;
	must_change_password: 'yes' | null;
};
const toRecord = (r: Row): StaffRecord => ({
	id: r.id,
	schoolId: r.school_id,
	email: r.email,
	name: r.name,
	role: r.role,
	passwordHash: r.password_hash,
	disabledAt: r.disabled_at,
	pupilContact: r.pupil_contact === 'yes',
	pupilContactPending: r.pupil_contact === 'pending',
	pendingApproval: r.pending_approval === 'yes',
	mustChangePassword: r.must_change_password === 'yes'
});

export function normaliseEmail(email: string): string {
	return email.trim().toLowerCase();
}

/**
 * The one unscoped staff query: at sign-in we do not yet know the school, so the
 * email (unique across the install) tells us.
 */
export async function findStaffByEmail(db: Db, email: string): Promise<StaffRecord | undefined> {
	const row = await db
		.selectFrom('staff')
		.select(columns)
		.where('email', '=', normaliseEmail(email))
		.executeTakeFirst();
	return row && toRecord(row);
}

export async function getStaff(
	db: Db,
	schoolId: string,
	staffId: string
): Promise<StaffRecord | undefined> {
	const row = await db
		.selectFrom('staff')
		.select(columns)
		.where('school_id', '=', schoolId)
		.where('id', '=', staffId)
		.executeTakeFirst();
	return row && toRecord(row);
}

export async function listStaff(db: Db, schoolId: string): Promise<StaffRecord[]> {
	const rows = await db
		.selectFrom('staff')
		.select(columns)
		.where('school_id', '=', schoolId)
		.orderBy('name')
		.execute();
	return rows.map(toRecord);
}

export interface NewStaff {
	id: string;
	email: string;
	name: string;
	role: StaffRole;
	passwordHash: string;
	/** Waits for an existing DSL's approval before it is in effect. */
	pendingApproval?: boolean;
	/** The password was chosen by someone else. */
	mustChangePassword?: boolean;
}

export async function insertStaff(
	db: Db,
	schoolId: string,
	staff: NewStaff,
	now: Date
): Promise<void> {
	await db
		.insertInto('staff')
		.values({
			id: staff.id,
			school_id: schoolId,
			email: normaliseEmail(staff.email),
			name: staff.name,
			role: staff.role,
			password_hash: staff.passwordHash,
			disabled_at: null,
			created_at: now.toISOString(),
			pending_approval: staff.pendingApproval ? 'yes' : null,
			must_change_password: staff.mustChangePassword ? 'yes' : null
		})
		.execute();
}

export async function setStaffDisabled(
	db: Db,
	schoolId: string,
	staffId: string,
	disabledAt: Date | null
): Promise<boolean> {
	const result = await db
		.updateTable('staff')
		.set({ disabled_at: disabledAt?.toISOString() ?? null })
		.where('school_id', '=', schoolId)
		.where('id', '=', staffId)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export async function setPasswordHash(
	db: Db,
	schoolId: string,
	staffId: string,
	passwordHash: string,
	options: { mustChange: boolean } = { mustChange: false }
): Promise<void> {
	await db
		.updateTable('staff')
		.set({ password_hash: passwordHash, must_change_password: options.mustChange ? 'yes' : null })
		.where('school_id', '=', schoolId)
		.where('id', '=', staffId)
		.execute();
}

/** Takes an account out of waiting: the DSL has approved it. True when it was waiting. */
export async function approveStaff(db: Db, schoolId: string, staffId: string): Promise<boolean> {
	const result = await db
		.updateTable('staff')
		.set({ pending_approval: null })
		.where('school_id', '=', schoolId)
		.where('id', '=', staffId)
		.where('pending_approval', '=', 'yes')
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/**
 * Puts an approved DSL account back to waiting for a DSL's approval (after someone else reset
 * its password or second factor, or enabled it again). False when it was already waiting.
 */
export async function holdStaffForApproval(
	db: Db,
	schoolId: string,
	staffId: string
): Promise<boolean> {
	const result = await db
		.updateTable('staff')
		.set({ pending_approval: 'yes' })
		.where('school_id', '=', schoolId)
		.where('id', '=', staffId)
		.where('pending_approval', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** How many approved, enabled DSL accounts the school has besides this person. */
export async function countOtherApprovedDsls(
	db: Db,
	schoolId: string,
	staffId: string
): Promise<number> {
	const row = await db
		.selectFrom('staff')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('school_id', '=', schoolId)
		.where('role', '=', 'dsl')
		.where('id', '!=', staffId)
		.where('pending_approval', 'is', null)
		.where('disabled_at', 'is', null)
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}

/** Moves someone's place on the pupils' list of adults from one state to another. */
export async function movePupilContact(
	db: Db,
	schoolId: string,
	staffId: string,
	from: 'yes' | 'pending' | null,
	to: 'yes' | 'pending' | null
): Promise<boolean> {
	const result = await db
		.updateTable('staff')
		.set({ pupil_contact: to })
		.where('school_id', '=', schoolId)
		.where('id', '=', staffId)
		.where('pupil_contact', from === null ? 'is' : '=', from)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}
