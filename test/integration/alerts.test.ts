import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportSubmission } from '$lib/domain/report';
import type { StaffActor } from '$lib/server/context';
import type { LanternConfig } from '$lib/server/config';
import { alertEmailsOf, claimEmail, dueEmails } from '$lib/server/repositories/alert.repository';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { getClass } from '$lib/server/repositories/class.repository';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import {
	addContact,
	addDeputy,
	alertForAllegation,
	alertForIncident,
	alertSettings,
	removeAlertRecipient,
	sendDueAlerts,
	startAlertSender
} from '$lib/server/services/alert.service';
import type { DeviceActor } from '$lib/server/services/device.service';
import { alertUnseen, openReport, submitReport } from '$lib/server/services/report.service';
import { addStaff } from '$lib/server/services/staff.service';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { enrolClassDevice, makeClass, makeSchool, makeStaff } from './factories';
import { startLoopbackRelay, type LoopbackRelay } from './support/smtp-relay';

const origin = 'https://lantern.hilltop.example';
const words = 'A man in a game keeps asking where I live and I am scared';

/** E-mail alerts through a real SMTP server on loopback: who gets them, what they say, retries. */
describe(`e-mail alerts (${dialectUnderTest})`, () => {
	let relay: LoopbackRelay;
	let ctx: TestContext;
	let admin: StaffActor;
	let dsl: StaffActor;
	let dslEmail: string;
	let deputyEmail: string;
	let deputyId: string;
	let pendingDslEmail: string;
	let otherTeacherEmail: string;
	let classId: string;
	let className: string;
	let device: DeviceActor;
	let pupilId: string;
	const contactEmail = 'out.of.hours@home.example';

	const smtp = (): Partial<LanternConfig> => ({
		smtp: { url: relay.url, from: 'Lantern <lantern@localhost>', requireStartTls: false },
		origin
	});

	const urgent = (over: Partial<ReportSubmission> = {}): ReportSubmission => ({
		id: randomUUID(),
		createdAt: ctx.clock.now().toISOString(),
		classId,
		pupilId,
		cardId: null,
		feeling: 'scared',
		topic: 'not-safe',
		words,
		drawing: null,
		voice: null,
		talkTo: null,
		lang: 'en',
		...over
	});

	async function school(settings: Partial<LanternConfig>) {
		ctx = await freshDatabase(settings);
		({ admin } = await makeSchool(ctx, 'Hilltop Primary'));
		classId = await makeClass(ctx, admin, 4, ['Nia R', 'Ola K']);
		className = (await getClass(ctx.db, admin.schoolId, classId))!.name;
		const d = await makeStaff(ctx, admin, 'dsl', 'Dee Lead');
		dsl = d.actor;
		dslEmail = d.email;
		const deputy = await makeStaff(ctx, admin, 'teacher', 'Dev Deputy');
		deputyEmail = deputy.email;
		deputyId = deputy.id;
		otherTeacherEmail = (await makeStaff(ctx, admin, 'teacher', 'Tam Teacher')).email;
		// A new DSL account, waiting for the DSL's approval.
		pendingDslEmail = `new.dsl.${randomUUID().slice(0, 8)}@school.example`;
		const pending = await addStaff(ctx, admin, {
			name: 'Pat Pending',
			email: pendingDslEmail,
			role: 'dsl'
		});
		expect(pending.ok).toBe(true);
		expect((await addDeputy(ctx, dsl, deputy.id)).ok).toBe(true);
		expect((await addContact(ctx, dsl, { name: 'Olu Outofhours', email: contactEmail })).ok).toBe(
			true
		);
		device = await enrolClassDevice(ctx, admin, [classId]);
		pupilId = (await listPupilsOfClass(ctx.db, admin.schoolId, classId))[0]!.id;
	}

	beforeEach(async () => {
		relay = await startLoopbackRelay();
	});
	afterEach(async () => {
		await ctx?.close();
		await relay.close();
	});

	const expectNothingOfTheReport = (subject: string, text: string, raw: string) => {
		for (const part of [subject, text, raw]) {
			expect(part).not.toContain(words);
			expect(part).not.toMatch(/scared|where I live/i);
			expect(part).not.toMatch(/\bNia\b|\bOla\b/);
			expect(part).not.toContain(className);
			expect(part).not.toMatch(/Class /);
		}
	};

	it('an urgent report: one e-mail per recipient (DSL, deputy, out-of-hours contact), with nothing of the report in it', async () => {
		await school(smtp());
		const report = urgent();
		expect((await submitReport(ctx, device, report)).status).toBe(201);
		// Written with the report, before anything is sent.
		expect((await alertEmailsOf(ctx.db, admin.schoolId)).map((e) => e.state)).toEqual([
			'waiting',
			'waiting',
			'waiting'
		]);
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 3, failed: 0 });
		const mails = await relay.waitFor(3);
		expect(mails.map((m) => m.to).sort()).toEqual(
			[[dslEmail], [deputyEmail], [contactEmail]].sort()
		);
		const link = `${origin}/staff/reports/${report.id}`;
		for (const mail of mails) {
			expect(mail.from).toBe('lantern@localhost');
			expect(mail.subject).toBe('Urgent: a pupil has asked for help now (Hilltop Primary)');
			expect(mail.text).toContain(link);
			expectNothingOfTheReport(mail.subject, mail.text, mail.raw);
		}
		// The pending DSL and other staff get nothing; nothing is sent twice.
		const to = mails.flatMap((m) => m.to);
		expect(to).not.toContain(pendingDslEmail);
		expect(to).not.toContain(otherTeacherEmail);
		expect(to).not.toContain(admin.email);
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 0, failed: 0 });
		expect(relay.received).toHaveLength(3);
		const status = (await alertSettings(ctx, dsl)).status;
		expect(status).toMatchObject({ setUp: true, retrying: 0, refused: 0, notSetUp: 0 });
		expect(status.lastSentAt).toBe(ctx.clock.now().toISOString());
		// The full text, for the closing note.
		console.log(`--- ${mails[0]!.subject}\n${mails[0]!.text}`);
	});

	it('the same report sent again (a retry from the iPad) makes no second alert', async () => {
		await school(smtp());
		const report = urgent();
		await submitReport(ctx, device, report);
		expect((await submitReport(ctx, device, report)).status).toBe(200);
		await sendDueAlerts(ctx);
		expect(relay.received).toHaveLength(3);
	});

	it('two senders at once (two app processes): each e-mail is sent once', async () => {
		await school(smtp());
		await submitReport(ctx, device, urgent());
		const [a, b] = await Promise.all([sendDueAlerts(ctx), sendDueAlerts(ctx)]);
		expect(a.sent + b.sent).toBe(3);
		await relay.waitFor(3);
		expect(relay.received).toHaveLength(3);
	});

	it('relay down: the alert waits, is tried again later, and arrives once the relay is up', async () => {
		await school(smtp());
		await relay.down();
		await submitReport(ctx, device, urgent());
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 0, failed: 3 });
		const status = (await alertSettings(ctx, dsl)).status;
		expect(status).toMatchObject({ retrying: 3, retryProblem: 'no-answer', lastSentAt: null });
		// Not before its time (one minute after the first try).
		await relay.up();
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 0, failed: 0 });
		ctx.clock.advanceMinutes(1);
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 3, failed: 0 });
		await relay.waitFor(3);
		ctx.clock.advanceMinutes(60);
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 0, failed: 0 });
		expect(relay.received).toHaveLength(3);
		expect((await alertSettings(ctx, dsl)).status).toMatchObject({ retrying: 0 });
	});

	it('the sender in the server process: an urgent report wakes it at once, and it stops cleanly', async () => {
		await school(smtp());
		// A pass every hour: only the wake-up after the report can send it within this test.
		const sender = startAlertSender(ctx, 3_600_000);
		try {
			await submitReport(ctx, device, urgent());
			const mails = await relay.waitFor(3);
			expect(mails.flatMap((m) => m.to).sort()).toEqual(
				[dslEmail, deputyEmail, contactEmail].sort()
			);
		} finally {
			await sender.stop();
		}
		await sender.wake();
		expect(relay.received).toHaveLength(3);
	});

	it('a send cut off mid-way (the process stopped) is marked interrupted, shown, and never sent again', async () => {
		await school(smtp());
		await submitReport(ctx, device, urgent());
		const [first] = await dueEmails(ctx.db, admin.schoolId, ctx.clock.now().toISOString());
		// Claimed by a process that then stopped before recording what happened.
		expect(
			await claimEmail(ctx.db, admin.schoolId, first!.id, 'gone', ctx.clock.now().toISOString())
		).toBe(true);
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 2, failed: 0 });
		ctx.clock.advanceMinutes(16);
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 0, failed: 0 });
		expect((await alertSettings(ctx, dsl)).status).toMatchObject({ interrupted: 1 });
		expect(relay.received.flatMap((m) => m.to)).not.toContain(first!.address);
	});

	it('the relay refuses one address: the others still get theirs, and it is not tried again', async () => {
		await school(smtp());
		relay.refuse.add(contactEmail);
		await submitReport(ctx, device, urgent());
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 2, failed: 1 });
		expect(relay.received.flatMap((m) => m.to).sort()).toEqual([deputyEmail, dslEmail].sort());
		ctx.clock.advanceMinutes(60);
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 0, failed: 0 });
		expect((await alertSettings(ctx, dsl)).status).toMatchObject({ refused: 1, retrying: 0 });
		const emails = await alertEmailsOf(ctx.db, admin.schoolId);
		expect(emails.find((e) => e.address === contactEmail)?.state).toBe('refused');
	});

	it('no e-mail set up: recorded as not sent, and the status line says so', async () => {
		await school({ origin });
		await submitReport(ctx, device, urgent());
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 0, failed: 0 });
		const emails = await alertEmailsOf(ctx.db, admin.schoolId);
		expect(emails.map((e) => [e.state, e.problem])).toEqual([
			['not-set-up', 'not-set-up'],
			['not-set-up', 'not-set-up'],
			['not-set-up', 'not-set-up']
		]);
		expect((await alertSettings(ctx, dsl)).status).toMatchObject({
			setUp: false,
			notSetUp: 3,
			lastSentAt: null
		});
		expect(relay.received).toHaveLength(0);
	});

	it('a report nobody opens in the set time e-mails the same people', async () => {
		await school(smtp());
		const report = urgent({ topic: 'unkind', feeling: 'sad' });
		await submitReport(ctx, device, report);
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 0, failed: 0 });
		ctx.clock.advanceMinutes(ctx.config.unseenAlertMinutes + 1);
		expect(await alertUnseen(ctx)).toBe(1);
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 3, failed: 0 });
		const mails = await relay.waitFor(3);
		for (const mail of mails) {
			expect(mail.subject).toBe('A report in Lantern has not been opened yet (Hilltop Primary)');
			expect(mail.text).toContain(`${origin}/staff/reports/${report.id}`);
			expectNothingOfTheReport(mail.subject, mail.text, mail.raw);
		}
		console.log(`--- ${mails[0]!.subject}\n${mails[0]!.text}`);
		// Opened reports do not alert.
		const opened = urgent({ topic: 'unkind', feeling: 'sad' });
		await submitReport(ctx, device, opened);
		await openReport(ctx, dsl, opened.id);
		ctx.clock.advanceMinutes(ctx.config.unseenAlertMinutes + 1);
		expect(await alertUnseen(ctx)).toBe(0);
	});

	it('two schools in one database: no e-mail crosses from one school to the other', async () => {
		await school(smtp());
		const first = { admin, dsl, device, dslEmail };
		const other = await makeSchool(ctx, 'Riverside Primary');
		const otherDsl = await makeStaff(ctx, other.admin, 'dsl', 'Rhi Lead');
		const otherClass = await makeClass(ctx, other.admin, 3, ['Cai B']);
		const otherDevice = await enrolClassDevice(ctx, other.admin, [otherClass]);
		const otherPupil = (await listPupilsOfClass(ctx.db, other.admin.schoolId, otherClass))[0]!.id;
		await submitReport(ctx, first.device, urgent());
		await sendDueAlerts(ctx);
		expect(relay.received.flatMap((m) => m.to)).not.toContain(otherDsl.email);
		expect(await alertEmailsOf(ctx.db, other.admin.schoolId)).toEqual([]);
		const theirs = urgent({ classId: otherClass, pupilId: otherPupil });
		await submitReport(ctx, otherDevice, theirs);
		await sendDueAlerts(ctx);
		const last = relay.received.slice(3);
		expect(last.map((m) => m.to)).toEqual([[otherDsl.email]]);
		expect(last[0]!.subject).toContain('Riverside Primary');
		expect(last[0]!.text).toContain(`/staff/reports/${theirs.id}`);
		expect((await alertSettings(ctx, otherDsl.actor)).deputies).toEqual([]);
	});

	it('incidents alert only in child-protection categories; an allegation never tells the people it names', async () => {
		await school(smtp());
		const kinds = await ctx.db.transaction().execute(async (trx) => [
			await alertForIncident(trx, ctx, admin.schoolId, {
				subjectType: 'incident',
				subjectId: 'i1',
				categories: ['bullying', 'gambling']
			}),
			await alertForIncident(trx, ctx, admin.schoolId, {
				subjectType: 'incident',
				subjectId: 'i2',
				categories: ['bullying', 'image-sharing']
			}),
			await alertForAllegation(trx, ctx, admin.schoolId, {
				subjectType: 'incident',
				subjectId: 'i3',
				namedStaffIds: [dsl.staffId]
			})
		]);
		expect(kinds[0]).toBeNull();
		expect(kinds[1]).not.toBeNull();
		await sendDueAlerts(ctx);
		const mails = await relay.waitFor(5);
		const bySubject = (s: string) => mails.filter((m) => m.subject.startsWith(s));
		expect(bySubject('A new incident in Lantern needs the DSL')).toHaveLength(3);
		const allegation = bySubject('A concern about a member of staff needs attention');
		expect(allegation.flatMap((m) => m.to).sort()).toEqual([contactEmail, deputyEmail].sort());
		for (const m of [...bySubject('A new incident'), ...allegation])
			console.log(`--- ${m.subject}\n${m.text}`);
	});

	it('an allegation naming a deputy who is also an out-of-hours contact (own address, other case) does not reach them', async () => {
		await school(smtp());
		expect(
			(
				await addContact(ctx, dsl, {
					name: 'Dev at home',
					email: ` ${deputyEmail.toUpperCase()} `
				})
			).ok
		).toBe(true);
		await ctx.db.transaction().execute((trx) =>
			alertForAllegation(trx, ctx, admin.schoolId, {
				subjectType: 'incident',
				subjectId: 'i4',
				namedStaffIds: [deputyId]
			})
		);
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 2, failed: 0 });
		const to = relay.received.flatMap((m) => m.to.map((a) => a.toLowerCase()));
		expect(to.sort()).toEqual([contactEmail, dslEmail.toLowerCase()].sort());
		expect(to).not.toContain(deputyEmail.toLowerCase());
	});

	it('the relay takes an e-mail and recording "sent" then fails: it is never sent again, and shows as interrupted', async () => {
		await school(smtp());
		await submitReport(ctx, device, urgent());
		// The first write of a "sent" outcome fails (the database went away for a moment).
		let failOnce = true;
		const failing = ctx.db.withPlugin({
			transformQuery(args) {
				const node = args.node;
				if (
					failOnce &&
					node.kind === 'UpdateQueryNode' &&
					JSON.stringify(node.updates ?? []).includes('"sent_at"')
				) {
					failOnce = false;
					throw new Error('database went away');
				}
				return node;
			},
			transformResult: (args) => Promise.resolve(args.result)
		});
		const result = await sendDueAlerts({ ...ctx, db: failing });
		expect(failOnce).toBe(false);
		expect(result).toEqual({ sent: 3, failed: 0 });
		await relay.waitFor(3);
		for (const minutes of [1, 2, 4, 8, 16]) {
			ctx.clock.advanceMinutes(minutes);
			expect(await sendDueAlerts(ctx)).toEqual({ sent: 0, failed: 0 });
		}
		expect(relay.received).toHaveLength(3);
		expect((await alertSettings(ctx, dsl)).status).toMatchObject({ interrupted: 1, retrying: 0 });
	});

	it('a deputy taken off the list while the relay was down gets nothing; the others get theirs', async () => {
		await school(smtp());
		await relay.down();
		await submitReport(ctx, device, urgent());
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 0, failed: 3 });
		const deputy = (await alertSettings(ctx, dsl)).deputies[0]!;
		expect((await removeAlertRecipient(ctx, dsl, deputy.id)).ok).toBe(true);
		await relay.up();
		ctx.clock.advanceMinutes(1);
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 2, failed: 0 });
		await relay.waitFor(2);
		ctx.clock.advanceMinutes(60);
		expect(await sendDueAlerts(ctx)).toEqual({ sent: 0, failed: 0 });
		expect(relay.received.flatMap((m) => m.to).sort()).toEqual([contactEmail, dslEmail].sort());
		const emails = await alertEmailsOf(ctx.db, admin.schoolId);
		expect(emails.find((e) => e.address === deputyEmail)?.state).toBe('dropped');
		expect((await alertSettings(ctx, dsl)).status).toMatchObject({ dropped: 1, retrying: 0 });
	});

	it("the DSL's list: deputies and contacts added and taken off, each change audited", async () => {
		await school(smtp());
		const view = await alertSettings(ctx, dsl);
		expect(view.deputies.map((d) => d.name)).toEqual(['Dev Deputy']);
		expect(view.contacts).toEqual([
			{ id: view.contacts[0]!.id, name: 'Olu Outofhours', email: contactEmail }
		]);
		expect(view.candidates.map((c) => c.name)).not.toContain('Dev Deputy');
		expect(view.candidates.map((c) => c.name)).not.toContain('Dee Lead');
		expect(await addContact(ctx, dsl, { name: 'X', email: 'not an address' })).toEqual({
			ok: false,
			error: 'alerts.error.email'
		});
		expect(await addDeputy(ctx, dsl, randomUUID())).toEqual({
			ok: false,
			error: 'alerts.error.noSuchStaff'
		});
		expect((await removeAlertRecipient(ctx, dsl, view.deputies[0]!.id)).ok).toBe(true);
		expect((await removeAlertRecipient(ctx, dsl, view.contacts[0]!.id)).ok).toBe(true);
		expect((await removeAlertRecipient(ctx, dsl, view.contacts[0]!.id)).ok).toBe(false);
		const actions = (await listAudit(ctx.db, admin.schoolId)).map((a) => a.action);
		for (const action of [
			'alerts.deputy-added',
			'alerts.contact-added',
			'alerts.deputy-removed',
			'alerts.contact-removed'
		])
			expect(actions).toContain(action);
		await submitReport(ctx, device, urgent());
		await sendDueAlerts(ctx);
		expect(relay.received.flatMap((m) => m.to)).toEqual([dslEmail]);
	});
});
