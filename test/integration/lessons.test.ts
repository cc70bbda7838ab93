import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lesson } from '$lib/domain/lesson';
import { attemptProblem, scoreOf, type Answer, type Attempt } from '$lib/domain/quiz';
import { sampleAnswer } from '$lib/server/demo/demo-lessons';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { classIdsForStaff } from '$lib/server/repositories/class.repository';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import { archivePupilOfClass } from '$lib/server/services/class.service';
import type { DeviceActor } from '$lib/server/services/device.service';
import { rosterFor } from '$lib/server/services/device.service';
import {
	classResults,
	recapFor,
	resultsCsv,
	submitAttempt
} from '$lib/server/services/lesson.service';
import type { StaffActor } from '$lib/server/context';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { enrolClassDevice, makeClass, makeSchool, makeStaff, teach } from './factories';

/** Finished lessons from class devices: stored once, checked against the lesson, counted for teachers. */
describe(`lesson attempts and results (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let classA: string;
	let classB: string;
	let teacherA: StaffActor;
	let teacherB: StaffActor;
	let device: DeviceActor;
	let pupils: string[];
	let lesson: Lesson;

	// The model lesson (K1): choice (two right), thumbs, choice, order, how sure.
	const right: Answer[] = [
		{
			questionId: 'who-could-you-tell',
			given: ['teacher', 'dinner-lady'],
			firstTime: true,
			tries: 1
		},
		{ questionId: 'told-off', given: ['down'], firstTime: true, tries: 1 },
		{ questionId: 'how-does-pip-feel', given: ['uh-oh'], firstTime: true, tries: 1 },
		{ questionId: 'what-first', given: ['turn-over', 'find', 'tell'], firstTime: true, tries: 1 },
		{ questionId: 'how-sure', given: ['sure'], firstTime: true, tries: 1 }
	];
	const missedThumbs = right.map((a) =>
		a.questionId === 'told-off' ? { ...a, given: ['up'], firstTime: false, tries: 2 } : a
	);
	const attempt = (pupilId: string, answers = right, over: Partial<Attempt> = {}): Attempt => ({
		id: randomUUID(),
		pupilId,
		lessonId: lesson.id,
		version: lesson.version,
		language: 'en',
		startedAt: ctx.clock.now().toISOString(),
		completedAt: ctx.clock.now().toISOString(),
		answers,
		score: scoreOf(lesson, answers),
		...over
	});
	const count = async () =>
		Number(
			(
				await ctx.db
					.selectFrom('lesson_attempt')
					.select((eb) => eb.fn.countAll<string | number>().as('n'))
					.executeTakeFirstOrThrow()
			).n
		);

	beforeEach(async () => {
		ctx = await freshDatabase();
		({ admin } = await makeSchool(ctx));
		classA = await makeClass(ctx, admin, 1, ['Nia R', 'Ola K', 'Tomos P']);
		classB = await makeClass(ctx, admin, 1, ['Ben T']);
		const a = await makeStaff(ctx, admin, 'teacher', 'Teacher A');
		const b = await makeStaff(ctx, admin, 'teacher', 'Teacher B');
		await teach(ctx, admin, classA, a.id);
		await teach(ctx, admin, classB, b.id);
		const now = ctx.clock.now();
		teacherA = { ...a.actor, classIds: await classIdsForStaff(ctx.db, admin.schoolId, a.id, now) };
		teacherB = { ...b.actor, classIds: await classIdsForStaff(ctx.db, admin.schoolId, b.id, now) };
		device = await enrolClassDevice(ctx, admin, [classA]);
		pupils = (await listPupilsOfClass(ctx.db, admin.schoolId, classA)).map((p) => p.id);
		lesson = ctx.lessons.get('k1-trusted-grown-ups')!;
	});
	afterEach(() => ctx.close());

	it('stores an attempt once: a replay gets the first answer', async () => {
		const body = attempt(pupils[0]!);
		const first = await submitAttempt(ctx, device, body);
		expect(first.status).toBe(201);
		ctx.clock.advanceMinutes(5);
		const again = await submitAttempt(ctx, device, JSON.parse(JSON.stringify(body)));
		expect(again).toEqual({ status: 200, body: first.body });
		expect(await count()).toBe(1);
		const answers = await ctx.db.selectFrom('lesson_answer').selectAll().execute();
		expect(answers).toHaveLength(5);
	});

	it('lets only one of two simultaneous copies in', async () => {
		const body = attempt(pupils[0]!);
		const results = await Promise.all([
			submitAttempt(ctx, device, body),
			submitAttempt(ctx, device, body)
		]);
		expect(results.map((r) => r.status).sort()).toEqual([200, 201]);
		expect(await count()).toBe(1);
	});

	it('refuses tampered attempts and changes nothing', async () => {
		const body = attempt(pupils[0]!);
		const cases: [unknown, number, string][] = [
			[{ ...body, lessonId: 'how-to-hack' }, 422, 'no such lesson'],
			[{ ...body, score: { correct: 5, total: 4 } }, 422, 'score'],
			[{ ...body, score: { correct: 4, total: 5 } }, 422, 'score'],
			[attempt(pupils[0]!, missedThumbs, { score: { correct: 4, total: 4 } }), 422, 'score'],
			[
				attempt(
					pupils[0]!,
					right.map((a) => (a.questionId === 'told-off' ? { ...a, given: ['up'] } : a))
				),
				422,
				'told-off'
			],
			[attempt(pupils[0]!, right.slice(0, 3)), 422, 'questions'],
			[{ ...body, pupilId: 'not-a-uuid' }, 400, 'shape'],
			[{ ...body, answers: 'all right' }, 400, 'shape'],
			[null, 400, 'shape']
		];
		for (const [raw, status, words] of cases) {
			const result = await submitAttempt(ctx, device, raw);
			expect(result.status, JSON.stringify(raw)?.slice(0, 80)).toBe(status);
			expect('error' in result.body && result.body.error).toContain(words);
		}
		expect(await count()).toBe(0);
		// The same id with another body is refused once the first is stored.
		expect((await submitAttempt(ctx, device, body)).status).toBe(201);
		const reused = await submitAttempt(ctx, device, {
			...body,
			answers: missedThumbs,
			score: scoreOf(lesson, missedThumbs)
		});
		expect(reused.status).toBe(422);
		expect(await count()).toBe(1);
	});

	it('refuses a pupil of a class the device does not serve', async () => {
		const other = (await listPupilsOfClass(ctx.db, admin.schoolId, classB))[0]!.id;
		expect((await submitAttempt(ctx, device, attempt(other))).status).toBe(403);
		expect((await submitAttempt(ctx, device, attempt(randomUUID()))).status).toBe(403);
		expect(await count()).toBe(0);
	});

	it('counts results per pupil, per strand and per question, for the class’s teachers only', async () => {
		await submitAttempt(ctx, device, attempt(pupils[0]!));
		await submitAttempt(ctx, device, attempt(pupils[1]!, missedThumbs));
		// A second go, a day later, does not change the first score shown.
		ctx.clock.advanceMinutes(24 * 60);
		await submitAttempt(ctx, device, attempt(pupils[1]!));

		const outcome = await classResults(ctx, teacherA, classA);
		if (!outcome.ok) throw new Error('no results');
		const r = outcome.results;
		expect(r.lessons[0]!.id).toBe('k1-trusted-grown-ups');
		const cell = (i: number) => r.pupils.find((p) => p.id === pupils[i])!.cells[lesson.id]!;
		expect(cell(0)).toMatchObject({ finished: true, correct: 4, total: 4, attempts: 1 });
		expect(cell(1)).toMatchObject({ finished: true, correct: 3, total: 4, attempts: 2 });
		expect(cell(2)).toMatchObject({ finished: false, attempts: 0 });
		const hwl = r.strands.find((s) => s.strand === 'HWL')!;
		// HWL questions: who-could-you-tell, told-off, what-first (how sure is not scored), on
		// each pupil's first go only: the second go shows practice, not what the class knew.
		expect(hwl).toMatchObject({ pupilsCovered: 2, answers: 6, firstTime: 5 });
		expect(r.strands.find((s) => s.strand === 'CO')).toMatchObject({
			pupilsCovered: 0,
			answers: 0
		});
		expect(r.hardest).toEqual([
			expect.objectContaining({
				questionId: 'told-off',
				answers: 2,
				firstTime: 1,
				prompt: expect.stringContaining('told off') as string
			})
		]);

		const recap = await recapFor(ctx, teacherA, classA);
		expect(recap.ok && recap.questions.map((q) => q.question.id)).toEqual(['told-off']);

		expect(await classResults(ctx, teacherB, classA)).toEqual({ ok: false, status: 403 });
		expect((await recapFor(ctx, teacherB, classA)).ok).toBe(false);
		expect((await resultsCsv(ctx, teacherB, classA)).ok).toBe(false);
	});

	it('leaves out leavers: no new attempts, and their old answers are not counted', async () => {
		await submitAttempt(ctx, device, attempt(pupils[0]!, missedThumbs));
		await submitAttempt(ctx, device, attempt(pupils[1]!));
		const left = await archivePupilOfClass(ctx, teacherA, classA, pupils[0]!);
		expect(left.ok).toBe(true);
		expect((await submitAttempt(ctx, device, attempt(pupils[0]!))).status).toBe(403);
		const outcome = await classResults(ctx, teacherA, classA);
		if (!outcome.ok) throw new Error('no results');
		expect(outcome.results.pupils.map((p) => p.id)).not.toContain(pupils[0]);
		expect(outcome.results.hardest).toEqual([]);
		expect(outcome.results.strands.find((s) => s.strand === 'HWL')).toMatchObject({
			pupilsCovered: 1,
			answers: 3,
			firstTime: 3
		});
	});

	it('exports results as CSV and audits the export', async () => {
		await submitAttempt(ctx, device, attempt(pupils[0]!));
		const csv = await resultsCsv(ctx, teacherA, classA);
		if (!csv.ok) throw new Error('no csv');
		const lines = csv.csv.trim().split('\r\n');
		expect(lines[0]).toContain('"Pupil","Lesson"');
		expect(
			lines.some(
				(l) => l.startsWith('"Nia R.","My trusted grown-ups') && l.includes('"yes","4","4"')
			)
		).toBe(true);
		expect(lines.filter((l) => l.includes('"no"')).length).toBeGreaterThan(0);
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(
			audit.some((a) => a.action === 'lesson.results-exported' && a.actorId === teacherA.staffId)
		).toBe(true);
	});

	it('tells the class devices which lessons each pupil has finished', async () => {
		await submitAttempt(ctx, device, attempt(pupils[0]!));
		const roster = await rosterFor(ctx, device);
		expect(roster.finished).toEqual([{ pupilId: pupils[0], lessonId: lesson.id }]);
		expect(roster.pupils.every((p) => p.yearGroup === 1)).toBe(true);
	});
});

describe('demo answers', () => {
	it('are answers a pupil could give, for every lesson, right first time or not', async () => {
		const ctx = await freshDatabase();
		try {
			for (const lesson of ctx.lessons.all) {
				for (const right of [true, false]) {
					const answers = lesson.questions.map((q, i) => sampleAnswer(q, right, i));
					const problem = attemptProblem(lesson, {
						id: randomUUID(),
						pupilId: randomUUID(),
						lessonId: lesson.id,
						version: lesson.version,
						language: 'en',
						startedAt: '2026-11-22T09:00:00.000Z',
						completedAt: '2026-11-22T09:10:00.000Z',
						answers,
						score: scoreOf(lesson, answers)
					});
					expect(problem, `${lesson.id} ${right ? 'right' : 'second go'}`).toBeNull();
				}
			}
		} finally {
			await ctx.close();
		}
	});
});
