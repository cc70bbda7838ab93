import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import list from '$lib/server/data/common-passwords.json';
import { commonPasswordCount } from '$lib/server/common-passwords';
import { countSessionsOfStaff } from '$lib/server/repositories/session.repository';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { changePassword, lookUpSession, signIn } from '$lib/server/services/auth.service';
import { setPasswordWithLink } from '$lib/server/services/password-link.service';
import { createSchoolWithAdmin } from '$lib/server/services/setup.service';
import { addStaff } from '$lib/server/services/staff.service';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { makeSchool, makeStaff, password, signInFully } from './factories';

/**
 * The attack: guess a staff password from the lists every attacker has, or from the person's
 * own name. Every way a password is set refuses those, and a wrong current password on the
 * account page counts towards the lockout like a failed sign-in.
 */
describe(`password rules (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	beforeEach(async () => (ctx = await freshDatabase()));
	afterEach(async () => ctx.close());

	/** Every 60th long-enough entry of the shipped list: a spread from most to least common. */
	const sample = list.passwords.filter((p) => p.length >= 10).filter((_, i) => i % 60 === 0);

	it('ships a deny-list of at least 10,000 common passwords', () => {
		expect(commonPasswordCount).toBeGreaterThanOrEqual(10_000);
		expect(sample.length).toBeGreaterThanOrEqual(20);
	});

	it('refuses deny-listed passwords at setup, through a set-password link and on the account page', async () => {
		const { admin } = await makeSchool(ctx);
		const teacher = await makeStaff(ctx, admin, 'teacher', 'Robin Teacher');
		const added = await addStaff(ctx, admin, {
			name: 'Lynn Link',
			email: 'lynn@school.example',
			role: 'teacher'
		});
		if (!added.ok) throw new Error(added.error);
		const refusedEverywhere: string[] = [];
		for (const common of sample) {
			const viaLink = await setPasswordWithLink(ctx, added.token, common);
			const viaAccount = await changePassword(ctx, teacher.actor, password, common);
			const viaSetup = await createSchoolWithAdmin(
				ctx,
				{
					schoolName: `School ${common}`,
					adminName: 'Ada Admin',
					email: 'x@y.example',
					password: common
				},
				{ firstRun: false }
			);
			const errors = [viaLink, viaAccount, viaSetup].map((r) => (r.ok ? 'taken' : r.error));
			if (errors.every((e) => e === 'password.common')) refusedEverywhere.push(common);
			else refusedEverywhere.push(`${common}: ${errors.join(', ')}`);
		}
		// Some list entries are runs like '1234567890': refused as such, which is as good.
		const notRefused = refusedEverywhere.filter((r) => r.includes(':') && r.includes('taken'));
		expect(notRefused).toEqual([]);
		// Still usable: nothing was set.
		expect(await setPasswordWithLink(ctx, added.token, 'Wrens fly past nine windows')).toEqual({
			ok: true
		});
	}, 60_000);

	it('refuses repeated, sequential and all-space passwords, and the person’s own email or name', async () => {
		const { admin } = await makeSchool(ctx);
		const added = await addStaff(ctx, admin, {
			name: 'Gwendolyn Pryce',
			email: 'g.pryce@school.example',
			role: 'teacher'
		});
		if (!added.ok) throw new Error(added.error);
		const cases: [string, string][] = [
			['aaaaaaaaaa', 'password.repeated'],
			['abababababab', 'password.repeated'],
			['1234567890', 'password.sequence'],
			['abcdefghij', 'password.sequence'],
			['qwertyuiop', 'password.sequence'],
			['0987654321', 'password.sequence'],
			['            ', 'password.allSpace'],
			['g.pryce@school', 'password.hasEmail'],
			['my name is Gwendolyn', 'password.hasName'],
			['short', 'password.tooShort']
		];
		for (const [tried, expected] of cases) {
			expect(await setPasswordWithLink(ctx, added.token, tried), tried).toEqual({
				ok: false,
				error: expected
			});
		}
		const teacher = await makeStaff(ctx, admin, 'teacher', 'Robin Teacher');
		expect(await changePassword(ctx, teacher.actor, password, 'Robin of the woods')).toEqual({
			ok: false,
			error: 'password.hasName'
		});
		expect(
			await createSchoolWithAdmin(
				ctx,
				{
					schoolName: 'Seq School',
					adminName: 'Ada Admin',
					email: 'a@b.example',
					password: 'abcdefghijk'
				},
				{ firstRun: false }
			)
		).toEqual({ ok: false, error: 'password.sequence' });
	});

	it('makes a password chosen by someone else (setup from the command line) be changed at first sign-in', async () => {
		const made = await createSchoolWithAdmin(
			ctx,
			{
				schoolName: 'Command Line School',
				adminName: 'Ada Admin',
				email: 'ada@cli.example',
				password
			},
			{ firstRun: false, passwordChosenElsewhere: true }
		);
		expect(made.ok).toBe(true);
		// The admin needs a second factor too: sign in all the way first.
		const first = await signInFully(ctx, 'ada@cli.example', password);
		const session = await lookUpSession(ctx, first.token);
		if (session.status !== 'active') throw new Error('no session');
		expect(session.actor.mustChangePassword).toBe(true);
		// The same password again is not a change.
		expect(await changePassword(ctx, session.actor, password, password)).toEqual({
			ok: false,
			error: 'password.sameAsBefore'
		});
		expect(
			await changePassword(ctx, session.actor, password, 'Wrens fly past nine windows')
		).toEqual({ ok: true });
		const again = await signInFully(ctx, 'ada@cli.example', 'Wrens fly past nine windows');
		const later = await lookUpSession(ctx, again.token);
		expect(later.status === 'active' && later.actor.mustChangePassword).toBeFalsy();
	});

	it('counts wrong current passwords on the account page towards the lockout, and ends the session at the lock', async () => {
		const { admin } = await makeSchool(ctx);
		const teacher = await makeStaff(ctx, admin, 'teacher');
		const answers: string[] = [];
		for (let i = 0; i < 6; i++) {
			const answer = await changePassword(
				ctx,
				teacher.actor,
				'a wrong guess',
				'Wrens fly past nine windows',
				teacher.token
			);
			answers.push(answer.ok ? 'changed' : answer.error);
		}
		expect(answers).toEqual([
			...Array<string>(5).fill('account.error.currentPasswordWrong'),
			'password.lockedOut'
		]);
		expect(await countSessionsOfStaff(ctx.db, admin.schoolId, teacher.id)).toBe(0);
		expect(await lookUpSession(ctx, teacher.token)).toEqual({ status: 'none' });
		// Locked for sign-in too, even with the right password.
		expect(await signIn(ctx, teacher.email, password)).toMatchObject({
			ok: false,
			reason: 'locked'
		});
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(audit.filter((a) => a.action === 'staff.current-password-wrong')).toHaveLength(5);
		expect(audit.filter((a) => a.action === 'staff.locked-out')).toHaveLength(1);
	});

	it('mixes failed sign-ins and wrong current passwords in one count', async () => {
		const { admin } = await makeSchool(ctx);
		const teacher = await makeStaff(ctx, admin, 'teacher');
		for (let i = 0; i < 3; i++) await signIn(ctx, teacher.email, 'wrong');
		for (let i = 0; i < 3; i++)
			await changePassword(
				ctx,
				teacher.actor,
				'wrong',
				'Wrens fly past nine windows',
				teacher.token
			);
		// Six in all: the sign-in is slowed down. The session made only three of them, so it goes on.
		expect(await signIn(ctx, teacher.email, password)).toMatchObject({
			ok: false,
			reason: 'locked'
		});
		expect((await lookUpSession(ctx, teacher.token)).status).toBe('active');
	});
});
