import type { AppContext, StaffActor } from '../context';
import { addClass, addPupils, assignTeacher, classDetail } from '../services/class.service';
import { setPasswordWithLink } from '../services/password-link.service';
import { seedStaff, seedTeach } from '../services/seed.service';
import { createSchoolWithAdmin } from '../services/setup.service';
import { newPicturesForPupil, setClassPictures } from '../services/picture-password.service';
import { enrolWithSecret } from '../services/second-factor.service';
import { addDemoConsent } from './demo-consent';
import { addDemoLessonResults } from './demo-lessons';
import { addDemoReports } from './demo-reports';
import { addDemoTrip } from './demo-trips';

/**
 * A made-up school for the demo and the browser tests. Every name here is invented;
 * never put a real child's name in demo data.
 */
export const demoPassword = 'lantern-demo-2026';

/**
 * The demo's made-up authenticator secret (Base32), already set up for the demo's DSL and
 * admin, who must use a second factor. Printed by `npm run demo`; add it to an authenticator
 * app as a time-based key, or compute codes from it (the browser tests do).
 */
export const demoSecondFactorSecret = 'LANTERNDEMOBRIGHTWATERSECRETKEYS';

/** The demo accounts that sign in with a code from the demo secret. */
export const demoSecondFactorStaff = ['admin', 'dsl'] as const;

export const demoStaff = {
	admin: { name: 'Morgan Reed', email: 'admin@brightwater.example', role: 'admin' },
	dsl: { name: 'Priya Shah', email: 'dsl@brightwater.example', role: 'dsl' },
	year1: { name: 'Tom Ellis', email: 'teacher.y1@brightwater.example', role: 'teacher' },
	year4: { name: 'Ffion Jones', email: 'teacher.y4@brightwater.example', role: 'teacher' },
	year6: { name: 'Sam Okafor', email: 'teacher.y6@brightwater.example', role: 'teacher' },
	trip: { name: 'Lee Carter', email: 'trips@brightwater.example', role: 'trip' }
} as const;

const classes = [
	{
		name: 'Hedgehogs',
		yearGroup: 1,
		teacher: 'year1',
		pupils: 'Alfie B,Bea C,Cody D,Daisy E,Eli F,Freya G,Gus H,Hana I,Ivo J,Juno K,Kit L,Luna M'
	},
	{
		name: 'Kestrels',
		yearGroup: 4,
		teacher: 'year4',
		pupils: 'Arlo N,Bryn O,Cerys P,Dewi Q,Elin R,Finn S,Gwen T,Harri U,Isla V,Jac W,Kai X,Lowri Y'
	},
	{
		name: 'Otters',
		yearGroup: 6,
		teacher: 'year6',
		pupils:
			'Amara Z,Ben A,Cleo B,Dara C,Emrys D,Fern E,Gethin F,Hattie G,Iolo H,Jess I,Kian J,Mali K'
	}
] as const;

export const demoSchoolName = 'Brightwater Primary School (demo)';

export interface DemoOptions {
	/** Class iPads and made-up reports in the inbox (the demo has them; most tests start without). */
	reports?: boolean;
}

export async function createDemoSchool(
	ctx: AppContext,
	schoolName = demoSchoolName,
	options: DemoOptions = {}
): Promise<{ schoolId: string }> {
	const admin = demoStaff.admin;
	const created = await createSchoolWithAdmin(
		ctx,
		{ schoolName, adminName: admin.name, email: admin.email, password: demoPassword },
		// The first DSL comes from setup, and chooses a password through the link.
		{ firstRun: true, dsl: { name: demoStaff.dsl.name, email: demoStaff.dsl.email } }
	);
	if (!created.ok || !created.dsl)
		throw new Error(`The demo school could not be made: ${created.ok ? 'no DSL' : created.error}`);
	const dslSet = await setPasswordWithLink(ctx, created.dsl.token, demoPassword);
	if (!dslSet.ok) throw new Error(`The demo DSL's password: ${dslSet.error}`);
	const actor: StaffActor = {
		schoolId: created.schoolId,
		staffId: created.adminId,
		role: 'admin',
		name: admin.name,
		email: admin.email,
		classIds: []
	};

	// Seeded as if each person had chosen their own password and the DSL had approved.
	const ids = new Map<string, string>([['dsl', created.dsl.id]]);
	for (const [key, person] of Object.entries(demoStaff)) {
		if (key === 'admin' || key === 'dsl') continue;
		ids.set(key, await seedStaff(ctx, actor, person, demoPassword));
	}
	ids.set('admin', created.adminId);
	for (const key of demoSecondFactorStaff) {
		await enrolWithSecret(
			ctx.db,
			created.schoolId,
			ids.get(key)!,
			demoSecondFactorSecret,
			ctx.clock.now()
		);
	}

	const classIds = new Map<string, string>();
	for (const c of classes) {
		const made = await addClass(ctx, actor, { name: c.name, yearGroup: c.yearGroup });
		if (!made.ok) throw new Error(`Demo class ${c.name}: ${made.error}`);
		classIds.set(c.name, made.classId);
		await seedTeach(ctx, actor, made.classId, ids.get(c.teacher)!);
		const pupils = c.pupils.split(',').map((p) => {
			const [firstName = '', lastInitial = ''] = p.split(' ');
			return { firstName, lastInitial };
		});
		await addPupils(ctx, { ...actor, classIds: [made.classId] }, made.classId, pupils, 'import');
		// The youngest class uses picture passwords after "Find my name", as many KS1 classes would.
		if (c.yearGroup === 1) await addDemoPictures(ctx, actor, made.classId);
	}
	if (options.reports) {
		const devices = await addDemoReports(ctx, actor, classIds, {
			dsl: demoStaff.dsl.email,
			year1: demoStaff.year1.email,
			year4: demoStaff.year4.email,
			year6: demoStaff.year6.email
		});
		await addDemoConsent(ctx, actor, [...classIds.values()]);
		await addDemoTrip(ctx, demoStaff.trip.email, classIds.get('Kestrels')!);
		await addDemoLessonResults(
			ctx,
			actor,
			classes.map((c) => ({
				classId: classIds.get(c.name)!,
				yearGroup: c.yearGroup,
				device: devices.get(c.name)!
			}))
		);
	}
	// One change waiting for the DSL on the home page: a teacher newly put on another class.
	await assignTeacher(ctx, actor, classIds.get('Hedgehogs')!, ids.get('year6')!, null);
	return { schoolId: created.schoolId };
}

/** Pupils of the demo's Year 1 class who joined lately, and have no picture password yet. */
export const demoPupilsWithoutPictures = ['Kit L.', 'Luna M.'];

/**
 * Picture passwords for the Hedgehogs, made (and never shown) as if at the start of the year,
 * except for two newcomers: the README's route makes theirs on the cards page, where the
 * teacher sees them, and gives anyone else new pictures.
 */
async function addDemoPictures(ctx: AppContext, actor: StaffActor, classId: string) {
	await setClassPictures(ctx, actor, classId, true);
	const detail = await classDetail(ctx, actor, classId);
	for (const pupil of detail?.pupils ?? []) {
		if (demoPupilsWithoutPictures.includes(`${pupil.firstName} ${pupil.lastInitial}.`)) continue;
		const made = await newPicturesForPupil(ctx, actor, classId, pupil.id);
		if (!made.ok) throw new Error(`Demo pictures: ${made.error}`);
	}
}
