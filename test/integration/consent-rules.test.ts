import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import {
	consentOverview,
	consentUses,
	pupilConsent,
	recordConsent,
	saveUse,
	tripSnapshot
} from '$lib/server/services/consent.service';
import {
	consentRules,
	saveConsentRules,
	setPupilCarers
} from '$lib/server/services/consent-rules.service';
import type { StaffActor } from '$lib/server/context';
import { createDemoSchool, demoStaff } from '$lib/server/demo/demo-school';
import { classesFor } from '$lib/server/services/class.service';
import { findStaffByEmail } from '$lib/server/repositories/staff.repository';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { consentEntry, makeClass, makeSchool, makeStaff } from './factories';

/** The seeds' own consent rules: every carer with parental responsibility, and uses never allowed. */
describe(`the school's consent rules (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let otherAdmin: StaffActor;
	let classA: string;
	let pupils: string[];

	const entry = consentEntry;

	beforeEach(async () => {
		ctx = await freshDatabase();
		ctx.clock.set(new Date('2026-11-22T10:00:00Z'));
		({ admin } = await makeSchool(ctx));
		({ admin: otherAdmin } = await makeSchool(ctx));
		classA = await makeClass(ctx, admin, 3, ['Nia R', 'Ola K', 'Ben T']);
		pupils = (await listPupilsOfClass(ctx.db, admin.schoolId, classA)).map((p) => p.id);
	});
	afterEach(() => ctx.close());

	it('is off by default, is changed only by the office, the admin and the DSL, for one school, audited', async () => {
		expect(await consentRules(ctx, admin)).toEqual({ needsAllCarers: false });
		const teacher = (await makeStaff(ctx, admin, 'teacher', 'Teacher A')).actor;
		expect(await saveConsentRules(ctx, teacher, { needsAllCarers: true })).toEqual({
			ok: false,
			error: 'consentRules.error.notAllowed'
		});
		expect(await saveConsentRules(ctx, admin, { needsAllCarers: true })).toEqual({ ok: true });
		expect(await consentRules(ctx, admin)).toEqual({ needsAllCarers: true });
		// Another school's setting is its own.
		expect(await consentRules(ctx, otherAdmin)).toEqual({ needsAllCarers: false });
		const dsl = (await makeStaff(ctx, admin, 'dsl', 'Dee Lead')).actor;
		expect(await saveConsentRules(ctx, dsl, { needsAllCarers: false })).toEqual({ ok: true });
		expect(await consentRules(ctx, admin)).toEqual({ needsAllCarers: false });

		const audit = (await listAudit(ctx.db, admin.schoolId)).filter(
			(a) => a.action === 'consent.rules-changed'
		);
		expect(audit).toHaveLength(2);
		expect(audit.map((a) => JSON.parse(String(a.detail)) as unknown)).toEqual(
			expect.arrayContaining([{ needsAllCarers: true }, { needsAllCarers: false }])
		);
		expect(
			(await listAudit(ctx.db, otherAdmin.schoolId)).some(
				(a) => a.action === 'consent.rules-changed'
			)
		).toBe(false);
	});

	it('makes one carer’s yes "check" until every carer recorded has said yes', async () => {
		const website = (await consentUses(ctx, admin.schoolId)).find((u) => u.key === 'website')!;
		const [nia, ola, ben] = pupils as [string, string, string];
		await recordConsent(ctx, admin, nia, entry(website.id));
		await recordConsent(ctx, admin, ola, entry(website.id));
		await recordConsent(
			ctx,
			admin,
			ola,
			entry(website.id, { givenBy: 'Alex Jones', relationship: 'father' })
		);
		await recordConsent(ctx, admin, ben, entry(website.id));
		const verdicts = async () => {
			const o = (await consentOverview(ctx, admin, classA))!;
			return Object.fromEntries(o.pupils.map((p) => [p.id, p.cells[website.id]!.verdict]));
		};
		expect(await verdicts()).toEqual({ [nia]: 'allowed', [ola]: 'allowed', [ben]: 'allowed' });

		await saveConsentRules(ctx, admin, { needsAllCarers: true });
		// Ben's family has one carer with parental responsibility, as the office records.
		expect(await setPupilCarers(ctx, admin, ben, 1)).toEqual({ ok: true });
		expect(await verdicts()).toEqual({ [nia]: 'check', [ola]: 'allowed', [ben]: 'allowed' });
		const overview = (await consentOverview(ctx, admin, classA))!;
		expect(overview.rules).toEqual({ needsAllCarers: true });
		expect(overview.pupils.find((p) => p.id === nia)!.cells[website.id]).toMatchObject({
			verdict: 'check',
			reason: 'other-carers',
			carers: { granted: 1, needed: 2 }
		});
		const page = (await pupilConsent(ctx, admin, nia))!;
		expect(page.carers).toEqual({ recorded: null, needed: 2 });
		expect(page.cells[website.id]!.verdict).toBe('check');

		// The trip device gets "check", never why.
		const trip = await tripSnapshot(ctx, admin, {
			classIds: [classA],
			groupName: 'Castle trip',
			endsAt: new Date(ctx.clock.now().getTime() + 8 * 3_600_000).toISOString()
		});
		if (!trip.ok) throw new Error(trip.error);
		const s = trip.download.snapshot;
		const at = s.uses.findIndex((u) => u.id === website.id);
		expect(s.pupils.find((p) => p.id === nia)!.verdicts[at]).toBe('check');
		expect(JSON.stringify(s)).not.toContain('other-carers');

		const audit = await listAudit(ctx.db, admin.schoolId);
		const carersEntry = audit.find((a) => a.action === 'consent.carers-recorded')!;
		expect(carersEntry.subjectId).toBe(ben);
		expect(JSON.parse(String(carersEntry.detail))).toEqual({ carers: 1 });
	});

	it('gives a trip the worse of today’s verdict and its last day’s: a yes running out mid-trip is not allowed', async () => {
		const website = (await consentUses(ctx, admin.schoolId)).find((u) => u.key === 'website')!;
		expect(website.allowedWhenUnanswered).toBe(false);
		const [nia, ola] = pupils as [string, string, string];
		// Today is 2026-11-22; Nia's yes ends tomorrow, Ola's lasts beyond the trip.
		await recordConsent(ctx, admin, nia, entry(website.id, { validUntil: '2026-11-23' }));
		await recordConsent(ctx, admin, ola, entry(website.id, { validUntil: '2026-12-31' }));
		const trip = await tripSnapshot(ctx, admin, {
			classIds: [classA],
			groupName: 'Three-day residential',
			endsAt: '2026-11-24T16:00:00.000Z'
		});
		if (!trip.ok) throw new Error(trip.error);
		const s = trip.download.snapshot;
		const at = s.uses.findIndex((u) => u.id === website.id);
		expect(s.pupils.find((p) => p.id === nia)!.verdicts[at]).toBe('not-allowed');
		expect(s.pupils.find((p) => p.id === ola)!.verdicts[at]).toBe('allowed');
	});

	it('refuses a carers count out of range, or for another school’s pupil', async () => {
		expect(await setPupilCarers(ctx, admin, pupils[0]!, 0)).toEqual({
			ok: false,
			error: 'consentRules.error.carers'
		});
		expect(await setPupilCarers(ctx, admin, pupils[0]!, 7)).toEqual({
			ok: false,
			error: 'consentRules.error.carers'
		});
		expect(await setPupilCarers(ctx, otherAdmin, pupils[0]!, 1)).toEqual({
			ok: false,
			error: 'consent.error.pupil'
		});
	});

	it('never allows a use the school never allows, and tells the trip device so', async () => {
		const named = (await consentUses(ctx, admin.schoolId)).find((u) => u.key === 'named')!;
		await recordConsent(ctx, admin, pupils[0]!, entry(named.id));
		expect(
			await saveUse(ctx, admin, {
				id: named.id,
				name: named.name,
				allowedWhenUnanswered: true,
				neverAllowed: true
			})
		).toEqual({ ok: true });
		const uses = await consentUses(ctx, admin.schoolId);
		expect(uses.find((u) => u.id === named.id)!.neverAllowed).toBe(true);
		// Another school's "named" use is untouched.
		expect(
			(await consentUses(ctx, otherAdmin.schoolId)).find((u) => u.key === 'named')!.neverAllowed
		).toBe(false);
		const overview = (await consentOverview(ctx, admin, classA))!;
		expect(overview.pupils[0]!.cells[named.id]).toMatchObject({
			verdict: 'not-allowed',
			reason: 'school-rule'
		});
		const trip = await tripSnapshot(ctx, admin, {
			classIds: [classA],
			groupName: 'Castle trip',
			endsAt: new Date(ctx.clock.now().getTime() + 8 * 3_600_000).toISOString()
		});
		if (!trip.ok) throw new Error(trip.error);
		const s = trip.download.snapshot;
		expect(s.uses.find((u) => u.id === named.id)).toEqual({
			id: named.id,
			name: named.name,
			neverAllowed: true
		});
		const at = s.uses.findIndex((u) => u.id === named.id);
		expect(s.pupils.every((p) => p.verdicts[at] === 'not-allowed')).toBe(true);
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(
			JSON.parse(String(audit.find((a) => a.action === 'consent.use-changed')!.detail))
		).toMatchObject({
			neverAllowed: true
		});
	});

	it('the demo school follows its seed: both parents, and names never with photos', async () => {
		const { schoolId } = await createDemoSchool(ctx, 'Demo for the consent rules', {
			reports: true
		});
		const staff = (await findStaffByEmail(ctx.db, demoStaff.admin.email))!;
		const demoAdmin: StaffActor = {
			schoolId,
			staffId: staff.id,
			role: 'admin',
			name: staff.name,
			email: staff.email,
			classIds: []
		};
		expect(await consentRules(ctx, demoAdmin)).toEqual({ needsAllCarers: true });
		const uses = await consentUses(ctx, schoolId);
		expect(uses.filter((u) => u.neverAllowed).map((u) => u.key)).toEqual(['named']);
		const cells = [];
		for (const c of await classesFor(ctx, demoAdmin)) {
			const o = (await consentOverview(ctx, demoAdmin, c.id))!;
			cells.push(...o.pupils.flatMap((p) => Object.values(p.cells)));
		}
		const named = uses.find((u) => u.key === 'named')!;
		const website = uses.find((u) => u.key === 'website')!;
		expect(cells.filter((c) => c.reason === 'school-rule').length).toBeGreaterThan(30);
		expect(cells.some((c) => c.verdict === 'check')).toBe(true);
		expect(cells.filter((c) => c.verdict === 'allowed').length).toBeGreaterThan(100);
		const hedgehogs = (await classesFor(ctx, demoAdmin)).find((c) => c.name === 'Hedgehogs')!;
		const o = (await consentOverview(ctx, demoAdmin, hedgehogs.id))!;
		// The first Hedgehog's family both said yes to the website; names never go with photos.
		expect(o.pupils[0]!.cells[website.id]!.verdict).toBe('allowed');
		expect(o.pupils[0]!.cells[named.id]!.reason).toBe('school-rule');
	});
});
