import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changePassword, lookUpSession, signIn, signOut } from '$lib/server/services/auth.service';
import { setDisabled, unlock } from '$lib/server/services/staff.service';
import { countSessionsOfStaff } from '$lib/server/repositories/session.repository';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { makeSchool, makeStaff, password, signInFully } from './factories';

describe(`staff sign-in on ${dialectUnderTest}`, () => {
	let ctx: TestContext;
	beforeEach(async () => (ctx = await freshDatabase()));
	afterEach(async () => ctx.close());

	it('signs in with the right password and gives a new session id every time', async () => {
		const { admin } = await makeSchool(ctx);
		const first = await signIn(ctx, admin.email, password);
		const second = await signIn(ctx, admin.email.toUpperCase(), password);
		expect(first.ok && second.ok).toBe(true);
		if (!first.ok || !second.ok) return;
		expect(first.sessionToken).not.toBe(second.sessionToken);
		expect(first.actor).toMatchObject({ schoolId: admin.schoolId, role: 'admin' });
		// An admin's password alone is half of signing in (see security-second-factor.test.ts).
		expect(await lookUpSession(ctx, first.sessionToken)).toMatchObject({
			status: 'second-factor',
			stage: 'enrol'
		});
	});

	it('answers an unknown email exactly as a wrong password', async () => {
		const { admin } = await makeSchool(ctx);
		expect(await signIn(ctx, admin.email, 'not the password')).toEqual({
			ok: false,
			reason: 'refused'
		});
		expect(await signIn(ctx, 'nobody@school.example', 'not the password')).toEqual({
			ok: false,
			reason: 'refused'
		});
	});

	it('locks after six successive failures, even for the right password, for known and unknown emails', async () => {
		const { admin } = await makeSchool(ctx);
		for (const email of [admin.email, 'nobody@school.example']) {
			const answers: string[] = [];
			for (let i = 0; i < 6; i++) {
				const answer = await signIn(ctx, email, 'wrong');
				answers.push(answer.ok ? 'signed in' : answer.reason);
			}
			expect(answers).toEqual(['refused', 'refused', 'refused', 'refused', 'refused', 'locked']);
			expect(await signIn(ctx, email, password)).toMatchObject({ ok: false, reason: 'locked' });
		}
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(audit.filter((a) => a.action === 'staff.sign-in-failed')).toHaveLength(5);
		expect(audit.filter((a) => a.action === 'staff.locked-out')).toHaveLength(1);
	});

	it('lets a locked account in again after the lock time, or when an admin unlocks it', async () => {
		const { admin } = await makeSchool(ctx);
		const teacher = await makeStaff(ctx, admin, 'teacher');
		for (let i = 0; i < 6; i++) await signIn(ctx, teacher.email, 'wrong');
		expect(await signIn(ctx, teacher.email, password)).toMatchObject({
			ok: false,
			reason: 'locked'
		});
		expect(await unlock(ctx, admin, teacher.id)).toEqual({ ok: true });
		expect(await signIn(ctx, teacher.email, password)).toMatchObject({ ok: true });

		for (let i = 0; i < 6; i++) await signIn(ctx, teacher.email, 'wrong');
		ctx.clock.advanceMinutes(ctx.config.signIn.lockMinutes + 1);
		expect(await signIn(ctx, teacher.email, password)).toMatchObject({ ok: true });
	});

	it('resets the count after a complete sign-in (password and second factor)', async () => {
		const { admin } = await makeSchool(ctx);
		for (let i = 0; i < 5; i++) await signIn(ctx, admin.email, 'wrong');
		expect((await signInFully(ctx, admin.email)).token).toBeTruthy();
		for (let i = 0; i < 5; i++) await signIn(ctx, admin.email, 'wrong');
		expect((await signInFully(ctx, admin.email)).token).toBeTruthy();
	});

	it('ends a session after ten idle minutes, but not while it is used', async () => {
		const { admin } = await makeSchool(ctx);
		const session = { sessionToken: (await signInFully(ctx, admin.email)).token };
		for (let i = 0; i < 5; i++) {
			ctx.clock.advanceMinutes(9);
			expect(await lookUpSession(ctx, session.sessionToken)).toMatchObject({ status: 'active' });
		}
		ctx.clock.advanceMinutes(10);
		expect(await lookUpSession(ctx, session.sessionToken)).toEqual({ status: 'idle' });
		expect(await lookUpSession(ctx, session.sessionToken)).toEqual({ status: 'none' });
	});

	it('follows a configured idle limit', async () => {
		await ctx.close();
		ctx = await freshDatabase({ signIn: { maxFailures: 6, lockMinutes: 30, idleMinutes: 2 } });
		const { admin } = await makeSchool(ctx);
		const session = await signIn(ctx, admin.email, password);
		if (!session.ok) throw new Error('sign-in failed');
		ctx.clock.advanceMinutes(2);
		expect(await lookUpSession(ctx, session.sessionToken)).toEqual({ status: 'idle' });
	});

	it('ends the session on sign-out', async () => {
		const { admin } = await makeSchool(ctx);
		const session = await signIn(ctx, admin.email, password);
		if (!session.ok) throw new Error('sign-in failed');
		await signOut(ctx, session.sessionToken, session.actor, 'signed-out');
		expect(await lookUpSession(ctx, session.sessionToken)).toEqual({ status: 'none' });
	});

	it('ends every session of the account when its password changes', async () => {
		const { admin } = await makeSchool(ctx);
		const teacher = await makeStaff(ctx, admin, 'teacher');
		const other = await signIn(ctx, teacher.email, password);
		expect(await countSessionsOfStaff(ctx.db, admin.schoolId, teacher.id)).toBe(2);

		expect(await changePassword(ctx, teacher.actor, 'wrong', 'a new long password')).toEqual({
			ok: false,
			error: 'account.error.currentPasswordWrong'
		});
		expect(await countSessionsOfStaff(ctx.db, admin.schoolId, teacher.id)).toBe(2);

		expect(await changePassword(ctx, teacher.actor, password, 'a new long password')).toEqual({
			ok: true
		});
		expect(await countSessionsOfStaff(ctx.db, admin.schoolId, teacher.id)).toBe(0);
		if (other.ok) expect(await lookUpSession(ctx, other.sessionToken)).toEqual({ status: 'none' });
		expect(await signIn(ctx, teacher.email, password)).toMatchObject({ ok: false });
		expect(await signIn(ctx, teacher.email, 'a new long password')).toMatchObject({ ok: true });
	});

	it('ends every session of a disabled account and refuses it like a wrong password', async () => {
		const { admin } = await makeSchool(ctx);
		const leaver = await makeStaff(ctx, admin, 'teacher');
		expect(await setDisabled(ctx, admin, leaver.id, true)).toEqual({ ok: true });
		expect(await lookUpSession(ctx, leaver.token)).toEqual({ status: 'none' });
		expect(await signIn(ctx, leaver.email, password)).toEqual({ ok: false, reason: 'refused' });
		expect(await setDisabled(ctx, admin, admin.staffId, true)).toEqual({
			ok: false,
			error: 'staff.error.notYourself'
		});
		expect(await setDisabled(ctx, admin, leaver.id, false)).toEqual({ ok: true });
		expect(await signIn(ctx, leaver.email, password)).toMatchObject({ ok: true });
	});

	it('stores passwords only as slow salted hashes', async () => {
		const { admin } = await makeSchool(ctx);
		const row = await ctx.db
			.selectFrom('staff')
			.select('password_hash')
			.where('id', '=', admin.staffId)
			.executeTakeFirstOrThrow();
		expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
		expect(row.password_hash).not.toContain(password);
		const sessions = await ctx.db.selectFrom('session').select('id_hash').execute();
		expect(sessions.every((s) => /^[0-9a-f]{64}$/.test(s.id_hash))).toBe(true);
	});
});
