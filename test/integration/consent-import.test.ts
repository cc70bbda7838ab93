import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consentUses, importConsent, pupilConsent } from '$lib/server/services/consent.service';
import { listAudit } from '$lib/server/repositories/audit.repository';
import type { StaffActor } from '$lib/server/context';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { makeClass, makeSchool } from './factories';

/** Consent from real MIS exports: the two faults that once left a pupil wrongly Allowed. */
describe(`consent import from MIS exports (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let classA: string;
	let className: string;
	let pupils: string[];

	beforeEach(async () => {
		ctx = await freshDatabase();
		ctx.clock.set(new Date('2026-11-22T10:00:00Z'));
		({ admin } = await makeSchool(ctx));
		classA = await makeClass(ctx, admin, 3, ['Nia R', 'Ola K']);
		className = (
			await ctx.db
				.selectFrom('class')
				.select('name')
				.where('id', '=', classA)
				.executeTakeFirstOrThrow()
		).name;
		pupils = (
			await ctx.db
				.selectFrom('pupil')
				.select(['id', 'first_name'])
				.where('class_id', '=', classA)
				.orderBy('first_name')
				.execute()
		).map((p) => p.id);
	});
	afterEach(async () => ctx.close());

	const websiteOf = async (pupilId: string) => {
		const website = (await consentUses(ctx, admin.schoolId)).find((u) => u.key === 'website')!;
		return (await pupilConsent(ctx, admin, pupilId))!.cells[website.id]!.verdict;
	};

	it('fault 1: a SIMS re-import where a "Yes" is now blank is shown as a difference, never "the same"', async () => {
		const sims = (nia: string) =>
			[
				'Forename,Surname,Reg Group,Date,School website',
				`Nia,Roberts,${className},05/09/2026,${nia}`,
				`Ola,Khan,${className},05/09/2026,Yes`
			].join('\r\n');
		const first = await importConsent(ctx, admin, {
			text: sims('Yes'),
			settings: null,
			preset: 'generic',
			commit: true
		});
		expect(first.ok).toBe(true);
		expect(await websiteOf(pupils[0]!)).toBe('allowed');

		// The parent withdrew: SIMS exports the untick as an empty cell.
		const preview = await importConsent(ctx, admin, {
			text: sims(''),
			settings: null,
			preset: 'generic',
			commit: false
		});
		expect(preview.ok).toBe(true);
		expect('changes' in preview && preview.changes).toEqual([
			expect.objectContaining({
				pupilName: 'Nia R.',
				useName: 'School website',
				before: 'allowed',
				kind: 'blank'
			})
		]);
	});

	it('fault 2: a notes cell with an unbalanced quote refuses the file and names the line', async () => {
		const text = [
			'Forename,Surname,Reg Group,Date,School website,Notes',
			`Ola,Khan,${className},05/09/2026,Yes,"Needs a sun hat`,
			`Nia,Roberts,${className},05/09/2026,No,`
		].join('\r\n');
		const result = await importConsent(ctx, admin, {
			text,
			settings: null,
			preset: 'generic',
			commit: true
		});
		expect(result.ok).toBe(false);
		expect('problems' in result && result.problems).toEqual([
			expect.objectContaining({ line: 2, reason: 'consentImport.error.quote' })
		]);
		expect(await websiteOf(pupils[0]!)).toBe('not-allowed');
		expect(await websiteOf(pupils[1]!)).toBe('not-allowed');
	});

	it('with "this file is the complete list", records the blank as a withdrawal, by name, audited', async () => {
		const sims = (nia: string) =>
			[
				'Legal Surname,Legal Forename,Preferred Forename,Reg Group,Date Collected,School Website',
				`Roberts,Nia,,3R,05/09/2026,${nia}`,
				`Khan,Ola,,3R,05/09/2026,Yes`
			].join('\r\n');
		const first = await importConsent(ctx, admin, { text: sims('Yes'), commit: false });
		expect(first).toMatchObject({ ok: true, preset: 'sims', detected: 'sims', groups: ['3R'] });
		if (!first.ok) return;
		// The office maps the registration group once; it is remembered at the import.
		const settings = { ...first.settings, classes: { '3R': classA } };
		const done = await importConsent(ctx, admin, { text: sims('Yes'), settings, commit: true });
		expect(done).toMatchObject({ ok: true, summary: { added: 2 } });

		const again = await importConsent(ctx, admin, { text: sims(''), commit: false });
		expect(again.ok && again.settings.classes).toEqual({ '3R': classA });
		if (!again.ok) return;
		const complete = await importConsent(ctx, admin, {
			text: sims(''),
			settings: { ...again.settings, blanks: 'not-given' },
			commit: true
		});
		expect(complete.ok && complete.changes).toEqual([
			expect.objectContaining({
				pupilName: 'Nia R.',
				useName: 'School website',
				before: 'allowed',
				after: 'not-allowed',
				kind: 'blank',
				decision: 'withdrawn',
				givenBy: 'Not named in the file'
			})
		]);
		expect(complete).toMatchObject({ summary: { withdrawn: 1, unchanged: 1, blanks: 1 } });
		expect(await websiteOf(pupils[0]!)).toBe('not-allowed');
		expect(await websiteOf(pupils[1]!)).toBe('allowed');
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(audit.filter((a) => a.action === 'consent.imported')).toHaveLength(2);
	});

	it('reads an Arbor long export with two carers, and a first "no" is a refusal', async () => {
		const text = [
			'Legal First Name,Legal Last Name,Registration Form,Consent Type,Consent Status,Given By,Relationship,Date',
			`Nia,Roberts,${className},Photographs - School Website,Granted,Amara Roberts,Mother,05/09/2026`,
			`Nia,Roberts,${className},Photographs - School Website,Withdrawn,Femi Roberts,Father,12/09/2026`,
			`Nia,Roberts,${className},Educational Visits,Granted,Amara Roberts,Mother,05/09/2026`
		].join('\r\n');
		const result = await importConsent(ctx, admin, { text, commit: true });
		expect(result).toMatchObject({ ok: true, preset: 'arbor', notUsed: ['Educational Visits'] });
		expect(result.ok && result.changes.map((c) => [c.decision, c.givenBy, c.relationship])).toEqual(
			[
				['granted', 'Amara Roberts', 'Mother'],
				['refused', 'Femi Roberts', 'Father']
			]
		);
		expect(await websiteOf(pupils[0]!)).toBe('not-allowed');
	});

	it('keeps each school’s remembered choices to itself', async () => {
		const other = await makeSchool(ctx);
		const text = [
			'Forename,Surname,Class,Date,School website',
			`Nia,Roberts,${className},05/09/2026,Maybe`
		].join('\r\n');
		const stopped = await importConsent(ctx, admin, { text, commit: false });
		expect(stopped).toMatchObject({
			ok: false,
			unknownWords: ['maybe'],
			problems: [{ line: 2, reason: 'consentImport.error.unknownWord', detail: 'Maybe' }]
		});
		if (stopped.ok) return;
		const settings = { ...stopped.settings!, words: { maybe: 'none' as const } };
		expect(await importConsent(ctx, admin, { text, settings, commit: true })).toMatchObject({
			ok: true
		});
		expect(await importConsent(ctx, admin, { text, commit: false })).toMatchObject({ ok: true });
		const elsewhere = await importConsent(ctx, other.admin, { text, commit: false });
		expect(elsewhere.ok === false && elsewhere.settings?.words).toEqual({});
	});
});
