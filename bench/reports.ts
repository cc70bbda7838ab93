// Tell-an-adult figures: report submissions over HTTP beside raw SQLite inserts of the same
// rows, the inbox with 100,000 reports stored, a device emptying 1,000 queued reports, and
// submission to the teacher's live update. Bounded in count and time; loopback only.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { saveIdentity } from '../src/lib/client/device-store';
import { drainOutbox, queueReport } from '../src/lib/client/outbox';
import type { ReportSubmission } from '../src/lib/domain/report';
import { createAppContext } from '../src/lib/server/app';
import { readConfig } from '../src/lib/server/config';
import { openSqliteFile } from '../src/lib/server/db/database';
import type { AppContext, StaffActor } from '../src/lib/server/context';
import { createDemoSchool, demoPassword, demoStaff } from '../src/lib/server/demo/demo-school';
import { listPupilsOfClass } from '../src/lib/server/repositories/pupil.repository';
import { signIn } from '../src/lib/server/services/auth.service';
import { createEnrolmentCode } from '../src/lib/server/services/device.service';
import { inboxFor } from '../src/lib/server/services/report.service';
import { actorFor, classIdByName, openSchool } from '../test/e2e/support/school';
import type { RunningServer } from '../test/e2e/support/server';
import { median, report } from './report';

function percentile(values: readonly number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Setup {
	token: string;
	classId: string;
	pupilIds: string[];
	teacher: StaffActor;
}

async function enrolDevice(server: RunningServer, school: AppContext): Promise<Setup> {
	const teacher = await actorFor(school, demoStaff.year4.email);
	const classId = await classIdByName(school, teacher, 'Kestrels');
	const pupilIds = (await listPupilsOfClass(school.db, teacher.schoolId, classId)).map((p) => p.id);
	const code = await createEnrolmentCode(school, teacher, {
		name: 'Bench iPad',
		classIds: [classId]
	});
	if (!code.ok) throw new Error(code.error);
	const response = await fetch(server.url + '/api/device/enrol', {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: server.url },
		body: JSON.stringify({ code: code.qrText })
	});
	const { token } = (await response.json()) as { token: string };
	return { token, classId, pupilIds, teacher };
}

function worry(setup: Setup, n: number): ReportSubmission {
	return {
		id: randomUUID(),
		createdAt: new Date().toISOString(),
		classId: setup.classId,
		pupilId: setup.pupilIds[n % setup.pupilIds.length]!,
		cardId: null,
		feeling: 'worried',
		topic: n % 10 === 0 ? 'not-safe' : 'unkind',
		words: 'Someone in my class keeps saying unkind things to me in the game chat at home.',
		drawing: null,
		voice: null,
		talkTo: null,
		lang: 'en'
	};
}

/** Submissions per second and p99 over HTTP (autocannon), for 10 s with 20 connections. */
async function submissions(server: RunningServer, setup: Setup): Promise<void> {
	let n = 0;
	const result = await autocannon({
		url: server.url,
		connections: 20,
		duration: 10,
		requests: [
			{
				method: 'POST',
				path: '/api/device/reports',
				headers: {
					authorization: `Bearer ${setup.token}`,
					'content-type': 'application/json',
					origin: server.url
				},
				setupRequest: (request) => ({ ...request, body: JSON.stringify(worry(setup, n++)) })
			}
		]
	});
	report(
		'report submissions (HTTP, SQLite, 20 connections)',
		result.requests.average,
		'per s',
		'≥ 500'
	);
	report('report submission p99 latency', result.latency.p99, 'ms', '< 50');
	report('report submissions refused (non-2xx)', result.non2xx, 'requests');
}

/** The same rows inserted straight into SQLite with prepared statements, one transaction each. */
function rawInserts(setup: Setup, count = 5000): void {
	const dir = mkdtempSync(join(tmpdir(), 'lantern-bench-raw-'));
	try {
		// The same connection settings as the app (synchronous=FULL), so the comparison is fair.
		const db = openSqliteFile(join(dir, 'raw.sqlite'));
		db.exec(`create table report (id text primary key, school_id text, device_id text, pupil_id text,
			created_on_device text, received_at text, topic text, feeling text, words text,
			has_drawing integer, has_voice integer, talk_to text, audience text, urgent integer,
			lang text, body_hash text);
			create table report_class (report_id text, class_id text, school_id text, received_at text,
			primary key (report_id, class_id));`);
		const insertReport = db.prepare(
			'insert into report values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, null, ?, ?, ?, ?)'
		);
		const insertClass = db.prepare('insert into report_class values (?, ?, ?, ?)');
		const store = db.transaction((r: ReportSubmission) => {
			const now = new Date().toISOString();
			insertReport.run(
				r.id,
				'school',
				'device',
				r.pupilId,
				r.createdAt,
				now,
				r.topic,
				r.feeling,
				r.words,
				'class',
				r.topic === 'not-safe' ? 1 : 0,
				r.lang,
				'hash'
			);
			insertClass.run(r.id, r.classId, 'school', now);
		});
		const rows = Array.from({ length: count }, (_, i) => worry(setup, i));
		const start = performance.now();
		for (const r of rows) store(r);
		const seconds = (performance.now() - start) / 1000;
		report('raw SQLite inserts of the same rows (one transaction each)', count / seconds, 'per s');
		db.close();
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** The inbox of a teacher and of the DSL with 100,000 reports stored in the school. */
async function inboxWithManyReports(): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'lantern-bench-inbox-'));
	const ctx = await createAppContext(readConfig({ LANTERN_DB_FILE: join(dir, 'inbox.sqlite') }));
	try {
		await createDemoSchool(ctx, undefined, { reports: true });
		const teacher = await actorFor(ctx, demoStaff.year4.email);
		const dsl = await actorFor(ctx, demoStaff.dsl.email);
		const device = await ctx.db.selectFrom('device').select('id').executeTakeFirstOrThrow();
		const classes = await ctx.db.selectFrom('class').select('id').execute();
		const total = 100_000;
		const now = Date.now();
		const batch = 500;
		for (let start = 0; start < total; start += batch) {
			const rows = Array.from({ length: Math.min(batch, total - start) }, (_, i) => {
				const n = start + i;
				// Spread over two years, across the three classes.
				const at = new Date(now - (n / total) * 730 * 86_400_000).toISOString();
				return { id: randomUUID(), n, at, classId: classes[n % classes.length]!.id };
			});
			await ctx.db.transaction().execute(async (trx) => {
				await trx
					.insertInto('report')
					.values(
						rows.map((r) => ({
							id: r.id,
							school_id: teacher.schoolId,
							device_id: device.id,
							pupil_id: null,
							created_on_device: r.at,
							received_at: r.at,
							topic: 'unkind' as const,
							feeling: 'sad' as const,
							words: `Bench report ${r.n}`,
							has_drawing: 0,
							has_voice: 0,
							talk_to: null,
							audience: 'class' as const,
							urgent: 0,
							lang: 'en',
							body_hash: 'bench'
						}))
					)
					.execute();
				await trx
					.insertInto('report_class')
					.values(
						rows.map((r) => ({
							report_id: r.id,
							class_id: r.classId,
							school_id: teacher.schoolId,
							received_at: r.at
						}))
					)
					.execute();
				await trx
					.insertInto('report_event')
					.values(
						rows.map((r) => ({
							id: randomUUID(),
							report_id: r.id,
							school_id: teacher.schoolId,
							at: r.at,
							actor_id: teacher.staffId,
							actor_role: 'teacher' as const,
							kind: 'seen',
							body: '{"kind":"seen"}'
						}))
					)
					.execute();
			});
		}
		for (const [who, actor] of [
			['teacher', teacher],
			['DSL', dsl]
		] as const) {
			const times: number[] = [];
			for (let i = 0; i < 100; i++) {
				const start = performance.now();
				const inbox = await inboxFor(ctx, actor);
				times.push(performance.now() - start);
				if (inbox.items.length === 0) throw new Error('empty inbox in the bench');
			}
			report(`inbox p95, ${who}, 100,000 reports stored`, percentile(times, 95), 'ms', '< 50');
		}
	} finally {
		await ctx.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

/** A device's outbox of 1,000 reports emptied over HTTP (fake-indexeddb in Node). */
async function drainThousand(server: RunningServer, setup: Setup): Promise<void> {
	await saveIdentity({
		token: setup.token,
		deviceId: 'bench',
		enrolledAt: new Date().toISOString()
	});
	for (let i = 0; i < 1000; i++) await queueReport(worry(setup, i));
	const start = performance.now();
	const result = await drainOutbox({ origin: server.url, force: true });
	const ms = performance.now() - start;
	if (result.sent !== 1000) throw new Error(`only ${result.sent} of 1,000 sent`);
	report('outbox of 1,000 reports emptied', ms / 1000, 's', '< 10');
}

/** Submission to the moment a teacher's open inbox hears of it (server-sent events). */
async function liveUpdate(server: RunningServer, school: AppContext, setup: Setup): Promise<void> {
	const signedIn = await signIn(school, demoStaff.year4.email, demoPassword);
	if (!signedIn.ok) throw new Error('bench sign-in failed');
	const abort = new AbortController();
	const stream = await fetch(server.url + '/api/staff/reports/stream', {
		headers: { cookie: `lantern_session=${signedIn.sessionToken}` },
		signal: abort.signal
	});
	const reader = stream.body!.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	const nextChange = async () => {
		for (;;) {
			const cut = buffer.indexOf('event: changed');
			if (cut >= 0) {
				const end = buffer.indexOf('\n\n', cut);
				if (end >= 0) {
					buffer = buffer.slice(end + 2);
					return;
				}
			}
			const { value, done } = await reader.read();
			if (done) throw new Error('stream ended');
			buffer += decoder.decode(value, { stream: true });
		}
	};
	await nextChange(); // the greeting sent as the stream opens
	const times: number[] = [];
	for (let i = 0; i < 20; i++) {
		const heard = nextChange();
		const start = performance.now();
		await fetch(server.url + '/api/device/reports', {
			method: 'POST',
			headers: {
				authorization: `Bearer ${setup.token}`,
				'content-type': 'application/json',
				origin: server.url
			},
			body: JSON.stringify(worry(setup, i))
		});
		await heard;
		times.push(performance.now() - start);
	}
	abort.abort();
	report('submission to teacher’s live update, median', median(times), 'ms', '< 2000');
	report('submission to teacher’s live update, p95', percentile(times, 95), 'ms', '< 2000');
}

export async function reportBenchmarks(server: RunningServer): Promise<void> {
	const school = await openSchool(server.dbFile);
	try {
		const setup = await enrolDevice(server, school);
		rawInserts(setup);
		await submissions(server, setup);
		await drainThousand(server, setup);
		await liveUpdate(server, school, setup);
	} finally {
		await school.close();
	}
	await inboxWithManyReports();
}
