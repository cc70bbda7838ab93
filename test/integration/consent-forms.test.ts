import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaperFormInput } from '$lib/domain/consent-form';
import { translator } from '$lib/i18n/i18n.svelte';
import { addConsentWords } from '$lib/i18n/consent';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { classIdsForStaff } from '$lib/server/repositories/class.repository';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import {
	consentUses,
	pupilConsent,
	setNoPhotos,
	type ConsentUse
} from '$lib/server/services/consent.service';
import {
	consentExport,
	consentSheet,
	recordConsentForm
} from '$lib/server/services/consent-forms.service';
import type { StaffActor } from '$lib/server/context';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { makeClass, makeSchool, makeStaff, teach } from './factories';

addConsentWords();
const t = translator('en');
const rows = (csv: string) => Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;

/** Item 16 and 17 of issue 13: a whole paper form in one save, and the overview as CSV. */
describe(`consent forms and the consent export (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let dsl: StaffActor;
	let teacher: StaffActor;
	let classA: string;
	let classB: string;
	let pupils: string[];
	let uses: ConsentUse[];
	const use = (key: string) => uses.find((u) => u.key === key)!.id;

	const form = (over: Partial<PaperFormInput> = {}): PaperFormInput => ({
		givenBy: 'Amara Okoye',
		relationship: 'mother',
		givenOn: '2026-09-05',
		validFrom: '',
		validUntil: '',
		source: 'paper-form',
		answers: { [use('website')]: 'yes', [use('press')]: 'no', [use('named')]: 'none' },
		...over
	});

	beforeEach(async () => {
		ctx = await freshDatabase();
		ctx.clock.set(new Date('2026-11-22T10:00:00Z'));
		({ admin } = await makeSchool(ctx));
		classA = await makeClass(ctx, admin, 3, ['Nia R', 'Ola K']);
		classB = await makeClass(ctx, admin, 5, ['Ben T']);
		const made = await makeStaff(ctx, admin, 'teacher', 'Teacher A');
		dsl = (await makeStaff(ctx, admin, 'dsl', 'Dee Lead')).actor;
		await teach(ctx, admin, classA, made.id);
		teacher = {
			...made.actor,
			classIds: await classIdsForStaff(ctx.db, admin.schoolId, made.id, ctx.clock.now())
		};
		pupils = (await listPupilsOfClass(ctx.db, admin.schoolId, classA)).map((p) => p.id);
		uses = await consentUses(ctx, admin.schoolId);
	});
	afterEach(() => ctx.close());

	it('records every answered use of one form in one save, with one audit entry and no free text', async () => {
		const answers = Object.fromEntries(uses.map((u) => [u.id, 'yes']));
		answers[use('press')] = 'no';
		answers[use('named')] = 'none';
		expect(await recordConsentForm(ctx, admin, pupils[0]!, form({ answers }))).toEqual({
			ok: true,
			recorded: uses.length - 1
		});
		const consent = (await pupilConsent(ctx, admin, pupils[0]!))!;
		expect(consent.history).toHaveLength(uses.length - 1);
		expect(new Set(consent.history.map((h) => h.givenBy))).toEqual(new Set(['Amara Okoye']));
		expect(new Set(consent.history.map((h) => h.givenOn))).toEqual(new Set(['2026-09-05']));
		expect(new Set(consent.history.map((h) => h.source))).toEqual(new Set(['paper-form']));
		expect(consent.cells[use('website')]).toMatchObject({ verdict: 'allowed', reason: 'granted' });
		expect(consent.cells[use('press')]).toMatchObject({
			verdict: 'not-allowed',
			reason: 'objection'
		});
		// "Not on the form" records nothing.
		expect(consent.history.some((h) => h.useId === use('named'))).toBe(false);
		expect(consent.history.find((h) => h.useId === use('press'))!.decision).toBe('refused');

		const audit = (await listAudit(ctx.db, admin.schoolId)).filter((a) =>
			a.action.startsWith('consent.')
		);
		expect(audit.map((a) => a.action)).toEqual(['consent.form-recorded']);
		const detail = JSON.stringify(audit[0]!.detail);
		expect(detail).toContain(use('press'));
		expect(detail).toContain('refused');
		expect(detail).not.toContain('Amara');
		expect(detail).not.toContain('mother');

		// The same mother says no to the website on a later form: that is a withdrawal.
		ctx.clock.advanceMinutes(60);
		expect(
			await recordConsentForm(
				ctx,
				admin,
				pupils[0]!,
				form({ givenOn: '2026-11-20', answers: { [use('website')]: 'no' } })
			)
		).toEqual({ ok: true, recorded: 1 });
		const after = (await pupilConsent(ctx, admin, pupils[0]!))!;
		expect(after.history[0]).toMatchObject({ useId: use('website'), decision: 'withdrawn' });
		expect(after.cells[use('website')]).toMatchObject({ verdict: 'not-allowed' });
	});

	it('stores nothing at all when any field is wrong, and names the field', async () => {
		const bad: [Partial<PaperFormInput>, string][] = [
			[{ givenBy: ' ' }, 'givenBy'],
			[{ givenOn: '2026-11-23' }, 'givenOn'],
			[{ validUntil: '2026-01-01' }, 'validUntil'],
			[{ source: 'imported' }, 'source'],
			[
				{ answers: { [use('website')]: 'yes', [use('press')]: 'perhaps' } },
				`answer:${use('press')}`
			],
			[{ answers: { [use('website')]: 'yes', 'no-such-use': 'yes' } }, 'answers']
		];
		for (const [over, field] of bad) {
			const result = await recordConsentForm(ctx, admin, pupils[0]!, form(over));
			expect(result).toMatchObject({ ok: false, field });
		}
		const other = (await listPupilsOfClass(ctx.db, admin.schoolId, classB))[0]!.id;
		expect(await recordConsentForm(ctx, teacher, other, form())).toMatchObject({ ok: false });
		expect(await recordConsentForm(ctx, dsl, other, form())).toMatchObject({ ok: true });
		expect((await pupilConsent(ctx, admin, pupils[0]!))!.history).toEqual([]);
		expect(
			(await listAudit(ctx.db, admin.schoolId)).filter((a) => a.action === 'consent.form-recorded')
		).toHaveLength(1);
	});

	it('stores nothing when a use on the form was retired after the form was opened', async () => {
		const answers = { [use('website')]: 'yes', [use('press')]: 'yes' };
		await ctx.db
			.updateTable('consent_use')
			.set({ retired_at: ctx.clock.now().toISOString() })
			.where('id', '=', use('press'))
			.execute();
		expect(await recordConsentForm(ctx, admin, pupils[0]!, form({ answers }))).toMatchObject({
			ok: false,
			field: 'answers'
		});
		expect((await pupilConsent(ctx, admin, pupils[0]!))!.history).toEqual([]);
	});

	it('shows who answered and when on the overview', async () => {
		await recordConsentForm(ctx, admin, pupils[0]!, form());
		const sheet = (await consentSheet(ctx, teacher, classA))!;
		expect(sheet.answers[pupils[0]!]![use('website')]).toEqual([
			{
				decision: 'granted',
				givenBy: 'Amara Okoye',
				relationship: 'mother',
				givenOn: '2026-09-05',
				validUntil: null
			}
		]);
		expect(sheet.answers[pupils[1]!]![use('website')]).toEqual([]);
		expect(await consentSheet(ctx, teacher, classB)).toBeNull();
	});

	it('exports one row per pupil with who answered and when, and audits the download', async () => {
		await recordConsentForm(ctx, admin, pupils[0]!, form());
		ctx.clock.advanceMinutes(60);
		await recordConsentForm(
			ctx,
			admin,
			pupils[0]!,
			form({ givenOn: '2026-11-05', answers: { [use('website')]: 'no' } })
		);
		const out = await consentExport(ctx, teacher, classA, t);
		if (!out.ok) throw new Error('no export');
		expect(out.filename).toMatch(/^lantern-consent-.+-2026-11-22\.csv$/);
		const [header, ...body] = rows(out.csv);
		expect(header!.slice(0, 3)).toEqual(['Class', 'Pupil', 'On the no-photos list']);
		expect(header!.slice(3)).toEqual(uses.map((u) => u.name));
		expect(body.map((r) => r[1])).toEqual(['Nia R.', 'Ola K.']);
		const websiteAt = header!.indexOf('School website');
		expect(body[0]![websiteAt]).toBe('Not allowed — withdrawn by Amara Okoye (mother), 2026-11-05');
		expect(body[0]![header!.indexOf('Local or national press')]).toBe(
			'Not allowed — refused by Amara Okoye (mother), 2026-09-05'
		);
		expect(body[1]![websiteAt]).toBe('Not allowed — no answer yet');
		const audit = (await listAudit(ctx.db, admin.schoolId)).find(
			(a) => a.action === 'consent.exported'
		)!;
		expect(audit).toMatchObject({
			actorId: teacher.staffId,
			subjectType: 'class',
			subjectId: classA
		});
		expect(JSON.parse(String(audit.detail))).toMatchObject({
			classIds: [classA],
			pupils: 2,
			withReasons: false
		});
	});

	it('lets a teacher export only their own classes', async () => {
		expect(await consentExport(ctx, teacher, classB, t)).toEqual({ ok: false, status: 403 });
		expect(await consentExport(ctx, admin, 'no-such-class', t)).toEqual({
			ok: false,
			status: 404
		});
		// Without a class: every class they may see, and no other.
		const mine = await consentExport(ctx, teacher, null, t);
		if (!mine.ok) throw new Error('no export');
		expect(
			rows(mine.csv)
				.slice(1)
				.map((r) => r[1])
		).toEqual(['Nia R.', 'Ola K.']);
		const all = await consentExport(ctx, dsl, null, t);
		if (!all.ok) throw new Error('no export');
		expect(
			rows(all.csv)
				.slice(1)
				.map((r) => r[1])
				.sort()
		).toEqual(['Ben T.', 'Nia R.', 'Ola K.']);
		// Nothing is exported, and nothing audited, for the refused request.
		const audit = (await listAudit(ctx.db, admin.schoolId)).filter(
			(a) => a.action === 'consent.exported'
		);
		expect(audit.map((a) => a.actorId)).toEqual([dsl.staffId, teacher.staffId]);
	});

	it('never puts the no-photos reason in a teacher’s CSV; the DSL and admin get it', async () => {
		await setNoPhotos(ctx, dsl, pupils[1]!, { onList: true, reason: 'Made-up court order' });
		const teachers = await consentExport(ctx, teacher, classA, t);
		if (!teachers.ok) throw new Error('no export');
		expect(teachers.csv).not.toContain('Made-up court order');
		expect(rows(teachers.csv)[0]).not.toContain('Why on the no-photos list');
		expect(rows(teachers.csv)[2]![2]).toBe('Yes');
		for (const who of [dsl, admin]) {
			const out = await consentExport(ctx, who, classA, t);
			if (!out.ok) throw new Error('no export');
			const [header, , flagged] = rows(out.csv);
			expect(flagged![header!.indexOf('Why on the no-photos list')]).toBe('Made-up court order');
		}
		// A DSL account still waiting for approval is not trusted with it either.
		const pending = await consentExport(ctx, { ...dsl, pendingApproval: true }, classA, t);
		if (pending.ok) expect(pending.csv).not.toContain('Made-up court order');
	});
});
