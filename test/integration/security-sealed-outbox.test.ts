import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportSubmission } from '$lib/domain/report';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import { rosterFor, type DeviceActor } from '$lib/server/services/device.service';
import { submitReport } from '$lib/server/services/report.service';
import type { StaffActor } from '$lib/server/context';
import {
	fromBase64,
	sealItem,
	toBase64,
	type SealKey,
	type SealedBody
} from '$lib/shared/sealed-outbox';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { enrolClassDevice, makeClass, makeSchool } from './factories';

/**
 * The server's half of the sealed outbox, as the attacks on it: a changed byte, a changed key,
 * another device's item, a replay. Each is refused calmly (400, parked), never a 5xx; a
 * sealed worry that is sent again is kept exactly once.
 */
describe(`sealed outbox items (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let classId: string;
	let device: DeviceActor;
	let pupilId: string;
	let key: SealKey;

	const worry = (over: Partial<ReportSubmission> = {}): ReportSubmission => ({
		id: randomUUID(),
		createdAt: ctx.clock.now().toISOString(),
		classId,
		pupilId,
		cardId: null,
		feeling: 'scared',
		topic: 'pictures',
		words: 'Someone asked me for photos',
		drawing: 'data:image/png;base64,iVBORw0KGgo=',
		voice: { mime: 'audio/mp4', data: 'AAAAGGZ0eXBtcDQyAAAAAG1wNDI=', seconds: 2 },
		talkTo: null,
		lang: 'en',
		...over
	});

	const seal = (body: ReportSubmission, by = device.deviceId, to = key): Promise<SealedBody> =>
		sealItem(body, { id: body.id, deviceId: by, key: to });

	const stored = () => ctx.db.selectFrom('report').selectAll().execute();
	const parkedReasons = async () =>
		(await ctx.db.selectFrom('parked_submission').select('reason').execute()).map((r) => r.reason);

	beforeEach(async () => {
		ctx = await freshDatabase();
		({ admin } = await makeSchool(ctx));
		classId = await makeClass(ctx, admin, 5, ['Nia R', 'Ola K']);
		device = await enrolClassDevice(ctx, admin, [classId]);
		pupilId = (await listPupilsOfClass(ctx.db, admin.schoolId, classId))[0]!.id;
		const roster = await rosterFor(ctx, device);
		if (!roster.sealKey) throw new Error('The roster carried no key');
		key = roster.sealKey;
	});
	afterEach(() => ctx.close());

	it('hands every device of a school the same public key, and keeps the private one sealed', async () => {
		expect(key.jwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
		expect(key.jwk).not.toHaveProperty('d');
		const other = await enrolClassDevice(ctx, admin, [classId]);
		expect((await rosterFor(ctx, other)).sealKey).toEqual(key);
		const rows = await ctx.db.selectFrom('device_key').selectAll().execute();
		expect(rows).toHaveLength(1);
		// The private key is not in the database in clear: no JWK "d" in any column.
		expect(JSON.stringify(rows)).not.toMatch(/"d"|\\"d\\"/);
		if (dialectUnderTest === 'sqlite') {
			// Sealed under a key file made beside the database, readable by the server alone.
			const file = join(dirname(ctx.config.databaseFile), 'device-key.secret');
			expect(statSync(file).mode & 0o077).toBe(0);
		}
	});

	it('opens a sealed worry and stores it whole; the same sealed item sent again is kept once', async () => {
		const body = worry();
		const sealed = await seal(body);
		const first = await submitReport(ctx, device, sealed);
		expect(first.status).toBe(201);
		const again = await submitReport(ctx, device, structuredClone(sealed));
		expect(again).toEqual({ status: 200, body: first.body });
		// Sealed afresh (a new ephemeral key and IV), it is still the same worry.
		expect(await submitReport(ctx, device, await seal(body))).toEqual({
			status: 200,
			body: first.body
		});
		const reports = await stored();
		expect(reports).toHaveLength(1);
		expect(reports[0]).toMatchObject({ id: body.id, words: body.words, pupil_id: pupilId });
		const attachments = await ctx.db.selectFrom('report_attachment').selectAll().execute();
		expect(attachments.map((a) => a.kind).sort()).toEqual(['drawing', 'voice']);
		expect(await parkedReasons()).toEqual([]);
	});

	it('refuses a changed byte with a calm 400, parks it, and stores nothing', async () => {
		const sealed = await seal(worry());
		const data = fromBase64(sealed.sealed.data);
		data[data.length - 20] = data[data.length - 20]! ^ 0x40;
		const tampered = { ...sealed, sealed: { ...sealed.sealed, data: toBase64(data) } };
		const answer = await submitReport(ctx, device, tampered);
		expect(answer).toEqual({
			status: 400,
			body: { error: 'The report could not be opened.', parked: true, id: sealed.id }
		});
		expect(await stored()).toEqual([]);
		expect(await parkedReasons()).toEqual(['sealed: cannot be opened']);
		// The untouched item still goes in, once.
		expect((await submitReport(ctx, device, sealed)).status).toBe(201);
	});

	it('refuses every other change to a sealed item calmly, never with a server error', async () => {
		const body = worry();
		const sealed = await seal(body);
		const other = await makeSchool(ctx, 'Other School');
		const otherClass = await makeClass(ctx, other.admin, 5, ['Tomos P']);
		const otherDevice = await enrolClassDevice(ctx, other.admin, [otherClass]);
		const otherKey = (await rosterFor(ctx, otherDevice)).sealKey!;
		const changed: unknown[] = [
			// Another id under the same seal (the id is bound to the ciphertext).
			{ ...sealed, id: randomUUID() },
			// Another IV, another ephemeral key, a point that is not on the curve.
			{ ...sealed, sealed: { ...sealed.sealed, iv: toBase64(new Uint8Array(12)) } },
			{ ...sealed, sealed: { ...sealed.sealed, epk: (await seal(worry())).sealed.epk } },
			{ ...sealed, sealed: { ...sealed.sealed, epk: { ...sealed.sealed.epk, x: 'A'.repeat(43) } } },
			// A key this school does not have, or another school's.
			{ ...sealed, sealed: { ...sealed.sealed, kid: 'no-such-key' } },
			await seal(body, device.deviceId, otherKey),
			// Sealed by another device (its id is bound too), or shapes that are not a seal at all.
			await seal(body, otherDevice.deviceId),
			{ ...sealed, sealed: { ...sealed.sealed, data: 'not base64!' } },
			{ ...sealed, sealed: { ...sealed.sealed, v: 2 } },
			{ id: body.id, sealed: null },
			{ sealed: 5 }
		];
		for (const attempt of changed) {
			const answer = await submitReport(ctx, device, attempt);
			expect(answer.status).toBe(400);
			expect(answer.body).toMatchObject({ parked: true });
		}
		expect(await stored()).toEqual([]);
		expect(new Set(await parkedReasons())).toEqual(
			new Set(['sealed: cannot be opened', 'sealed: unknown key', 'sealed: malformed'])
		);
	});

	it('parks a sealed worry that opens but does not fit, opened, so the DSL can read it', async () => {
		const body = worry({ topic: 'homework' as never, words: 'Words for the DSL to read' });
		const answer = await submitReport(ctx, device, await seal(body));
		expect(answer).toMatchObject({ status: 400, body: { parked: true, id: body.id } });
		const parked = await ctx.db.selectFrom('parked_submission').selectAll().execute();
		expect(parked.map((p) => p.reason)).toEqual(['malformed: topic']);
		expect(parked[0]!.body).toContain('Words for the DSL to read');
	});

	it('refuses an id reused with another sealed worry (422), naming the item it kept', async () => {
		const body = worry();
		await submitReport(ctx, device, await seal(body));
		const clash = await submitReport(ctx, device, await seal({ ...body, words: 'Other words' }));
		expect(clash).toEqual({
			status: 422,
			body: { error: 'A different report already has this id.', parked: true, id: body.id }
		});
	});

	it('does not refuse a worry when the server cannot open its own key: the device keeps it', async () => {
		// The key outside the database is not the one the school's key was sealed with (a
		// restored backup without its key file): nothing is parked, and the device tries again.
		const sealed = await seal(worry());
		const wrong = {
			...ctx,
			config: { ...ctx.config, deviceKey: { secret: 'A'.repeat(43) + '=', file: undefined } }
		};
		await expect(submitReport(wrong, device, sealed)).rejects.toThrow();
		expect(await parkedReasons()).toEqual([]);
		expect((await submitReport(ctx, device, sealed)).status).toBe(201);
	});
});
