import type { ConsentEntry } from '$lib/domain/consent';
import type { StaffRole } from '$lib/domain/roles';
import type { AppContext, StaffActor } from '$lib/server/context';
import { HOTP, Secret } from 'otpauth';
import { planNextStep } from '$lib/domain/second-factor';
import { signIn } from '$lib/server/services/auth.service';
import {
	confirmEnrolment,
	passSecondFactor,
	startEnrolment
} from '$lib/server/services/second-factor.service';
import type { ManualClock } from '$lib/server/clock';
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

/** The six-digit code an authenticator app with this secret shows for a 30-second step. */
export function codeAtStep(secret: string, step: number): string {
	return HOTP.generate({ secret: Secret.fromBase32(secret), counter: step });
}

const knownSecrets = new Map<string, string>();
const lastSteps = new Map<string, number>();

/**
 * The next code for someone whose secret the test knows. Each code works once, so it takes
 * the next step the server will accept, moving the test's clock on to it when it must.
 */
export function nextCode(ctx: { clock: ManualClock }, email: string, secret: string): string {
	const plan = planNextStep(ctx.clock.now().getTime(), lastSteps.get(email));
	if (plan.waitMs > 0) ctx.clock.set(new Date(ctx.clock.now().getTime() + plan.waitMs));
	lastSteps.set(email, plan.step);
	return codeAtStep(secret, plan.step);
}

/**
 * Signs in all the way: the password, then the second factor when the account has one (set up
 * here with a new secret the first time it is asked for). Returns the full session's token.
 */
export async function signInFully(
	ctx: AppContext & { clock: ManualClock },
	email: string,
	pass = password
): Promise<{ token: string; actor: StaffActor; secret: string | null }> {
	const signed = await signIn(ctx, email, pass);
	if (!signed.ok) throw new Error(`could not sign in: ${signed.reason}`);
	if (signed.stage === 'full')
		return { token: signed.sessionToken, actor: signed.actor, secret: null };
	if (signed.stage === 'enrol') {
		const started = await startEnrolment(ctx, signed.actor);
		if ('enrolled' in started) throw new Error('already enrolled');
		knownSecrets.set(email, started.secret);
		const done = await confirmEnrolment(
			ctx,
			signed.actor,
			signed.sessionToken,
			nextCode(ctx, email, started.secret)
		);
		if (!done.ok) throw new Error(`could not enrol: ${done.reason}`);
		return { token: done.sessionToken, actor: signed.actor, secret: started.secret };
	}
	const secret = knownSecrets.get(email);
	if (!secret) throw new Error(`no known second factor for ${email}`);
	const passed = await passSecondFactor(
		ctx,
		signed.actor,
		signed.sessionToken,
		nextCode(ctx, email, secret)
	);
	if (!passed.ok) throw new Error(`second factor refused: ${passed.reason}`);
	return { token: passed.sessionToken, actor: signed.actor, secret };
}

/** One carer's answer for one use, as the office types it from a paper form; `over` changes any part. */
export function consentEntry(useId: string, over: Partial<ConsentEntry> = {}): ConsentEntry {
	return {
		useId,
		decision: 'granted',
		givenBy: 'Sam Jones',
		relationship: 'mother',
		givenOn: '2026-09-05',
		validFrom: '2026-09-05',
		validUntil: null,
		source: 'paper-form',
		...over
	};
}
