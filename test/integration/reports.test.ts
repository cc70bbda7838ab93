import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canSeeReport, type ReportSubmission, type WorryTopic } from '$lib/domain/report';
import { listAudit, verifyAuditChain } from '$lib/server/repositories/audit.repository';
import { classIdsForStaff } from '$lib/server/repositories/class.repository';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import {
	deviceOverview,
	recordHeartbeat,
	type DeviceActor
} from '$lib/server/services/device.service';
import {
	addReportEvent,
	alertUnseen,
	governorsSummary,
	inboxFor,
	openReport,
	overdueReports,
	parkedForDsl,
	submitReport,
	unseenCount
} from '$lib/server/services/report.service';
import { seedPupilContact } from '$lib/server/services/seed.service';
import { issueCards } from '$lib/server/services/card.service';
import type { StaffActor } from '$lib/server/context';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { enrolClassDevice, makeClass, makeSchool, makeStaff, teach } from './factories';

/** Reports from class devices to the right adults: stored once, scoped, audited. */
describe(`reports (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let classA: string;
	let classB: string;
	let teacherA: StaffActor;
	let teacherB: StaffActor;
	let dsl: StaffActor;
	let device: DeviceActor;
	let pupilA: string;

	const enrol = (classIds: string[]) => enrolClassDevice(ctx, admin, classIds);

	const fresh = async (actor: StaffActor): Promise<StaffActor> => ({
		...actor,
		classIds: await classIdsForStaff(ctx.db, actor.schoolId, actor.staffId, ctx.clock.now())
	});

	const report = (over: Partial<ReportSubmission> = {}): ReportSubmission => ({
		id: randomUUID(),
		createdAt: ctx.clock.now().toISOString(),
		classId: classA,
		pupilId: pupilA,
		cardId: null,
		feeling: 'worried',
		topic: 'unkind',
		words: 'Someone in a game keeps saying mean things',
		drawing: null,
		voice: null,
		talkTo: null,
		lang: 'en',
		...over
	});

	beforeEach(async () => {
		ctx = await freshDatabase();
		({ admin } = await makeSchool(ctx));
		classA = await makeClass(ctx, admin, 4, ['Nia R', 'Ola K']);
		classB = await makeClass(ctx, admin, 6, ['Tomos P']);
		const a = await makeStaff(ctx, admin, 'teacher', 'Teacher A');
		const b = await makeStaff(ctx, admin, 'teacher', 'Teacher B');
		const d = await makeStaff(ctx, admin, 'dsl', 'Dee Lead');
		await teach(ctx, admin, classA, a.id);
		await teach(ctx, admin, classB, b.id);
		teacherA = await fresh(a.actor);
		teacherB = await fresh(b.actor);
		dsl = d.actor;
		device = await enrol([classA]);
		pupilA = (await listPupilsOfClass(ctx.db, admin.schoolId, classA))[0]!.id;
	});
	afterEach(() => ctx.close());

	describe('receiving', () => {
		it('stores a report once: a replay gets the first answer', async () => {
			const body = report();
			const first = await submitReport(ctx, device, body);
			expect(first.status).toBe(201);
			ctx.clock.advanceMinutes(5);
			const again = await submitReport(ctx, device, { ...body });
			expect(again).toEqual({ status: 200, body: first.body });
			expect((await inboxFor(ctx, dsl)).items).toHaveLength(1);
		});

		it('refuses the same id with a different body (422) and keeps it for staff', async () => {
			const body = report();
			await submitReport(ctx, device, body);
			const clash = await submitReport(ctx, device, { ...body, words: 'Different words' });
			expect(clash.status).toBe(422);
			const parked = await ctx.db.selectFrom('parked_submission').selectAll().execute();
			expect(parked.map((p) => p.reason)).toEqual(['id-reused']);
			expect(parked[0]!.body).toContain('Different words');
			expect((await inboxFor(ctx, dsl)).items[0]!.words).toBe(body.words);
		});

		it('parks malformed submissions with a 400, changing nothing else', async () => {
			expect((await submitReport(ctx, device, { hello: 'there' })).status).toBe(400);
			expect((await submitReport(ctx, device, null)).status).toBe(400);
			expect((await submitReport(ctx, device, report({ topic: 'homework' as never }))).status).toBe(
				400
			);
			const reasons = (await ctx.db.selectFrom('parked_submission').select('reason').execute())
				.map((r) => r.reason)
				.sort();
			expect(reasons).toEqual([
				'malformed: body',
				expect.stringMatching(/^malformed: (\w+, )+\w+$/),
				'malformed: topic'
			]);
			expect((await inboxFor(ctx, dsl)).items).toHaveLength(0);
		});

		it('lets the DSL, and only the DSL, read what was parked, and audits it', async () => {
			const bad = { ...report({ words: 'Please help, it is my uncle' }), topic: 'old-topic' };
			const drawing = `data:image/png;base64,${'A'.repeat(2000)}`;
			await submitReport(ctx, device, { ...bad, drawing });
			const [parked] = await parkedForDsl(ctx, dsl);
			expect(parked?.content).toContain('Please help, it is my uncle');
			expect(parked?.content).toContain('KB of data]');
			expect(parked?.content).not.toContain('AAAAAAAA');
			expect(await parkedForDsl(ctx, teacherA)).toEqual([]);
			const actions = (await listAudit(ctx.db, admin.schoolId)).map((a) => a.action);
			expect(actions.filter((a) => a === 'report.parked-view')).toHaveLength(1);
		});

		it('still delivers a worry that no longer matches the device’s roster', async () => {
			// The device's classes changed while it was offline: the worry goes to the class it names.
			const forB = report({ classId: classB, pupilId: null });
			expect((await submitReport(ctx, device, forB)).status).toBe(201);
			expect((await inboxFor(ctx, teacherB)).items.map((i) => i.id)).toEqual([forB.id]);
			// A pupil no longer on the roll: their class is still told, without a name.
			const gone = report({ pupilId: randomUUID(), topic: 'not-safe' });
			expect((await submitReport(ctx, device, gone)).status).toBe(201);
			const [item] = (await inboxFor(ctx, teacherA)).items;
			expect(item).toMatchObject({ id: gone.id, pupilId: null, urgent: true });
			// A class this school does not have: the DSL, who sees every report, still has it.
			const nowhere = report({ classId: randomUUID(), pupilId: null });
			expect((await submitReport(ctx, device, nowhere)).status).toBe(201);
			expect((await inboxFor(ctx, dsl)).items.map((i) => i.id)).toContain(nowhere.id);
			expect(await ctx.db.selectFrom('parked_submission').selectAll().execute()).toEqual([]);
		});

		it('shows staff on the Devices page what is waiting and what was refused, never the words', async () => {
			await submitReport(ctx, device, { ...report({ words: 'private words' }), topic: 'x' });
			await recordHeartbeat(ctx, device, {
				appVersion: 'test',
				queuedItems: 3,
				parkedItems: 1,
				storagePersisted: true,
				signedInPupilId: null,
				events: []
			});
			const overview = await deviceOverview(ctx, teacherA);
			expect(overview.devices[0]).toMatchObject({ queuedItems: 3, parkedItems: 1 });
			expect(overview.parked.map((p) => p.reason)).toEqual(['malformed: topic']);
			expect(JSON.stringify(overview)).not.toContain('private words');
			// Another class's teacher does not see this device's refusals.
			expect((await deviceOverview(ctx, teacherB)).parked).toEqual([]);
		});

		it('tells staff when a pupil signed in with a card replaced before the worry was sent', async () => {
			const issued = await issueCards(ctx, admin, classA, { kind: 'pupil', pupilId: pupilA });
			if (!issued.ok) throw new Error(issued.error);
			const oldCard = issued.cards[0]!.token.split(':')[1]!;
			const withCard = report({ cardId: oldCard });
			await submitReport(ctx, device, withCard);
			ctx.clock.advanceMinutes(1);
			await issueCards(ctx, admin, classA, { kind: 'pupil', pupilId: pupilA });
			ctx.clock.advanceMinutes(1);
			const afterReplacement = report({ cardId: oldCard });
			await submitReport(ctx, device, afterReplacement);
			const doubts = new Map(
				(await inboxFor(ctx, dsl)).items.map((i) => [i.id, i.identityDoubt] as const)
			);
			expect(doubts.get(withCard.id)).toBeNull();
			expect(doubts.get(afterReplacement.id)).toBe('replaced-card');
			// Someone else's card for this pupil's name is doubted too.
			const other = report({ cardId: 'AAAAAAAA' });
			await submitReport(ctx, device, other);
			expect((await openReport(ctx, dsl, other.id))?.identityDoubt).toBe('replaced-card');
		});

		it('takes two copies of one request racing as one report', async () => {
			const body = report();
			const results = await Promise.all([
				submitReport(ctx, device, body),
				submitReport(ctx, device, body),
				submitReport(ctx, device, body)
			]);
			expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
			expect((await inboxFor(ctx, dsl)).items).toHaveLength(1);
		});
	});

	describe('routing and who sees what', () => {
		const send = async (topic: WorryTopic, over: Partial<ReportSubmission> = {}) => {
			const body = report({ topic, ...over });
			expect((await submitReport(ctx, device, body)).status).toBe(201);
			return body.id;
		};

		it('sends an ordinary worry to the class teacher and the DSL only', async () => {
			const id = await send('unkind');
			expect((await inboxFor(ctx, teacherA)).items.map((i) => i.id)).toEqual([id]);
			expect((await inboxFor(ctx, dsl)).items.map((i) => i.id)).toEqual([id]);
			expect((await inboxFor(ctx, teacherB)).items).toEqual([]);
			expect((await inboxFor(ctx, admin)).items).toEqual([]);
			// Another class's teacher cannot open it by its id either; the try is audited.
			expect(await openReport(ctx, teacherB, id)).toBeNull();
			expect(await openReport(ctx, admin, id)).toBeNull();
			const refused = (await listAudit(ctx.db, admin.schoolId)).filter(
				(a) => a.action === 'report.view-refused'
			);
			expect(refused).toHaveLength(2);
			expect((await addReportEvent(ctx, teacherB, id, { kind: 'note', text: 'x' })).ok).toBe(false);
		});

		it('sends a worry about a grown-up to the DSL alone', async () => {
			const id = await send('grown-up');
			expect((await inboxFor(ctx, teacherA)).items).toEqual([]);
			expect(await openReport(ctx, teacherA, id)).toBeNull();
			expect((await inboxFor(ctx, dsl)).items.map((i) => [i.id, i.audience])).toEqual([
				[id, 'dsl-only']
			]);
		});

		it('sends "not safe right now" to the teacher and the DSL at once, urgent', async () => {
			const id = await send('not-safe');
			const [forTeacher] = (await inboxFor(ctx, teacherA)).items;
			const [forDsl] = (await inboxFor(ctx, dsl)).items;
			expect(forTeacher).toMatchObject({ id, urgent: true });
			expect(forDsl).toMatchObject({ id, urgent: true });
		});

		it('sends a worry from a pupil who did not say who they are to every class of the device', async () => {
			const shared = await enrol([classA, classB]);
			const body = report({ pupilId: null });
			expect((await submitReport(ctx, shared, body)).status).toBe(201);
			expect((await inboxFor(ctx, teacherA)).items.map((i) => i.id)).toEqual([body.id]);
			expect((await inboxFor(ctx, teacherB)).items.map((i) => i.id)).toEqual([body.id]);
		});

		it('lets a pupil choose an adult from the short list, who then sees it', async () => {
			await seedPupilContact(ctx, admin, teacherB.staffId);
			const id = await send('unkind', { talkTo: teacherB.staffId });
			expect((await inboxFor(ctx, teacherB)).items.map((i) => i.id)).toEqual([id]);
			const opened = await openReport(ctx, teacherB, id);
			expect(opened?.talkToName).toBe('Teacher B');
		});

		it('answers "who may see this?" the same in every query as the rule in the domain', async () => {
			await seedPupilContact(ctx, admin, teacherA.staffId);
			await seedPupilContact(ctx, admin, teacherB.staffId);
			const shared = await enrol([classA, classB]);
			const sent = [
				await send('unkind'),
				await send('grown-up', { talkTo: teacherA.staffId }),
				await send('unkind', { talkTo: teacherB.staffId }),
				await send('not-safe')
			];
			const anonymous = report({ pupilId: null, topic: 'upsetting' });
			await submitReport(ctx, shared, anonymous);
			sent.push(anonymous.id);
			const rows = (await inboxFor(ctx, dsl)).items;
			expect(rows.map((r) => r.id).sort()).toEqual([...sent].sort());
			const noClasses = await fresh((await makeStaff(ctx, admin, 'teacher', 'No Class')).actor);
			for (const viewer of [teacherA, teacherB, noClasses, dsl, admin]) {
				const expected = rows
					.filter((r) =>
						canSeeReport(viewer, { audience: r.audience, classIds: r.classIds, talkTo: r.talkTo })
					)
					.map((r) => r.id)
					.sort();
				expect(await unseenCount(ctx, viewer)).toBe(expected.length);
				expect((await inboxFor(ctx, viewer)).items.map((i) => i.id).sort()).toEqual(expected);
				for (const r of rows)
					expect((await openReport(ctx, viewer, r.id)) !== null).toBe(expected.includes(r.id));
			}
		});

		it('shows a covered class only during the cover', async () => {
			const cover = await makeStaff(ctx, admin, 'teacher', 'Cover Teacher');
			const now = ctx.clock.now();
			const until = new Date(now.getTime() + 60 * 60_000);
			// Approved by the DSL (the seed path), as a cover arranged ahead would be.
			await teach(ctx, admin, classA, cover.id, {
				from: now.toISOString(),
				until: until.toISOString()
			});
			const id = await send('unkind');
			expect((await inboxFor(ctx, await fresh(cover.actor))).items.map((i) => i.id)).toEqual([id]);
			ctx.clock.advanceMinutes(61);
			const after = await fresh(cover.actor);
			expect((await inboxFor(ctx, after)).items).toEqual([]);
			expect(await openReport(ctx, after, id)).toBeNull();
		});
	});

	describe('acting on a report', () => {
		it('pages through reports received at the same moment without skipping or repeating one', async () => {
			// The clock stands still: all 60 arrive "at once", as when an outbox drains.
			const ids = [];
			for (let i = 0; i < 60; i++) {
				const body = report();
				await submitReport(ctx, device, body);
				ids.push(body.id);
			}
			for (const viewer of [dsl, teacherA]) {
				const first = await inboxFor(ctx, viewer);
				expect(first.items).toHaveLength(50);
				expect(first.more).toBe(true);
				const last = first.items.at(-1)!;
				const second = await inboxFor(ctx, viewer, {
					before: { at: last.receivedAt, id: last.id }
				});
				expect(second.more).toBe(false);
				const seen = [...first.items, ...second.items].map((i) => i.id);
				expect(seen).toHaveLength(60);
				expect([...seen].sort()).toEqual([...ids].sort());
			}
		});

		it('records "seen" once a person and audits every opening', async () => {
			await submitReport(ctx, device, report());
			const [item] = (await inboxFor(ctx, teacherA)).items;
			expect(await unseenCount(ctx, teacherA)).toBe(1);
			await openReport(ctx, teacherA, item!.id);
			const second = await openReport(ctx, teacherA, item!.id);
			expect(second?.timeline.filter((e) => e.body.kind === 'seen')).toHaveLength(1);
			expect(second?.state.status).toBe('seen');
			expect(await unseenCount(ctx, teacherA)).toBe(0);
			expect(await unseenCount(ctx, dsl)).toBe(1);
			const views = (await listAudit(ctx.db, admin.schoolId)).filter(
				(a) => a.action === 'report.view'
			);
			expect(views).toHaveLength(2);
			expect(await verifyAuditChain(ctx.db, admin.schoolId)).toMatchObject({ ok: true });
		});

		it('keeps every event, and needs the DSL to close an escalated report', async () => {
			const body = report();
			await submitReport(ctx, device, body);
			const add = (actor: StaffActor, input: unknown) => addReportEvent(ctx, actor, body.id, input);
			expect((await add(teacherA, { kind: 'talked-with-child', text: 'At break' })).ok).toBe(true);
			expect((await add(teacherA, { kind: 'incident-category', category: 'bullying' })).ok).toBe(
				true
			);
			expect((await add(teacherA, { kind: 'escalated-to-dsl', text: '' })).ok).toBe(true);
			const close = { kind: 'closed', outcome: 'resolved-in-school', text: 'Sorted with parents' };
			expect(await add(teacherA, close)).toEqual({
				ok: false,
				error: 'reports.error.dsl-must-close'
			});
			expect((await add(dsl, close)).ok).toBe(true);
			expect(await add(teacherA, { kind: 'parents-informed', text: '' })).toEqual({
				ok: false,
				error: 'reports.error.closed'
			});
			expect((await add(teacherA, { kind: 'note', text: 'Correction: Tuesday' })).ok).toBe(true);
			expect(await add(teacherA, { kind: 'closed', outcome: 'nope', text: '' })).toEqual({
				ok: false,
				error: 'reports.error.incomplete'
			});
			const opened = await openReport(ctx, dsl, body.id);
			expect(opened?.state).toMatchObject({
				status: 'closed',
				escalated: true,
				category: 'bullying'
			});
			expect(opened?.timeline.map((e) => e.body.kind)).toEqual([
				'talked-with-child',
				'incident-category',
				'escalated-to-dsl',
				'closed',
				'note',
				'seen'
			]);
			const actions = (await listAudit(ctx.db, admin.schoolId)).map((a) => a.action);
			expect(actions).toEqual(
				expect.arrayContaining([
					'report.talked-with-child',
					'report.escalated-to-dsl',
					'report.closed',
					'report.note'
				])
			);
		});

		it('counts reports for governors by month and category, without names', async () => {
			const first = report();
			await submitReport(ctx, device, first);
			await addReportEvent(ctx, teacherA, first.id, {
				kind: 'incident-category',
				category: 'hate'
			});
			await submitReport(ctx, device, report());
			const from = new Date(ctx.clock.now().getTime() - 86_400_000).toISOString();
			const to = new Date(ctx.clock.now().getTime() + 86_400_000).toISOString();
			const month = ctx.clock.now().toISOString().slice(0, 7);
			expect(await governorsSummary(ctx, admin, from, to)).toEqual([
				{ month, category: 'hate', count: 1 },
				{ month, category: 'uncategorised', count: 1 }
			]);
		});
	});

	describe('nobody has looked', () => {
		it('alerts the DSL once, after the set school minutes, and not after it is opened', async () => {
			// Monday 23 November 2026, 10:00 London time.
			ctx.clock.set('2026-11-23T10:00:00.000Z');
			const body = report();
			await submitReport(ctx, device, body);
			ctx.clock.advanceMinutes(29);
			expect(await alertUnseen(ctx)).toBe(0);
			ctx.clock.advanceMinutes(2);
			const both = await Promise.all([alertUnseen(ctx), alertUnseen(ctx)]);
			expect(both[0] + both[1]).toBe(1);
			expect((await inboxFor(ctx, dsl)).alerts).toEqual([body.id]);
			expect(await overdueReports(ctx, dsl)).toBe(1);
			expect(await overdueReports(ctx, teacherA)).toBe(0);
			await openReport(ctx, teacherA, body.id);
			expect(await overdueReports(ctx, dsl)).toBe(0);
			expect((await inboxFor(ctx, dsl)).alerts).toEqual([]);
			expect(await alertUnseen(ctx)).toBe(0);
		});

		it('counts the clock, not school minutes, for "I\'m not safe right now"', async () => {
			ctx.clock.set('2026-11-27T15:45:00.000Z'); // Friday, after home time
			const urgent = report({ topic: 'not-safe' });
			await submitReport(ctx, device, urgent);
			await submitReport(ctx, device, report());
			ctx.clock.advanceMinutes(31);
			expect(await alertUnseen(ctx)).toBe(1);
			expect((await inboxFor(ctx, dsl)).alerts).toEqual([urgent.id]);
		});

		it('does not count the evening or the weekend', async () => {
			ctx.clock.set('2026-11-27T15:20:00.000Z'); // Friday, ten minutes before home time
			await submitReport(ctx, device, report());
			ctx.clock.set('2026-11-30T08:45:00.000Z'); // Monday, fifteen minutes into the day
			expect(await alertUnseen(ctx)).toBe(0);
			ctx.clock.set('2026-11-30T08:51:00.000Z');
			expect(await alertUnseen(ctx)).toBe(1);
		});
	});

	describe('live updates', () => {
		it('tells listeners of the school that something changed, and nothing else', async () => {
			const heard: string[] = [];
			const stop = ctx.notifier.subscribe(admin.schoolId, () => heard.push('changed'));
			const other = ctx.notifier.subscribe('another-school', () => heard.push('wrong school'));
			// PostgreSQL's LISTEN opens in the background; a report sent before it would go unheard.
			await ctx.notifier.ready();
			await submitReport(ctx, device, report());
			await waitFor(() => heard.length > 0);
			stop();
			other();
			expect(heard).toEqual(['changed']);
		});

		it.runIf(dialectUnderTest === 'postgres')(
			'reaches another app process on the same PostgreSQL database',
			async () => {
				const second = await import('$lib/server/app').then((m) =>
					m.createAppContext(ctx.config, ctx.clock)
				);
				let heard = 0;
				const stop = second.notifier.subscribe(admin.schoolId, () => heard++);
				// The LISTEN connection opens in the background: send until the other process hears.
				for (let i = 0; i < 50 && heard === 0; i++) {
					await submitReport(ctx, device, report());
					await new Promise((r) => setTimeout(r, 200));
				}
				stop();
				await second.close();
				expect(heard).toBeGreaterThan(0);
			}
		);
	});
});

async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > ms) throw new Error('timed out waiting');
		await new Promise((r) => setTimeout(r, 20));
	}
}
