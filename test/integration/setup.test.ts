import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchoolWithAdmin, isFirstRunDone } from '$lib/server/services/setup.service';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';

const input = (n: number) => ({
	schoolName: `Brook Lane Primary ${n}`,
	adminName: 'Ada Admin',
	email: `admin${n}@brook.example`,
	password: 'a long first password'
});

describe(`first-run setup on ${dialectUnderTest}`, () => {
	let ctx: TestContext;
	beforeEach(async () => (ctx = await freshDatabase()));
	afterEach(async () => ctx.close());

	it('creates the school and its first admin once', async () => {
		expect(await isFirstRunDone(ctx)).toBe(false);
		expect(await createSchoolWithAdmin(ctx, input(1), { firstRun: true })).toMatchObject({
			ok: true
		});
		expect(await isFirstRunDone(ctx)).toBe(true);
		expect(await createSchoolWithAdmin(ctx, input(2), { firstRun: true })).toEqual({
			ok: false,
			error: 'setup.error.alreadyDone'
		});
		const admins = await ctx.db.selectFrom('staff').select('email').execute();
		expect(admins).toEqual([{ email: 'admin1@brook.example' }]);
	});

	it('lets only one of two simultaneous first runs through', async () => {
		const results = await Promise.all(
			[1, 2, 3].map((n) => createSchoolWithAdmin(ctx, input(n), { firstRun: true }))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		const schools = await ctx.db.selectFrom('school').select('id').execute();
		expect(schools).toHaveLength(1);
	});

	it('never makes a second admin for an existing school from the command line', async () => {
		expect(await createSchoolWithAdmin(ctx, input(1), { firstRun: false })).toMatchObject({
			ok: true
		});
		expect(
			await createSchoolWithAdmin(
				ctx,
				{ ...input(1), email: 'intruder@brook.example' },
				{ firstRun: false }
			)
		).toEqual({
			ok: false,
			error: 'setup.error.schoolExists'
		});
		expect(await createSchoolWithAdmin(ctx, input(2), { firstRun: false })).toMatchObject({
			ok: true
		});
		expect(await ctx.db.selectFrom('staff').select('email').orderBy('email').execute()).toEqual([
			{ email: 'admin1@brook.example' },
			{ email: 'admin2@brook.example' }
		]);
	});
});
