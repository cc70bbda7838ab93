import type { NewStaffInput } from '$lib/domain/staff';
import type { AppContext, StaffActor } from '../context';
import { approveAsSeed } from './approval.service';
import { assignTeacher } from './class.service';
import { setPasswordWithLink } from './password-link.service';
import { addStaff, setPupilContact } from './staff.service';

/**
 * Seeding a school (the demo, tests) the way a real one comes about: the admin adds each
 * person, each person chooses their own password through their link (the same rules), and
 * the DSL's approvals are recorded as a seed. Never reached from a page.
 */
export async function seedStaff(
	ctx: AppContext,
	admin: StaffActor,
	person: NewStaffInput,
	password: string
): Promise<string> {
	const added = await addStaff(ctx, admin, person);
	if (!added.ok) throw new Error(`Staff ${person.email}: ${added.error}`);
	const set = await setPasswordWithLink(ctx, added.token, password);
	if (!set.ok) throw new Error(`Staff ${person.email}: ${set.error}`);
	if (person.role === 'dsl')
		await approveAsSeed(ctx, admin.schoolId, { what: 'account', staffId: added.staffId });
	return added.staffId;
}

/** A class assignment, as if the DSL had approved it. */
export async function seedTeach(
	ctx: AppContext,
	admin: StaffActor,
	classId: string,
	staffId: string,
	cover: { from: string; until: string } | null = null
): Promise<void> {
	const done = await assignTeacher(ctx, admin, classId, staffId, cover);
	if (!done.ok) throw new Error(done.error);
	await approveAsSeed(ctx, admin.schoolId, { what: 'class', classId, staffId });
}

/** A place on the pupils' list of adults, as if the DSL had approved it (a teacher's waits). */
export async function seedPupilContact(
	ctx: AppContext,
	admin: StaffActor,
	staffId: string
): Promise<void> {
	const done = await setPupilContact(ctx, admin, staffId, true);
	if (!done.ok) throw new Error(done.error);
	await approveAsSeed(ctx, admin.schoolId, { what: 'contact', staffId });
}
