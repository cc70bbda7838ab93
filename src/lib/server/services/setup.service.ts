import type { FirstRunInput } from '$lib/domain/staff';
import type { AppContext, Db } from '../context';
import { passwordRefusal } from '../common-passwords';
import { newId } from '../ids';
import { makePasswordLink } from './password-link.service';
import { hashPassword, noPasswordYet } from '../password';
import { appendAudit } from '../repositories/audit.repository';
import {
	claimFirstRun,
	findSchoolByName,
	firstRunDone,
	insertSchool
} from '../repositories/school.repository';
import { findStaffByEmail, insertStaff } from '../repositories/staff.repository';

export type SetupResult =
	| {
			ok: true;
			schoolId: string;
			adminId: string;
			/** The first DSL's id and one-time set-password link, when setup named one. */
			dsl?: { id: string; token: string };
	  }
	| { ok: false; error: string };

export interface SetupOptions {
	/** The web page's path: it works once per install. */
	firstRun: boolean;
	/** The password was typed by someone other than the admin (the command line): changed at first sign-in. */
	passwordChosenElsewhere?: boolean;
	/** The school's first DSL, in effect at once (nobody is there yet to approve them). */
	dsl?: { name: string; email: string };
}

export async function isFirstRunDone(ctx: AppContext): Promise<boolean> {
	return firstRunDone(ctx.db);
}

/**
 * Creates a school and its first admin. `firstRun` is the web page's path: it works once per
 * install. The command-line path can add further schools to a trust's install, but never a
 * second school of the same name, so nobody can give themselves an admin for an existing school.
 */
export async function createSchoolWithAdmin(
	ctx: AppContext,
	input: FirstRunInput,
	options: SetupOptions
): Promise<SetupResult> {
	const refusal = passwordRefusal(input.password, { email: input.email, name: input.adminName });
	if (refusal) return { ok: false, error: refusal };
	const dslEmail = options.dsl?.email.trim().toLowerCase();
	if (dslEmail && dslEmail === input.email.trim().toLowerCase())
		return { ok: false, error: 'accountApproval.error.dslNotAdmin' };
	const now = ctx.clock.now();
	const passwordHash = await hashPassword(input.password);
	const schoolId = newId();
	const adminId = newId();
	try {
		return await ctx.db.transaction().execute(async (trx) => {
			if (options.firstRun && (await firstRunDone(trx))) {
				return { ok: false as const, error: 'setup.error.alreadyDone' };
			}
			if (await findSchoolByName(trx, input.schoolName)) {
				return { ok: false as const, error: 'setup.error.schoolExists' };
			}
			if (await findStaffByEmail(trx, input.email)) {
				return { ok: false as const, error: 'staff.error.emailTaken' };
			}
			if (options.dsl && (await findStaffByEmail(trx, options.dsl.email))) {
				return { ok: false as const, error: 'staff.error.emailTaken' };
			}
			await insertSchool(trx, { id: schoolId, name: input.schoolName }, now);
			if (options.firstRun) await claimFirstRun(trx, schoolId, now);
			await insertStaff(
				trx,
				schoolId,
				{
					id: adminId,
					email: input.email,
					name: input.adminName,
					role: 'admin',
					passwordHash,
					mustChangePassword: options.passwordChosenElsewhere === true
				},
				now
			);
			const dsl = options.dsl && (await addFirstDsl(trx, schoolId, adminId, options.dsl, now));
			await appendAudit(trx, {
				schoolId,
				at: now,
				actorId: adminId,
				action: 'school.created',
				subjectType: 'school',
				subjectId: schoolId,
				detail: { via: options.firstRun ? 'first-run page' : 'command' }
			});
			return { ok: true as const, schoolId, adminId, ...(dsl ? { dsl } : {}) };
		});
	} catch (error) {
		// Two first-run requests at once: the loser hits the one-row table's primary key.
		if (options.firstRun && (await firstRunDone(ctx.db)))
			return { ok: false, error: 'setup.error.alreadyDone' };
		throw error;
	}
}

/** The school's first DSL comes from setup: in effect at once, with a link to set a password. */
async function addFirstDsl(
	trx: Db,
	schoolId: string,
	adminId: string,
	person: { name: string; email: string },
	now: Date
): Promise<{ id: string; token: string }> {
	const id = newId();
	await insertStaff(
		trx,
		schoolId,
		{
			id,
			email: person.email,
			name: person.name,
			role: 'dsl',
			passwordHash: noPasswordYet
		},
		now
	);
	await appendAudit(trx, {
		schoolId,
		at: now,
		actorId: adminId,
		action: 'staff.added',
		subjectType: 'staff',
		subjectId: id,
		detail: { role: 'dsl', via: 'setup', firstDsl: true }
	});
	const token = await makePasswordLink(trx, { schoolId, staffId: id, madeBy: adminId }, now);
	return { id, token };
}
