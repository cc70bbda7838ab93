import type { StaffRole } from '$lib/domain/roles';
import type { AppContext, StaffActor } from '$lib/server/context';
import { signIn } from '$lib/server/services/auth.service';
import { addClass, addPupils } from '$lib/server/services/class.service';
import { createSchoolWithAdmin } from '$lib/server/services/setup.service';
import { seedStaff, seedTeach } from '$lib/server/services/seed.service';
import {
	createEnrolmentCode,
	enrolDevice,
	type DeviceActor
} from '$lib/server/services/device.service';

/** Made-up people for tests; never a real child's name. */
export const password = 'correct horse battery';
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function makeSchool(ctx: AppContext, name = `Test School ${unique()}`) {
	const email = `admin.${unique()}@school.example`;
	const made = await createSchoolWithAdmin(
		ctx,
		{ schoolName: name, adminName: 'Ada Admin', email, password },
		{ firstRun: false }
	);
	if (!made.ok) throw new Error(made.error);
	const admin: StaffActor = {
		schoolId: made.schoolId,
		staffId: made.adminId,
		role: 'admin',
		name: 'Ada Admin',
		email,
		classIds: []
	};
	return { schoolId: made.schoolId, admin };
}

export async function makeStaff(
	ctx: AppContext,
	admin: StaffActor,
	role: StaffRole,
	name = 'Robin Teacher'
) {
	const email = `${role}.${unique()}@school.example`;
	// As a school's own staff come about: added by the admin, their own password through the
	// link, a new DSL approved (the seed path: see seed.service).
	const id = await seedStaff(ctx, admin, { name, email, role }, password);
	const signedIn = await signIn(ctx, email, password);
	if (!signedIn.ok) throw new Error('could not sign in');
	return { id, email, actor: signedIn.actor, token: signedIn.sessionToken };
}

export async function makeClass(
	ctx: AppContext,
	admin: StaffActor,
	yearGroup = 4,
	pupils = ['Nia R', 'Ola K']
) {
	const made = await addClass(ctx, admin, { name: `Class ${unique()}`, yearGroup });
	if (!made.ok) throw new Error(made.error);
	const list = pupils.map((p) => {
		const [firstName = '', lastInitial = ''] = p.split(' ');
		return { firstName, lastInitial };
	});
	await addPupils(ctx, admin, made.classId, list, 'import');
	return made.classId;
}

/** A class assignment, as if the DSL had approved it. */
export async function teach(
	ctx: AppContext,
	admin: StaffActor,
	classId: string,
	staffId: string,
	cover: { from: string; until: string } | null = null
) {
	await seedTeach(ctx, admin, classId, staffId, cover);
}

/** A class device enrolled by `admin` for these classes, as the device APIs see it. */
export async function enrolClassDevice(
	ctx: AppContext,
	admin: StaffActor,
	classIds: string[]
): Promise<DeviceActor> {
	const code = await createEnrolmentCode(ctx, admin, { name: 'Class iPad', classIds });
	if (!code.ok) throw new Error(code.error);
	const done = await enrolDevice(ctx, code.code);
	if (!done.ok) throw new Error(done.error);
	return { deviceId: done.deviceId, schoolId: admin.schoolId, classIds };
}
