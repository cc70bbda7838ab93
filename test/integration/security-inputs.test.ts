import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentEntry } from '$lib/domain/consent';
import { parkedQuota, type ReportSubmission } from '$lib/domain/report';
import { readJsonBody } from '$lib/server/json-body';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import { unassignTeacher } from '$lib/server/services/class.service';
import {
	consentUses,
	importConsent,
	pupilConsent,
	recordConsent
} from '$lib/server/services/consent.service';
import type { DeviceActor } from '$lib/server/services/device.service';
import { receiveReport, submitReport } from '$lib/server/services/report.service';
import type { StaffActor } from '$lib/server/context';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import {
	consentEntry,
	enrolClassDevice,
	makeClass,
	makeSchool,
	makeStaff,
	teach
} from './factories';

/** Attacks on what the server reads: deep or huge JSON, junk floods, impossible dates, unknown ids. */
describe(`security: inputs (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let classA: string;
	let device: DeviceActor;
	let pupils: string[];

	const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
	const post = (body: string, headers: Record<string, string> = {}) =>
		new Request('http://localhost/api/device/reports', {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body
		});
	const report = (over: Partial<ReportSubmission> = {}): ReportSubmission => ({
		id: randomUUID(),
		createdAt: ctx.clock.now().toISOString(),
		classId: classA,
		pupilId: null,
		cardId: null,
		feeling: 'worried',
		topic: 'unkind',
		words: 'Someone keeps being unkind',
		drawing: null,
		voice: null,
		talkTo: null,
		lang: 'en',
		...over
	});
	const parkedRows = () =>
		ctx.db
			.selectFrom('parked_submission')
			.select(['device_id', 'body'])
			.where('device_id', '=', device.deviceId)
			.execute();

	beforeEach(async () => {
		ctx = await freshDatabase();
		ctx.clock.set(new Date('2026-11-24T10:00:00Z'));
		({ admin } = await makeSchool(ctx));
		classA = await makeClass(ctx, admin, 4, ['Nia R', 'Ola K']);
		device = await enrolClassDevice(ctx, admin, [classA]);
		pupils = (await listPupilsOfClass(ctx.db, admin.schoolId, classA)).map((p) => p.id);
	});
	afterEach(() => ctx.close());

	describe('JSON bodies', () => {
		it('answers a report nested 5,000 deep with a calm 400, never a thrown error (a 500)', async () => {
			// On the old code the report intake parked it with JSON.stringify, which threw.
			await expect(submitReport(ctx, device, JSON.parse(deep(5000)))).resolves.toMatchObject({
				status: 400
			});
			const answer = await receiveReport(ctx, device, post(deep(5000)));
			expect(answer.status).toBe(400);
			expect('error' in answer.body && answer.body.error).toMatch(/\w/);
			const nested = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
			expect((await receiveReport(ctx, device, post(nested))).status).toBe(400);
		});

		it('refuses deep or over-size JSON before parsing it, and reads good JSON', async () => {
			const tooDeep = await readJsonBody(post(deep(5000)), { maxBytes: 100_000, maxDepth: 32 });
			expect(tooDeep).toMatchObject({ ok: false, status: 400, reason: 'too-deep' });
			// Brackets inside strings are not nesting.
			const inString = JSON.stringify({ words: '['.repeat(5000) });
			expect(await readJsonBody(post(inString), { maxBytes: 100_000, maxDepth: 4 })).toEqual({
				ok: true,
				value: { words: '['.repeat(5000) }
			});
			const big = JSON.stringify({ words: 'x'.repeat(200_000) });
			expect(await readJsonBody(post(big), { maxBytes: 100_000 })).toMatchObject({
				ok: false,
				status: 413,
				reason: 'too-big'
			});
			// A body whose length is not announced is counted as it arrives.
			const stream = new ReadableStream<Uint8Array>({
				start(controller) {
					for (let i = 0; i < 50; i++)
						controller.enqueue(new TextEncoder().encode('x'.repeat(10_000)));
					controller.close();
				}
			});
			const streamed = new Request('http://localhost/x', {
				method: 'POST',
				body: stream,
				duplex: 'half'
			} as RequestInit);
			expect(await readJsonBody(streamed, { maxBytes: 100_000 })).toMatchObject({ status: 413 });
			expect(await readJsonBody(post('{"a":'), { maxBytes: 100_000 })).toMatchObject({
				ok: false,
				status: 400,
				reason: 'not-json'
			});
			const over = await receiveReport(ctx, device, post(`"${'x'.repeat(3_100_000)}"`));
			expect(over.status).toBe(413);
			expect(await parkedRows()).toHaveLength(0);
		});

		it('leaves no JSON POST endpoint reading its body without the guard', () => {
			const files: string[] = [];
			const walk = (dir: string) => {
				for (const name of readdirSync(dir)) {
					const path = join(dir, name);
					if (statSync(path).isDirectory()) walk(path);
					else if (/\.(ts|js)$/.test(name)) files.push(path);
				}
			};
			walk('src/routes');
			const unguarded = files.filter((f) => /request\.json\(\)/.test(readFileSync(f, 'utf8')));
			expect(unguarded).toEqual([]);
		});
	});

	describe('parked submissions', () => {
		it('stops parking a device’s junk after its daily count, with a 429, and still takes a real worry', async () => {
			const answers: number[] = [];
			for (let i = 0; i < parkedQuota.count + 5; i++)
				answers.push((await submitReport(ctx, device, { junk: i })).status);
			expect(answers.slice(0, parkedQuota.count).every((s) => s === 400)).toBe(true);
			expect(answers.slice(parkedQuota.count)).toEqual([429, 429, 429, 429, 429]);
			expect(await parkedRows()).toHaveLength(parkedQuota.count);
			// A well-formed worry is never held back by the junk.
			expect((await submitReport(ctx, device, report())).status).toBe(201);
			// Another device of the school is not punished for this one.
			const other = await enrolClassDevice(ctx, admin, [classA]);
			expect((await submitReport(ctx, other, { junk: 'x' })).status).toBe(400);
			// The next day the device may park again.
			ctx.clock.advanceMinutes(25 * 60);
			expect((await submitReport(ctx, device, { junk: 'later' })).status).toBe(400);
		});

		it('keeps to the count when junk arrives all at once', async () => {
			const answers = await Promise.all(
				Array.from({ length: parkedQuota.count + 10 }, (_, i) =>
					submitReport(ctx, device, { junk: i }).then((r) => r.status)
				)
			);
			expect(answers.filter((s) => s === 400)).toHaveLength(parkedQuota.count);
			expect(answers.filter((s) => s === 429)).toHaveLength(10);
			expect(await parkedRows()).toHaveLength(parkedQuota.count);
		});

		it('bounds the bytes one device can park in a day', async () => {
			const junk = () => ({ ...report(), topic: 'homework', words: 'x'.repeat(1_900_000) });
			const answers: number[] = [];
			for (let i = 0; i < 10; i++) answers.push((await submitReport(ctx, device, junk())).status);
			expect(answers).toContain(429);
			expect(answers.indexOf(429)).toBeGreaterThan(0);
			const bytes = (await parkedRows()).reduce((sum, r) => sum + r.body.length, 0);
			expect(bytes).toBeLessThanOrEqual(parkedQuota.bytes);
			expect((await submitReport(ctx, device, report())).status).toBe(201);
		});
	});

	describe('consent dates', () => {
		const entry = consentEntry;

		it('refuses impossible or implausible dates on the form, naming the field', async () => {
			const [use] = await consentUses(ctx, admin.schoolId);
			const tries: [Partial<ConsentEntry>, string][] = [
				[{ givenOn: '2026-13-45' }, 'consent.error.givenOn'],
				[{ givenOn: '9999-99-99' }, 'consent.error.givenOn'],
				[{ givenOn: '2026-02-30', validFrom: '2026-09-05' }, 'consent.error.givenOn'],
				[{ givenOn: '1066-10-14', validFrom: '2026-09-05' }, 'consent.error.givenOn'],
				// Answered in the future.
				[{ givenOn: '2027-06-01', validFrom: '2027-06-01' }, 'consent.error.givenOn'],
				[{ validFrom: '2026-04-31' }, 'consent.error.validFrom'],
				[{ validUntil: '9999-12-31' }, 'consent.error.validUntil']
			];
			for (const [over, error] of tries)
				expect(await recordConsent(ctx, admin, pupils[0]!, entry(use!.id, over))).toEqual({
					ok: false,
					error
				});
			expect((await pupilConsent(ctx, admin, pupils[0]!))!.history).toEqual([]);
			expect(await recordConsent(ctx, admin, pupils[0]!, entry(use!.id))).toEqual({ ok: true });
		});

		it('refuses an import with a date out of range, naming the line', async () => {
			const className = (
				await ctx.db
					.selectFrom('class')
					.select('name')
					.where('id', '=', classA)
					.executeTakeFirstOrThrow()
			).name;
			const text = [
				'Forename,Surname,Reg Group,Contact,Relationship,Date,School website,Press',
				`Nia,Roberts,${className},Sam Roberts,mother,31/12/9999,Yes,No`,
				`Ola,Khan,${className},Jo Khan,father,2026-13-45,Yes,Yes`
			].join('\r\n');
			const result = await importConsent(ctx, admin, {
				text,
				settings: null,
				preset: 'generic',
				commit: true
			});
			expect(result).toMatchObject({ ok: false });
			expect('problems' in result && result.problems).toEqual([
				{ line: 2, reason: 'consentImport.error.badDate', detail: '31/12/9999' },
				{ line: 3, reason: 'consentImport.error.badDate', detail: '2026-13-45' }
			]);
			expect((await pupilConsent(ctx, admin, pupils[0]!))!.history).toEqual([]);
		});
	});

	describe('class assignments', () => {
		it('answers not-found for an unknown staff id and writes no audit entry', async () => {
			const teacher = await makeStaff(ctx, admin, 'teacher', 'Teacher A');
			await teach(ctx, admin, classA, teacher.id);
			const before = (await listAudit(ctx.db, admin.schoolId)).length;
			expect(await unassignTeacher(ctx, admin, classA, randomUUID())).toEqual({
				ok: false,
				error: 'class.error.notFound'
			});
			expect(await unassignTeacher(ctx, admin, randomUUID(), teacher.id)).toEqual({
				ok: false,
				error: 'class.error.notFound'
			});
			expect((await listAudit(ctx.db, admin.schoolId)).length).toBe(before);
			expect(await unassignTeacher(ctx, admin, classA, teacher.id)).toEqual({ ok: true });
			expect((await listAudit(ctx.db, admin.schoolId)).length).toBe(before + 1);
		});
	});
});
