import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { StaffRole } from '$lib/domain/roles';
import { demoPassword, demoStaff } from '$lib/server/demo/demo-school';
import { createEnrolmentCode } from '$lib/server/services/device.service';
import { addStaff } from '$lib/server/services/staff.service';
import type { Params } from './routes';
import { nextCode } from './second-factor';
import { actorFor, classIdByName, openSchool } from './school';
import type { RunningServer } from './server';

export interface RawResponse {
	status: number;
	headers: IncomingHttpHeaders;
	body: string;
}

export interface RawRequest {
	method?: string;
	path: string;
	headers?: Record<string, string | string[]>;
	body?: string | Buffer;
	/** Only the status and headers (for a stream that never ends). */
	headersOnly?: boolean;
}

/**
 * One request over plain node:http, so the test chooses every header (Host too) and sees the
 * headers exactly as the server wrote them.
 */
export function send(server: { port: number }, options: RawRequest): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		let answered = false;
		const req = httpRequest(
			{
				host: '127.0.0.1',
				port: server.port,
				method: options.method ?? 'GET',
				path: options.path,
				// A fresh connection each time: a server may close one whose body it did not read.
				agent: false,
				headers: {
					host: `localhost:${server.port}`,
					...(options.body === undefined
						? {}
						: { 'content-length': String(Buffer.byteLength(options.body)) }),
					...options.headers
				}
			},
			(res) => {
				answered = true;
				if (options.headersOnly) {
					res.destroy();
					resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
					return;
				}
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('error', reject);
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks).toString('utf8')
					})
				);
			}
		);
		// A server may answer (a 413, say) and close before the whole body is written: the answer counts.
		req.on('error', (failure) => {
			if (!answered) reject(failure);
		});
		if (options.body !== undefined) req.write(options.body);
		req.end();
	});
}

export interface Credentials {
	/** A session cookie (`lantern_session=...`) for each staff role. */
	cookies: Record<StaffRole, string>;
	/** A class iPad's bearer token (Hedgehogs). */
	device: string;
	/** A trip device's bearer token. */
	trip: string;
	/** Real ids for the route parameters: a class the teacher has, one of its pupils, a report, a lesson. */
	params: Params;
	/** Real ids of other things (a consent use, a teacher, the iPad) for bodies to name. */
	ids: { useId: string; staffId: string; deviceId: string };
}

const roleEmails: Record<StaffRole, string> = {
	dsl: demoStaff.dsl.email,
	admin: demoStaff.admin.email,
	teacher: demoStaff.year1.email,
	trip: demoStaff.trip.email
};

export async function signInAs(server: RunningServer, email: string): Promise<string> {
	const response = await send(server, {
		method: 'POST',
		path: '/signin',
		headers: {
			origin: server.url,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ email, password: demoPassword }).toString()
	});
	const cookie = (response.headers['set-cookie'] ?? []).find((c) =>
		c.startsWith('lantern_session=')
	);
	if (response.status !== 303 || !cookie)
		throw new Error(`Sign-in as ${email} failed: ${response.status}`);
	const half = cookie.split(';')[0]!;
	if (!String(response.headers.location ?? '').startsWith('/signin/code')) return half;
	// The DSL and admin: the second step, with a code from the demo's authenticator secret.
	const passed = await send(server, {
		method: 'POST',
		path: '/signin/code?/code',
		headers: {
			origin: server.url,
			accept: 'text/html',
			cookie: half,
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ code: await nextCode(server.url, email) }).toString()
	});
	const full = (passed.headers['set-cookie'] ?? []).find((c) => c.startsWith('lantern_session='));
	if (passed.status !== 303 || !full)
		throw new Error(`Second factor for ${email} failed: ${passed.status}`);
	return full.split(';')[0]!;
}

/** Signs in every role, enrols a class iPad, makes a trip list, and finds ids for the routes. */
export async function credentialsFor(server: RunningServer): Promise<Credentials> {
	const cookies = {} as Record<StaffRole, string>;
	for (const [role, email] of Object.entries(roleEmails) as [StaffRole, string][])
		cookies[role] = await signInAs(server, email);

	const school = await openSchool(server.dbFile);
	try {
		const admin = await actorFor(school, demoStaff.admin.email);
		const classId = await classIdByName(school, admin, 'Hedgehogs');
		const pupil = await school.db
			.selectFrom('pupil')
			.select('id')
			.where('school_id', '=', admin.schoolId)
			.where('class_id', '=', classId)
			.executeTakeFirstOrThrow();
		const report = await school.db
			.selectFrom('report')
			.select('id')
			.where('school_id', '=', admin.schoolId)
			.executeTakeFirst();
		const made = await createEnrolmentCode(school, admin, {
			name: 'Fuzz iPad',
			classIds: [classId]
		});
		if (!made.ok) throw new Error(made.error);
		const enrolled = await send(server, {
			method: 'POST',
			path: '/api/device/enrol',
			headers: { origin: server.url, 'content-type': 'application/json' },
			body: JSON.stringify({ code: made.qrText })
		});
		if (enrolled.status !== 200) throw new Error(`Enrolment failed: ${enrolled.status}`);
		const device = (JSON.parse(enrolled.body) as { token: string }).token;

		const snapshot = await send(server, {
			method: 'POST',
			path: '/api/staff/trip/snapshot',
			headers: {
				origin: server.url,
				cookie: cookies.trip,
				'content-type': 'application/json'
			},
			body: JSON.stringify({
				classIds: [classId],
				groupName: 'Castle trip',
				endsAt: new Date(Date.now() + 86_400_000).toISOString()
			})
		});
		if (snapshot.status !== 201) throw new Error(`Trip list failed: ${snapshot.status}`);
		const trip = (JSON.parse(snapshot.body) as { token: string }).token;

		const use = await school.db
			.selectFrom('consent_use')
			.select('id')
			.where('school_id', '=', admin.schoolId)
			.executeTakeFirstOrThrow();
		const teacher = await actorFor(school, demoStaff.year1.email);
		// A newcomer's one-time set-password link, so the set-password form is fuzzed for real.
		const newcomer = await addStaff(school, admin, {
			name: 'Rowan Vale',
			email: 'newcomer@brightwater.example',
			role: 'teacher'
		});
		if (!newcomer.ok) throw new Error(newcomer.error);
		const params: Params = {
			classId,
			pupilId: pupil.id,
			lessonId: 'k1-trusted-grown-ups',
			token: newcomer.token,
			...(report ? { reportId: report.id } : {})
		};
		// Not route parameters, but real ids a body may name.
		const ids = {
			useId: use.id,
			staffId: teacher.staffId,
			deviceId: (JSON.parse(enrolled.body) as { deviceId: string }).deviceId
		};
		return { cookies, device, trip, params, ids };
	} finally {
		await school.close();
	}
}
