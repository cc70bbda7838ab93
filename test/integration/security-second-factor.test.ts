import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kindOf } from '$lib/domain/audit-log';
import { can, staffRoles } from '$lib/domain/roles';
import { requiredAction } from '$lib/domain/route-access';
import { stepAt } from '$lib/domain/second-factor';
import { lookUpSession, signIn } from '$lib/server/services/auth.service';
import {
	changeSecondFactor,
	confirmEnrolment,
	passSecondFactor,
	resetSecondFactor,
	startEnrolment
} from '$lib/server/services/second-factor.service';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { issueKnownDevice } from '$lib/server/services/sign-in-throttle';
import { listDslNotices } from '$lib/server/repositories/dsl-notice.repository';
import { countSessionsOfStaff } from '$lib/server/repositories/session.repository';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { codeAtStep, makeSchool, makeStaff, nextCode, password, signInFully } from './factories';

describe(`second factor, as an attacker tries it, on ${dialectUnderTest}`, () => {
	let ctx: TestContext;
	beforeEach(async () => (ctx = await freshDatabase()));
	afterEach(async () => ctx.close());

	/** Signs in with the password only: a half-signed-in session. */
	async function half(email: string) {
		const signed = await signIn(ctx, email, password);
		if (!signed.ok) throw new Error('password refused');
		return signed;
	}

	/** Six-digit codes that are none of the codes the app would take now (never right by chance). */
	function wrongCodes(secret: string, count: number): string[] {
		const now = stepAt(ctx.clock.now());
		const right = new Set([now - 1, now, now + 1].map((step) => codeAtStep(secret, step)));
		const codes: string[] = [];
		for (let n = 100_000; codes.length < count; n++)
			if (!right.has(String(n))) codes.push(String(n));
		return codes;
	}

	it('gives a DSL or an admin with no second factor no full session from a password alone', async () => {
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl');
		for (const email of [admin.email, dsl.email]) {
			const signed = await half(email);
			expect(signed.stage).toBe('enrol');
			expect(await lookUpSession(ctx, signed.sessionToken)).toMatchObject({
				status: 'second-factor',
				stage: 'enrol'
			});
		}
	});

	it('lets a teacher in with a password alone, unless LANTERN_SECOND_FACTOR=all', async () => {
		const { admin } = await makeSchool(ctx);
		const teacher = await makeStaff(ctx, admin, 'teacher');
		expect((await lookUpSession(ctx, teacher.token)).status).toBe('active');

		const strict = await freshDatabase({ secondFactor: 'all' });
		try {
			const school = await makeSchool(strict);
			const other = await makeStaff(strict, school.admin, 'teacher');
			expect(await lookUpSession(strict, other.token)).toMatchObject({
				status: 'second-factor',
				stage: 'enrol'
			});
		} finally {
			await strict.close();
		}
	});

	it('asks an enrolled DSL for a code after the password, every time', async () => {
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl');
		const first = await signInFully(ctx, dsl.email);
		expect((await lookUpSession(ctx, first.token)).status).toBe('active');

		const again = await half(dsl.email);
		expect(again.stage).toBe('code');
		expect(await lookUpSession(ctx, again.sessionToken)).toMatchObject({
			status: 'second-factor',
			stage: 'code'
		});
		// The half session's id is worth nothing once the code is given: a new one is issued.
		const passed = await passSecondFactor(
			ctx,
			again.actor,
			again.sessionToken,
			nextCode(ctx, dsl.email, first.secret!)
		);
		expect(passed.ok).toBe(true);
		expect(await lookUpSession(ctx, again.sessionToken)).toEqual({ status: 'none' });
		if (passed.ok) expect((await lookUpSession(ctx, passed.sessionToken)).status).toBe('active');
	});

	it('refuses a replayed code, even from two requests at once', async () => {
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl');
		const { secret } = await signInFully(ctx, dsl.email);
		ctx.clock.advanceMinutes(1);
		const code = nextCode(ctx, dsl.email, secret!);

		const one = await half(dsl.email);
		const two = await half(dsl.email);
		const answers = await Promise.all([
			passSecondFactor(ctx, one.actor, one.sessionToken, code),
			passSecondFactor(ctx, two.actor, two.sessionToken, code)
		]);
		expect(answers.filter((a) => a.ok)).toHaveLength(1);
		expect(answers.find((a) => !a.ok)).toEqual({ ok: false, reason: 'used' });

		const three = await half(dsl.email);
		expect(await passSecondFactor(ctx, three.actor, three.sessionToken, code)).toEqual({
			ok: false,
			reason: 'used'
		});
		expect((await lookUpSession(ctx, three.sessionToken)).status).toBe('second-factor');
	});

	it('refuses a code from outside one step either side of now', async () => {
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl');
		const { secret } = await signInFully(ctx, dsl.email);
		ctx.clock.advanceMinutes(5);
		const now = stepAt(ctx.clock.now());
		for (const step of [now - 3, now - 2, now + 2, now + 3]) {
			const signed = await half(dsl.email);
			expect(
				await passSecondFactor(ctx, signed.actor, signed.sessionToken, codeAtStep(secret!, step))
			).toEqual({ ok: false, reason: 'wrong' });
		}
		const signed = await half(dsl.email);
		const edge = await passSecondFactor(
			ctx,
			signed.actor,
			signed.sessionToken,
			codeAtStep(secret!, now - 1)
		);
		expect(edge.ok).toBe(true);
	});

	it('counts wrong codes towards the lockout, which ends the half session', async () => {
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl');
		const { secret } = await signInFully(ctx, dsl.email);
		const wrong = wrongCodes(secret!, ctx.config.signIn.maxFailures);
		const signed = await half(dsl.email);
		const answers: string[] = [];
		for (let i = 0; i < ctx.config.signIn.maxFailures; i++) {
			const answer = await passSecondFactor(ctx, signed.actor, signed.sessionToken, wrong[i]!);
			answers.push(answer.ok ? 'passed' : answer.reason);
		}
		expect(answers.at(-1)).toBe('locked');
		expect(answers.slice(0, -1).every((a) => a === 'wrong')).toBe(true);
		expect(await lookUpSession(ctx, signed.sessionToken)).toEqual({ status: 'none' });
		expect(await signIn(ctx, dsl.email, password)).toMatchObject({ ok: false, reason: 'locked' });
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(audit.filter((a) => a.action === 'staff.second-factor-failed').length).toBe(
			ctx.config.signIn.maxFailures - 1
		);
	});

	it('counts every one of 30 wrong codes sent at once: the account slows down at the policy number and the half session ends', async () => {
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl');
		const { secret } = await signInFully(ctx, dsl.email);
		const signed = await half(dsl.email);
		const max = ctx.config.signIn.maxFailures;
		const answers = await Promise.all(
			wrongCodes(secret!, 30).map((code) =>
				passSecondFactor(ctx, signed.actor, signed.sessionToken, code, { address: '192.0.2.30' })
			)
		);
		const reasons = answers.map((a) => (a.ok ? 'passed' : a.reason));
		// Checked one at a time: five wrong, the sixth slows the account down, and every later
		// try is turned away (slowed down, or too many waiting) without a code being compared.
		expect(reasons.filter((r) => r === 'wrong')).toHaveLength(max - 1);
		expect(reasons.filter((r) => r !== 'wrong' && r !== 'locked' && r !== 'throttled')).toEqual([]);
		expect(reasons.filter((r) => r === 'locked').length).toBeGreaterThanOrEqual(1);
		const lock = await ctx.db
			.selectFrom('sign_in_lock')
			.select(['failures', 'locked_until'])
			.where('email', '=', dsl.email)
			.executeTakeFirstOrThrow();
		expect(lock.failures).toBe(max);
		expect(lock.locked_until).not.toBeNull();
		expect(await lookUpSession(ctx, signed.sessionToken)).toEqual({ status: 'none' });
		expect(await signIn(ctx, dsl.email, password)).toMatchObject({ ok: false, reason: 'locked' });
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(audit.filter((a) => a.action === 'staff.second-factor-failed')).toHaveLength(max - 1);
		expect(audit.filter((a) => a.action === 'staff.locked-out')).toHaveLength(1);
	});

	it('does not forget wrong codes when the password is given again', async () => {
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl');
		const { secret } = await signInFully(ctx, dsl.email);
		const max = ctx.config.signIn.maxFailures;
		const wrong = wrongCodes(secret!, max);
		const first = await half(dsl.email);
		for (const code of wrong.slice(0, max - 1))
			expect(await passSecondFactor(ctx, first.actor, first.sessionToken, code)).toEqual({
				ok: false,
				reason: 'wrong'
			});
		// The right password again gives a new half session, but not five more guesses.
		const again = await half(dsl.email);
		expect(again.stage).toBe('code');
		expect(await passSecondFactor(ctx, again.actor, again.sessionToken, wrong[max - 1]!)).toEqual({
			ok: false,
			reason: 'locked'
		});
		expect(await lookUpSession(ctx, again.sessionToken)).toEqual({ status: 'none' });
		expect(await signIn(ctx, dsl.email, password)).toMatchObject({ ok: false, reason: 'locked' });
	});

	it('turns away code tries from an address past the sign-in limit', async () => {
		const limited = await freshDatabase({
			signInThrottle: { perAddressPerMinute: 3, globalPerMinute: 10_000 }
		});
		try {
			const { admin } = await makeSchool(limited);
			const dsl = await makeStaff(limited, admin, 'dsl');
			const { secret } = await signInFully(limited, dsl.email);
			const signed = await signIn(limited, dsl.email, password);
			if (!signed.ok) throw new Error('password refused');
			const reasons: string[] = [];
			const now = stepAt(limited.clock.now());
			const right = new Set([now - 1, now, now + 1].map((s) => codeAtStep(secret!, s)));
			for (let n = 100_000; reasons.length < 4; n++) {
				if (right.has(String(n))) continue;
				const answer = await passSecondFactor(
					limited,
					signed.actor,
					signed.sessionToken,
					String(n),
					{
						address: '192.0.2.31'
					}
				);
				reasons.push(answer.ok ? 'passed' : answer.reason);
			}
			expect(reasons).toEqual(['wrong', 'wrong', 'wrong', 'throttled']);
		} finally {
			await limited.close();
		}
	});

	it('still lets the real person through the code page on a known device while a stranger keeps failing', async () => {
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl');
		const { secret } = await signInFully(ctx, dsl.email);
		const knownDevice = await issueKnownDevice(ctx, dsl.actor);
		for (let i = 0; i < ctx.config.signIn.maxFailures + 2; i++)
			await signIn(ctx, dsl.email, 'guess', { address: `198.51.100.${i + 1}` });
		const signed = await signIn(ctx, dsl.email, password, { address: '192.0.2.40', knownDevice });
		if (!signed.ok) throw new Error(`refused: ${signed.reason}`);
		expect(signed.stage).toBe('code');
		const passed = await passSecondFactor(
			ctx,
			signed.actor,
			signed.sessionToken,
			nextCode(ctx, dsl.email, secret!),
			{ address: '192.0.2.40' }
		);
		expect(passed.ok).toBe(true);
	});

	it('writes "signed in" only once the second factor has passed, never for a password alone', async () => {
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl');
		const { secret } = await signInFully(ctx, dsl.email);
		const signedInSoFar = async () =>
			(await listAudit(ctx.db, admin.schoolId)).filter(
				(a) => a.action === 'staff.signed-in' && a.actorId === dsl.id
			).length;
		const before = await signedInSoFar();
		// A stolen password, then a wrong code: nobody signed in.
		const thief = await half(dsl.email);
		await passSecondFactor(ctx, thief.actor, thief.sessionToken, wrongCodes(secret!, 1)[0]!);
		expect(await signedInSoFar()).toBe(before);
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(audit.map((a) => a.action)).toContain('staff.password-accepted');
		expect(kindOf('staff.password-accepted')).toBe('sign-in');
		// The real person: password and code, one complete sign-in.
		const real = await half(dsl.email);
		const passed = await passSecondFactor(
			ctx,
			real.actor,
			real.sessionToken,
			nextCode(ctx, dsl.email, secret!)
		);
		expect(passed.ok).toBe(true);
		expect(await signedInSoFar()).toBe(before + 1);
	});

	it('takes each recovery code once, and keeps only their hashes', async () => {
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl');
		const signed = await half(dsl.email);
		const started = await startEnrolment(ctx, signed.actor);
		if ('enrolled' in started) throw new Error('already enrolled');
		const enrolled = await confirmEnrolment(
			ctx,
			signed.actor,
			signed.sessionToken,
			nextCode(ctx, dsl.email, started.secret)
		);
		if (!enrolled.ok) throw new Error('enrolment refused');
		expect(enrolled.recoveryCodes).toHaveLength(10);
		expect(new Set(enrolled.recoveryCodes).size).toBe(10);
		const stored = await ctx.db.selectFrom('staff_recovery_code').select('code_hash').execute();
		const plain = enrolled.recoveryCodes.map((c) => c.replace(/-/g, ''));
		expect(stored.some((s) => plain.some((p) => s.code_hash.includes(p)))).toBe(false);

		const code = enrolled.recoveryCodes[3]!;
		const first = await half(dsl.email);
		expect(
			await passSecondFactor(ctx, first.actor, first.sessionToken, code.toUpperCase())
		).toMatchObject({ ok: true, recoveryLeft: 9 });
		const second = await half(dsl.email);
		expect(await passSecondFactor(ctx, second.actor, second.sessionToken, code)).toEqual({
			ok: false,
			reason: 'wrong'
		});
	});

	it('changes or removes a second factor only with the password and a current code, audited, ending other sessions', async () => {
		const { admin } = await makeSchool(ctx);
		const teacher = await makeStaff(ctx, admin, 'teacher');
		const here = await signInFully(ctx, teacher.email);
		const started = await startEnrolment(ctx, here.actor);
		if ('enrolled' in started) throw new Error('already enrolled');
		const enrolled = await confirmEnrolment(
			ctx,
			here.actor,
			here.token,
			nextCode(ctx, teacher.email, started.secret)
		);
		if (!enrolled.ok) throw new Error('enrolment refused');
		const secret = started.secret;
		await signIn(ctx, teacher.email, password); // another browser, half signed in
		expect(await countSessionsOfStaff(ctx.db, admin.schoolId, teacher.id)).toBe(3);

		const token = enrolled.sessionToken;
		const code = () => nextCode(ctx, teacher.email, secret);
		const remove = { intent: 'remove' as const };
		expect(
			await changeSecondFactor(ctx, teacher.actor, token, { ...remove, password, code: '' })
		).toEqual({ ok: false, error: 'secondFactor.error.wrongCode' });
		expect(
			await changeSecondFactor(ctx, teacher.actor, token, {
				...remove,
				password: 'not it',
				code: code()
			})
		).toEqual({ ok: false, error: 'account.error.currentPasswordWrong' });
		expect(await countSessionsOfStaff(ctx.db, admin.schoolId, teacher.id)).toBe(3);

		expect(
			await changeSecondFactor(ctx, teacher.actor, token, { ...remove, password, code: code() })
		).toEqual({ ok: true, enrolNow: false });
		expect(await countSessionsOfStaff(ctx.db, admin.schoolId, teacher.id)).toBe(1);
		expect((await lookUpSession(ctx, token)).status).toBe('active');
		expect((await half(teacher.email)).stage).toBe('full');
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(audit.map((a) => a.action)).toContain('staff.second-factor-removed');
	});

	it('lets a DSL move to a new phone but never remove the second factor', async () => {
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl');
		const here = await signInFully(ctx, dsl.email);
		const there = await signInFully(ctx, dsl.email);
		const code = () => nextCode(ctx, dsl.email, here.secret!);
		expect(
			await changeSecondFactor(ctx, dsl.actor, here.token, {
				intent: 'remove',
				password,
				code: code()
			})
		).toEqual({ ok: false, error: 'secondFactor.error.required' });
		expect(
			await changeSecondFactor(ctx, dsl.actor, here.token, {
				intent: 'change',
				password,
				code: code()
			})
		).toEqual({ ok: true, enrolNow: true });
		expect(await lookUpSession(ctx, there.token)).toEqual({ status: 'none' });
		expect(await lookUpSession(ctx, here.token)).toMatchObject({
			status: 'second-factor',
			stage: 'enrol'
		});
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(audit.map((a) => a.action)).toContain('staff.second-factor-changed');
	});

	it("lets an admin reset someone's second factor: audited, the DSL told, their sessions ended", async () => {
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl');
		// The school's only DSL cannot be reset by the admin (security-dsl-approval.test.ts).
		await makeStaff(ctx, admin, 'dsl', 'Other Lead');
		const session = await signInFully(ctx, dsl.email);

		const again = await signInFully(ctx, dsl.email);
		// Only admins may reach it (hooks.server.ts checks the route's action once).
		const action = requiredAction('/(staff)/staff/people?/resetSecondFactor')!;
		expect(staffRoles.filter((role) => can(role, action))).toEqual(['admin']);
		expect(await resetSecondFactor(ctx, admin, admin.staffId)).toEqual({
			ok: false,
			error: 'secondFactor.error.notYourself'
		});
		expect(await resetSecondFactor(ctx, admin, dsl.id)).toEqual({ ok: true });
		expect(await lookUpSession(ctx, session.token)).toEqual({ status: 'none' });
		expect(await lookUpSession(ctx, again.token)).toEqual({ status: 'none' });
		expect((await half(dsl.email)).stage).toBe('enrol');

		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(audit.filter((a) => a.action === 'staff.second-factor-reset')).toHaveLength(1);
		const notices = await listDslNotices(ctx.db, admin.schoolId);
		const told = notices.filter((n) => n.kind === 'second-factor-reset');
		expect(told).toEqual([expect.objectContaining({ staffId: dsl.id, actorId: admin.staffId })]);
	});
});
