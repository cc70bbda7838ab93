import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookUpSession, signIn } from '$lib/server/services/auth.service';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { makeSchool, makeStaff, password } from './factories';

describe(`second factor, as an attacker tries it, on ${dialectUnderTest}`, () => {
	let ctx: TestContext;
	beforeEach(async () => (ctx = await freshDatabase()));
	afterEach(async () => ctx.close());

	it('gives a DSL or an admin with no second factor no full session from a password alone', async () => {
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl');
		for (const email of [admin.email, dsl.email]) {
			const signed = await signIn(ctx, email, password);
			if (!signed.ok) throw new Error('password refused');
			expect((await lookUpSession(ctx, signed.sessionToken)).status).not.toBe('active');
		}
	});
});
