import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	hashingStats,
	resetHashingStats,
	setHashingLimits,
	withHashingSlot
} from '$lib/server/hash-gate';
import { decoyHash } from '$lib/server/password';
import { listAudit, noSchool } from '$lib/server/repositories/audit.repository';
import {
	changePassword,
	lookUpSession,
	signIn,
	type SignInResult
} from '$lib/server/services/auth.service';
import { changeSecondFactor } from '$lib/server/services/second-factor.service';
import { issueKnownDevice } from '$lib/server/services/sign-in-throttle';
import { staffOfSchool, unlock } from '$lib/server/services/staff.service';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { makeSchool, makeStaff, password, signInFully } from './factories';

/**
 * The attacks on sign-in, on loopback and bounded: a flood of bad passwords that starves
 * the CPU, one address trying thousands of times, unknown emails that fill the database,
 * and a stranger who keeps the DSL out by failing on purpose. Time is the app's clock
 * (ctx.clock), never a real wait.
 */
const reasonOf = (r: SignInResult) => (r.ok ? 'signed in' : r.reason);
const waitOf = (r: SignInResult) => (!r.ok && 'retryAfterSeconds' in r ? r.retryAfterSeconds : 0);
const lockRows = (ctx: TestContext) =>
	ctx.db
		.selectFrom('sign_in_lock')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow()
		.then((r) => Number(r.n));

describe(`sign-in throttling on ${dialectUnderTest}`, { timeout: 180_000 }, () => {
	let ctx: TestContext;
	async function limits(perAddress: number, global = 10_000) {
		const made = await freshDatabase({
			signInThrottle: { perAddressPerMinute: perAddress, globalPerMinute: global },
			hashing: { concurrency: 2, queue: 6 }
		});
		resetHashingStats();
		return made;
	}
	afterEach(async () => ctx?.close());

	it('never runs more than the cap of password hashes at once, and turns the rest away without hashing', async () => {
		ctx = await limits(1000);
		await decoyHash();
		// Two long hashes already hold both slots, as a flood would.
		let letGo = () => {};
		const held = new Promise<void>((resolve) => (letGo = resolve));
		const holders = [withHashingSlot(() => held), withHashingSlot(() => held)];
		resetHashingStats();
		const answers = Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				signIn(ctx, `nobody.${i}@school.example`, 'wrong', { address: `192.0.2.${i + 1}` })
			)
		);
		try {
			await vi.waitUntil(() => hashingStats().waiting + hashingStats().refused === 40, {
				timeout: 60_000,
				interval: 5
			});
			expect(hashingStats()).toMatchObject({ running: 2, waiting: 6, refused: 34 });
		} finally {
			letGo();
		}
		await Promise.all(holders);
		const settled = await answers;
		const stats = hashingStats();
		expect(stats.peak).toBeLessThanOrEqual(2);
		expect(stats.running).toBe(0);
		// Six waited their turn and were checked; the other 34 were never hashed.
		expect(stats.started).toBe(6);
		expect(settled.filter((a) => reasonOf(a) === 'refused')).toHaveLength(6);
		const throttled = settled.filter((a) => reasonOf(a) === 'throttled');
		expect(throttled).toHaveLength(34);
		for (const a of throttled) expect(waitOf(a)).toBeGreaterThan(0);
	});

	it('tries at one account are checked one at a time, so a burst cannot run past the slow-down', async () => {
		ctx = await limits(1000);
		const { admin } = await makeSchool(ctx);
		resetHashingStats();
		const answers = await Promise.all(
			Array.from({ length: 8 }, (_, i) =>
				signIn(ctx, admin.email, `wrong ${i}`, { address: `198.51.100.${i + 1}` })
			)
		);
		// One checked, three waiting their turn, the rest turned away unhashed.
		expect(answers.map(reasonOf)).toEqual([
			'refused',
			'refused',
			'refused',
			'refused',
			'throttled',
			'throttled',
			'throttled',
			'throttled'
		]);
		expect(hashingStats()).toMatchObject({ peak: 1, started: 4 });
		// A double-click on "Sign in" is answered twice, not refused.
		const twice = await Promise.all([
			signIn(ctx, admin.email, password, { address: '198.51.100.20' }),
			signIn(ctx, admin.email, password, { address: '198.51.100.20' })
		]);
		expect(twice.map(reasonOf)).toEqual(['signed in', 'signed in']);
	});

	it('refuses the 41st try from one address without hashing, and backs off a client that keeps trying', async () => {
		ctx = await limits(40);
		const { admin } = await makeSchool(ctx);
		setHashingLimits({ concurrency: 2, queue: 100 });
		const address = '203.0.113.7';
		// Forty tries at one made-up email: after six, its slow-down answers without hashing.
		for (let i = 0; i < 40; i++) {
			const answer = await signIn(ctx, 'nobody@school.example', 'wrong', { address });
			expect(reasonOf(answer)).toBe(i < 5 ? 'refused' : 'locked');
		}
		resetHashingStats();
		const first = await signIn(ctx, admin.email, password, { address });
		expect(first).toMatchObject({ ok: false, reason: 'throttled' });
		// Trying again without waiting doubles the wait.
		const second = await signIn(ctx, admin.email, password, { address });
		expect(second).toMatchObject({ ok: false, reason: 'throttled' });
		expect(waitOf(second)).toBeGreaterThan(waitOf(first));
		const third = await signIn(ctx, admin.email, password, { address });
		expect(waitOf(third)).toBeGreaterThan(waitOf(second));
		expect(hashingStats().started).toBe(0);
		// Another address is not held up by this one.
		expect(await signIn(ctx, admin.email, password, { address: '203.0.113.8' })).toMatchObject({
			ok: true
		});
		// Once the wait asked for has passed, the address may try again.
		ctx.clock.advanceMinutes(waitOf(third) / 60);
		expect(await signIn(ctx, admin.email, password, { address })).toMatchObject({ ok: true });
	});

	it('caps the back-off of an address that never stops', async () => {
		ctx = await limits(5);
		const address = '203.0.113.9';
		const waits: number[] = [];
		for (let i = 0; i < 30; i++) {
			const answer = await signIn(ctx, 'nobody@school.example', 'wrong', { address });
			if (reasonOf(answer) === 'throttled') waits.push(waitOf(answer));
		}
		expect(waits.length).toBeGreaterThan(20);
		expect(Math.max(...waits)).toBe(15 * 60);
		expect(waits).toEqual([...waits].sort((x, y) => x - y));
	});

	it('has a global limit across addresses, checked before hashing', async () => {
		ctx = await limits(1000, 30);
		for (let i = 0; i < 30; i++)
			await signIn(ctx, 'nobody@school.example', 'wrong', { address: `10.0.0.${i + 1}` });
		resetHashingStats();
		const answer = await signIn(ctx, 'nobody@school.example', 'wrong', { address: '10.0.1.1' });
		expect(answer).toMatchObject({ ok: false, reason: 'throttled' });
		expect(hashingStats().started).toBe(0);
	});

	it('writes no lock row and a bounded audit for 200 tries at emails nobody has', async () => {
		ctx = await limits(1000);
		setHashingLimits({ concurrency: 2, queue: 400 });
		const addresses = ['192.0.2.10', '192.0.2.11', '192.0.2.12', '192.0.2.13'];
		for (let i = 0; i < 200; i++) {
			// Eight made-up emails, 25 tries each: past the slow-down, as a script would go on.
			const answer = await signIn(ctx, `nobody.${i % 8}@school.example`, 'wrong', {
				address: addresses[i % addresses.length]
			});
			expect(answer.ok).toBe(false);
		}
		expect(await lockRows(ctx)).toBe(0);
		const audit = await listAudit(ctx.db, noSchool, 1000);
		expect(audit.length).toBeLessThanOrEqual(addresses.length);
		expect(audit.length).toBeGreaterThan(0);
		// The rest are counted, and written with the next entry of a later window. The first
		// address tried two of the emails; each failed six times before its slow-down began
		// (later tries were turned away unchecked): 12 failures, one of them written.
		ctx.clock.advanceMinutes(60);
		await signIn(ctx, 'nobody.99@school.example', 'wrong', { address: addresses[0] });
		const later = await listAudit(ctx.db, noSchool, 1000);
		expect(later).toHaveLength(audit.length + 1);
		expect(JSON.parse(later[0]!.detail)).toMatchObject({
			unknownEmail: true,
			notRecorded: 11
		});
	});

	it('answers an unknown email like a real one, slow-down included', async () => {
		ctx = await limits(1000);
		const { admin } = await makeSchool(ctx);
		for (const email of [admin.email, 'nobody@school.example']) {
			const answers: string[] = [];
			for (let i = 0; i < 7; i++)
				answers.push(reasonOf(await signIn(ctx, email, 'wrong', { address: '192.0.2.99' })));
			expect(answers).toEqual([
				'refused',
				'refused',
				'refused',
				'refused',
				'refused',
				'locked',
				'locked'
			]);
		}
	});

	it('slows an account down with a growing wait that stops at a cap, never a fixed lock', async () => {
		ctx = await limits(100_000);
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl', 'Dee Lead');
		const waits: number[] = [];
		for (let i = 0; i < 5; i++) await signIn(ctx, dsl.email, 'wrong', { address: '192.0.2.50' });
		for (let round = 0; round < 8; round++) {
			const answer = await signIn(ctx, dsl.email, 'wrong', { address: '192.0.2.50' });
			expect(reasonOf(answer), `round ${round}`).toBe('locked');
			// While the wait runs, even the right password is not checked.
			resetHashingStats();
			expect(await signIn(ctx, dsl.email, password, { address: '192.0.2.51' })).toMatchObject({
				ok: false,
				reason: 'locked'
			});
			expect(hashingStats().started).toBe(0);
			waits.push(waitOf(answer) / 60);
			ctx.clock.advanceMinutes(waitOf(answer) / 60);
		}
		expect(waits).toEqual([1, 2, 4, 8, ctx.config.signIn.lockMinutes, 15, 15, 15]);
		// The wait has passed: the real person, even on a new browser, gets in.
		expect(await signIn(ctx, dsl.email, password, { address: '192.0.2.51' })).toMatchObject({
			ok: true
		});
	});

	it('lets the real person in on a known device while an attacker keeps failing for her account', async () => {
		ctx = await limits(20);
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl', 'Dee Lead');
		const knownDevice = await issueKnownDevice(ctx, dsl.actor);
		const other = await makeStaff(ctx, admin, 'teacher', 'Tom Teacher');
		const otherDevice = await issueKnownDevice(ctx, other.actor);
		for (let minute = 0; minute < 60; minute++) {
			// The attacker, from a new address each time, as a botnet would.
			await signIn(ctx, dsl.email, 'guess', { address: `198.51.100.${minute % 250}` });
			if (minute % 10 === 0) {
				const answer = await signIn(ctx, dsl.email, password, {
					address: '192.0.2.200',
					knownDevice
				});
				expect(reasonOf(answer), `minute ${minute}`).toBe('signed in');
			}
			ctx.clock.advanceMinutes(1);
		}
		// Another person's device, or none, is no way round the slow-down.
		await signIn(ctx, dsl.email, 'guess', { address: '198.51.100.1' });
		for (const device of [undefined, otherDevice, 'made-up-token'])
			expect(
				reasonOf(
					await signIn(ctx, dsl.email, password, { address: '192.0.2.201', knownDevice: device })
				)
			).toBe('locked');
		// The known device is still held by the per-address limit.
		for (let i = 0; i < 20; i++) await signIn(ctx, dsl.email, 'x', { address: '192.0.2.200' });
		expect(
			reasonOf(await signIn(ctx, dsl.email, password, { address: '192.0.2.200', knownDevice }))
		).toBe('throttled');
	});

	it('a stolen known-device cookie stops helping after the policy number of wrong passwords', async () => {
		ctx = await limits(100_000);
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl', 'Dee Lead');
		const knownDevice = await issueKnownDevice(ctx, dsl.actor);
		const answers: string[] = [];
		for (let i = 0; i < 8; i++)
			answers.push(
				reasonOf(await signIn(ctx, dsl.email, 'guess', { address: '192.0.2.7', knownDevice }))
			);
		expect(answers.slice(0, 5)).toEqual(['refused', 'refused', 'refused', 'refused', 'refused']);
		expect(answers.slice(6)).toEqual(['locked', 'locked']);
	});

	it('never ends or refuses a fully signed-in DSL because a stranger failed to sign in as her', async () => {
		ctx = await limits(100_000);
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl', 'Dee Lead');
		const here = await signInFully(ctx, dsl.email);
		const max = ctx.config.signIn.maxFailures;
		for (let i = 0; i < max; i++)
			await signIn(ctx, dsl.email, 'guess', { address: `198.51.100.${i + 1}` });
		expect(await signIn(ctx, dsl.email, password)).toMatchObject({ ok: false, reason: 'locked' });

		// Her own slip on the Account page: refused, counted, and her session goes on.
		const newPassword = 'Wrens fly past nine windows';
		expect(
			await changePassword(ctx, here.actor, 'not my password', newPassword, here.token)
		).toEqual({
			ok: false,
			error: 'account.error.currentPasswordWrong'
		});
		expect((await lookUpSession(ctx, here.token)).status).toBe('active');
		expect(
			await changeSecondFactor(ctx, here.actor, here.token, {
				intent: 'change',
				password: 'not my password',
				code: '000000'
			})
		).toEqual({ ok: false, error: 'account.error.currentPasswordWrong' });
		expect((await lookUpSession(ctx, here.token)).status).toBe('active');
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(audit.filter((a) => a.action === 'staff.current-password-wrong').length).toBe(1);
		// The right current password works while the account's sign-in is slowed down.
		expect(await changePassword(ctx, here.actor, password, newPassword, here.token)).toEqual({
			ok: true
		});
	});

	it("ends a full session after the policy number of that session's own wrong current passwords", async () => {
		ctx = await limits(100_000);
		const { admin } = await makeSchool(ctx);
		const dsl = await makeStaff(ctx, admin, 'dsl', 'Dee Lead');
		const here = await signInFully(ctx, dsl.email);
		const there = await signInFully(ctx, dsl.email);
		const max = ctx.config.signIn.maxFailures;
		const answers: string[] = [];
		for (let i = 0; i < max; i++) {
			const answer = await changePassword(ctx, here.actor, `guess ${i}`, 'Wrens fly', here.token);
			answers.push(answer.ok ? 'changed' : answer.error);
		}
		expect(answers).toEqual([
			...Array<string>(max - 1).fill('account.error.currentPasswordWrong'),
			'password.lockedOut'
		]);
		expect(await lookUpSession(ctx, here.token)).toEqual({ status: 'none' });
		// Another browser of hers made no wrong tries and goes on; the sign-in is slowed down.
		expect((await lookUpSession(ctx, there.token)).status).toBe('active');
		expect(await signIn(ctx, dsl.email, password)).toMatchObject({ ok: false, reason: 'locked' });
	});

	it('shows a slowed-down account on the People page, and an admin clears it', async () => {
		ctx = await limits(100_000);
		const { admin } = await makeSchool(ctx);
		const teacher = await makeStaff(ctx, admin, 'teacher');
		for (let i = 0; i < 6; i++) await signIn(ctx, teacher.email, 'wrong', { address: '192.0.2.8' });
		const listed = await staffOfSchool(ctx, admin);
		expect(listed.find((s) => s.id === teacher.id)?.locked).toBe(true);
		expect(await unlock(ctx, admin, teacher.id)).toEqual({ ok: true });
		expect((await staffOfSchool(ctx, admin)).find((s) => s.id === teacher.id)?.locked).toBe(false);
		expect(await signIn(ctx, teacher.email, password, { address: '192.0.2.8' })).toMatchObject({
			ok: true
		});
	});
});
