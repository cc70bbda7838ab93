import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consentUses, importConsent, pupilConsent } from '$lib/server/services/consent.service';
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
});
