import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultUses } from '$lib/domain/consent';
import { listAudit } from '$lib/server/repositories/audit.repository';
import { classIdsForStaff } from '$lib/server/repositories/class.repository';
import { listPupilsOfClass } from '$lib/server/repositories/pupil.repository';
import {
	consentOverview,
	consentUses,
	importConsent,
	pupilConsent,
	recordConsent,
	retireConsentUse,
	saveUse,
	setNoPhotos,
	tripSnapshot
} from '$lib/server/services/consent.service';
import { issueCards } from '$lib/server/services/card.service';
import type { StaffActor } from '$lib/server/context';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { consentEntry, makeClass, makeSchool, makeStaff, teach } from './factories';

/** The school's consent list: uses, answers that are never changed, the no-photos list. */
describe(`photo consent (${dialectUnderTest})`, () => {
	let ctx: TestContext;
	let admin: StaffActor;
	let dsl: StaffActor;
	let teacher: StaffActor;
	let classA: string;
	let classB: string;
	let pupils: string[];

	const entry = consentEntry;

	beforeEach(async () => {
		ctx = await freshDatabase();
		ctx.clock.set(new Date('2026-11-22T10:00:00Z'));
		({ admin } = await makeSchool(ctx));
		classA = await makeClass(ctx, admin, 3, ['Nia R', 'Ola K']);
		classB = await makeClass(ctx, admin, 5, ['Ben T']);
		const t = await makeStaff(ctx, admin, 'teacher', 'Teacher A');
		dsl = (await makeStaff(ctx, admin, 'dsl', 'Dee Lead')).actor;
		await teach(ctx, admin, classA, t.id);
		teacher = {
			...t.actor,
			classIds: await classIdsForStaff(ctx.db, admin.schoolId, t.id, ctx.clock.now())
		};
		pupils = (await listPupilsOfClass(ctx.db, admin.schoolId, classA)).map((p) => p.id);
	});
	afterEach(() => ctx.close());

	it('starts every school with the usual uses, all "not allowed" until answered, once', async () => {
		const [first, again] = await Promise.all([
			consentUses(ctx, admin.schoolId),
			consentUses(ctx, admin.schoolId)
		]);
		expect(first.map((u) => u.name)).toEqual(defaultUses.map((u) => u.name));
		expect(first.every((u) => !u.allowedWhenUnanswered)).toBe(true);
		expect(again.map((u) => u.id)).toEqual(first.map((u) => u.id));
		expect(await consentUses(ctx, admin.schoolId)).toHaveLength(defaultUses.length);
	});

	it('keeps every answer, and today’s verdict follows the latest from each carer', async () => {
		const [website] = await consentUses(ctx, admin.schoolId).then((u) =>
			u.filter((x) => x.key === 'website')
		);
		expect(await recordConsent(ctx, admin, pupils[0]!, entry(website!.id))).toEqual({ ok: true });
		let overview = (await consentOverview(ctx, teacher, classA))!;
		expect(overview.pupils[0]!.cells[website!.id]).toMatchObject({
			verdict: 'allowed',
			reason: 'granted'
		});
		expect(overview.pupils[1]!.cells[website!.id]).toMatchObject({
			verdict: 'not-allowed',
			reason: 'unanswered'
		});

		// The father objects, later that day: any objection wins.
		ctx.clock.advanceMinutes(60);
		await recordConsent(
			ctx,
			admin,
			pupils[0]!,
			entry(website!.id, {
				givenBy: 'Alex Jones',
				relationship: 'father',
				decision: 'refused',
				givenOn: '2026-11-01',
				validFrom: '2026-11-01'
			})
		);
		overview = (await consentOverview(ctx, teacher, classA))!;
		expect(overview.pupils[0]!.cells[website!.id]).toMatchObject({
			verdict: 'not-allowed',
			reason: 'objection'
		});
		const history = (await pupilConsent(ctx, teacher, pupils[0]!))!.history;
		expect(history.map((h) => h.decision)).toEqual(['refused', 'granted']);
		expect(history[0]!.recordedByName).toBe('Ada Admin');
		const audit = await listAudit(ctx.db, admin.schoolId);
		expect(audit.filter((a) => a.action === 'consent.recorded')).toHaveLength(2);
	});

	it('refuses a bad answer calmly and stores nothing', async () => {
		const [use] = await consentUses(ctx, admin.schoolId);
		const bad: [unknown, string][] = [
			[{ ...entry(use!.id), decision: 'maybe' }, 'consent.error.decision'],
			[{ ...entry(use!.id), givenBy: ' ' }, 'consent.error.givenBy'],
			[{ ...entry(use!.id), givenOn: '22/11/2026' }, 'consent.error.givenOn'],
			[{ ...entry(use!.id), validUntil: '2026-01-01' }, 'consent.error.untilBeforeFrom'],
			[entry('no-such-use'), 'consent.error.use']
		];
		for (const [raw, error] of bad)
			expect(await recordConsent(ctx, admin, pupils[0]!, raw)).toEqual({ ok: false, error });
		const other = (await listPupilsOfClass(ctx.db, admin.schoolId, classB))[0]!.id;
		expect(await recordConsent(ctx, teacher, other, entry(use!.id))).toEqual({
			ok: false,
			error: 'consent.error.pupil'
		});
		expect((await pupilConsent(ctx, admin, pupils[0]!))!.history).toEqual([]);
	});

	it('puts a pupil on the no-photos list, with a reason only the DSL and admin see', async () => {
		const uses = await consentUses(ctx, admin.schoolId);
		for (const u of uses) await recordConsent(ctx, admin, pupils[1]!, entry(u.id));
		expect(await setNoPhotos(ctx, dsl, pupils[1]!, { onList: true, reason: '' })).toEqual({
			ok: false,
			error: 'consent.error.reason'
		});
		expect(
			await setNoPhotos(ctx, dsl, pupils[1]!, { onList: true, reason: 'Court order' })
		).toEqual({ ok: true });

		const overview = (await consentOverview(ctx, teacher, classA))!;
		const row = overview.pupils.find((p) => p.id === pupils[1])!;
		expect(row.noPhotos).toBe(true);
		expect(
			Object.values(row.cells).every((c) => c.verdict === 'not-allowed' && c.reason === 'no-photos')
		).toBe(true);
		expect(JSON.stringify(overview)).not.toContain('Court order');

		expect((await pupilConsent(ctx, teacher, pupils[1]!))!.noPhotos).toMatchObject({
			onList: true,
			reason: null,
			reasonVisible: false
		});
		expect((await pupilConsent(ctx, dsl, pupils[1]!))!.noPhotos).toMatchObject({
			onList: true,
			reason: 'Court order'
		});
		expect((await pupilConsent(ctx, admin, pupils[1]!))!.noPhotos.reason).toBe('Court order');
		const audit = await listAudit(ctx.db, admin.schoolId);
		const entryAudit = audit.find((a) => a.action === 'consent.no-photos')!;
		expect(JSON.stringify(entryAudit)).not.toContain('Court order');

		ctx.clock.advanceMinutes(60);
		await setNoPhotos(ctx, dsl, pupils[1]!, { onList: false, reason: '' });
		const after = (await consentOverview(ctx, teacher, classA))!.pupils.find(
			(p) => p.id === pupils[1]
		)!;
		expect(Object.values(after.cells).every((c) => c.verdict === 'allowed')).toBe(true);
	});

	it('lets the school rename, add and retire uses, keeping the records', async () => {
		const [first] = await consentUses(ctx, admin.schoolId);
		await recordConsent(ctx, admin, pupils[0]!, entry(first!.id));
		expect(
			await saveUse(ctx, admin, {
				id: first!.id,
				name: 'Class displays',
				allowedWhenUnanswered: true
			})
		).toEqual({ ok: true });
		expect(
			await saveUse(ctx, admin, { id: null, name: 'Sports day film', allowedWhenUnanswered: false })
		).toEqual({ ok: true });
		expect(
			await saveUse(ctx, admin, { id: null, name: 'sports day film', allowedWhenUnanswered: false })
		).toEqual({ ok: false, error: 'consent.error.useTaken' });
		expect(
			await saveUse(ctx, admin, { id: null, name: '  ', allowedWhenUnanswered: false })
		).toEqual({ ok: false, error: 'consent.error.useName' });
		let uses = await consentUses(ctx, admin.schoolId);
		expect(uses[0]).toMatchObject({ name: 'Class displays', allowedWhenUnanswered: true });
		expect(uses.at(-1)!.name).toBe('Sports day film');
		// "Allowed when unanswered" now holds for pupils nobody answered for.
		const overview = (await consentOverview(ctx, teacher, classA))!;
		expect(overview.pupils[1]!.cells[first!.id]!.verdict).toBe('allowed');

		expect(await retireConsentUse(ctx, admin, first!.id)).toEqual({ ok: true });
		uses = await consentUses(ctx, admin.schoolId);
		expect(uses.some((u) => u.id === first!.id)).toBe(false);
		expect((await pupilConsent(ctx, admin, pupils[0]!))!.history).toHaveLength(1);
	});

	it('shows a teacher only their own classes', async () => {
		expect(await consentOverview(ctx, teacher, classB)).toBeNull();
		const other = (await listPupilsOfClass(ctx.db, admin.schoolId, classB))[0]!.id;
		expect(await pupilConsent(ctx, teacher, other)).toBeNull();
		expect(await consentOverview(ctx, dsl, classB)).not.toBeNull();
	});

	it('marks grants about to run out and recent withdrawals', async () => {
		const [use] = await consentUses(ctx, admin.schoolId);
		await recordConsent(ctx, admin, pupils[0]!, entry(use!.id, { validUntil: '2026-12-10' }));
		await recordConsent(ctx, admin, pupils[1]!, entry(use!.id));
		await recordConsent(
			ctx,
			admin,
			pupils[1]!,
			entry(use!.id, { decision: 'withdrawn', givenOn: '2026-11-15', validFrom: '2026-11-15' })
		);
		const overview = (await consentOverview(ctx, admin, classA))!;
		expect(overview.pupils[0]!.cells[use!.id]).toMatchObject({
			verdict: 'allowed',
			expiresSoon: true
		});
		expect(overview.pupils[1]!.cells[use!.id]).toMatchObject({
			verdict: 'not-allowed',
			recentlyWithdrawn: true
		});
	});

	describe('importing from the MIS', () => {
		const file = (lines: string[]) =>
			['Forename,Surname,Reg Group,Contact,Relationship,Date,School website,Press', ...lines].join(
				'\r\n'
			);
		let className: string;
		beforeEach(async () => {
			className = (
				await ctx.db
					.selectFrom('class')
					.select('name')
					.where('id', '=', classA)
					.executeTakeFirstOrThrow()
			).name;
		});
		const good = () =>
			file([
				`Nia,Roberts,${className},Sam Roberts,mother,05/09/2026,Yes,No`,
				`Ola,Khan,${className},Jo Khan,father,05/09/2026,Yes,Yes`
			]);

		it('previews, then stores all of it once, and a re-import reports what changed', async () => {
			const preview = await importConsent(ctx, admin, {
				text: good(),
				settings: null,
				preset: 'generic',
				commit: false
			});
			expect(preview).toMatchObject({
				ok: true,
				answers: 4,
				committed: false,
				summary: { rows: 2, added: 4, newlyAllowed: 3, withdrawn: 0 }
			});
			expect((await pupilConsent(ctx, admin, pupils[0]!))!.history).toEqual([]);

			const done = await importConsent(ctx, admin, {
				text: good(),
				settings: null,
				preset: 'generic',
				commit: true
			});
			expect(done).toMatchObject({ ok: true, committed: true, summary: { added: 4 } });
			const website = (await consentUses(ctx, admin.schoolId)).find((u) => u.key === 'website')!;
			const nia = (await pupilConsent(ctx, admin, pupils[0]!))!;
			expect(nia.cells[website.id]!.verdict).toBe('allowed');
			expect(nia.history.every((h) => h.source === 'imported')).toBe(true);

			// The same file again changes nothing; a later export with two withdrawals says so.
			ctx.clock.advanceMinutes(60 * 24 * 30);
			const again = await importConsent(ctx, admin, {
				text: good(),
				settings: null,
				preset: 'generic',
				commit: true
			});
			expect(again).toMatchObject({ ok: true, summary: { added: 0, unchanged: 4, withdrawn: 0 } });
			const later = file([
				`Nia,Roberts,${className},Sam Roberts,mother,20/10/2026,No,No`,
				`Ola,Khan,${className},Jo Khan,father,20/10/2026,No,Yes`
			]);
			const changed = await importConsent(ctx, admin, {
				text: later,
				settings: null,
				preset: 'generic',
				commit: true
			});
			expect(changed).toMatchObject({
				ok: true,
				summary: { added: 2, unchanged: 2, withdrawn: 2, newlyAllowed: 0 }
			});
			const history = (await pupilConsent(ctx, admin, pupils[0]!))!.history;
			expect(history.filter((h) => h.useId === website.id).map((h) => h.decision)).toEqual([
				'withdrawn',
				'granted'
			]);
			const audit = await listAudit(ctx.db, admin.schoolId);
			expect(audit.filter((a) => a.action === 'consent.imported')).toHaveLength(3);
		});

		it('imports nothing from a bad file and names each problem', async () => {
			const bad = file([
				`Nia,Roberts,${className},Sam Roberts,mother,05/09/2026,Yes,No`,
				`Zed,Nobody,${className},,,,Yes,Yes`,
				`Nia,Roberts,${className},Sam Roberts,mother,05/09/2026,Yes,No`,
				`Ola,Khan,${className},=cmd|' /C calc'!A0,father,05/09/2026,Yes,Yes`,
				`Ola,Khan,${className},Jo Khan,father,05/09/2026,Maybe,Yes`
			]);
			const result = await importConsent(ctx, admin, {
				text: bad,
				settings: null,
				preset: 'generic',
				commit: true
			});
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.problems.map((p) => `${p.line} ${p.reason}`)).toEqual([
				'3 consentImport.error.unknownPupil',
				'4 consentImport.error.duplicate',
				'5 consentImport.error.formula',
				'6 consentImport.error.unknownWord'
			]);
			// A short row (a stray comma, a lost cell) refuses the file as it is read.
			const short = await importConsent(ctx, admin, {
				text: file([`Ola,Khan,${className},Jo Khan`]),
				settings: null,
				preset: 'generic',
				commit: true
			});
			expect('problems' in short && short.problems).toEqual([
				{ line: 2, reason: 'consentImport.error.columns', detail: '4/8' }
			]);
			expect((await pupilConsent(ctx, admin, pupils[0]!))!.history).toEqual([]);
			for (const text of ['', '\uFEFF  ', 'Name\r\nNia']) {
				const empty = await importConsent(ctx, admin, {
					text,
					settings: null,
					preset: 'generic',
					commit: true
				});
				expect(empty.ok).toBe(false);
			}
			const wrongEncoding = file([`Nia,Roberts,${className},Si\uFFFDn,mother,05/09/2026,Yes,No`]);
			const encoded = await importConsent(ctx, admin, {
				text: wrongEncoding,
				settings: null,
				preset: 'generic',
				commit: true
			});
			expect(!encoded.ok && encoded.problems[0]!.reason).toBe('consentImport.error.encoding');
		});
	});

	describe('the trip snapshot', () => {
		const endsAt = () => new Date(ctx.clock.now().getTime() + 8 * 3_600_000).toISOString();

		it('holds only names, classes, card ids and verdicts, never a reason, and is audited', async () => {
			const uses = await consentUses(ctx, admin.schoolId);
			for (const u of uses) await recordConsent(ctx, admin, pupils[0]!, entry(u.id));
			await setNoPhotos(ctx, dsl, pupils[1]!, { onList: true, reason: 'A secret reason' });
			const issued = await issueCards(ctx, admin, classA, { kind: 'all' });
			expect(issued.ok).toBe(true);
			const trip = (await makeStaff(ctx, admin, 'trip', 'Tia Trip')).actor;
			const result = await tripSnapshot(ctx, trip, {
				classIds: [classA],
				groupName: 'Castle trip',
				endsAt: endsAt()
			});
			if (!result.ok) throw new Error(result.error);
			const s = result.download.snapshot;
			expect(s.pupils).toHaveLength(2);
			expect(Object.keys(s.pupils[0]!).sort()).toEqual([
				'cardIds',
				'className',
				'firstName',
				'id',
				'lastInitial',
				'verdicts'
			]);
			const nia = s.pupils.find((p) => p.id === pupils[0])!;
			const ola = s.pupils.find((p) => p.id === pupils[1])!;
			expect(Object.values(nia.verdicts).every((v) => v === 'allowed')).toBe(true);
			expect(Object.values(ola.verdicts).every((v) => v === 'not-allowed')).toBe(true);
			expect(nia.cardIds).toHaveLength(1);
			const text = JSON.stringify(s);
			expect(text).not.toContain('A secret reason');
			expect(text).not.toContain('Sam Jones');
			expect(text).not.toContain('no-photos');
			const audit = await listAudit(ctx.db, admin.schoolId);
			expect(
				audit.some((a) => a.action === 'consent.snapshot-downloaded' && a.actorId === trip.staffId)
			).toBe(true);
		});

		it('lets a teacher take only their own classes, and refuses a bad request', async () => {
			expect(
				await tripSnapshot(ctx, teacher, {
					classIds: [classB],
					groupName: 'Trip',
					endsAt: endsAt()
				})
			).toMatchObject({ ok: false, status: 403 });
			expect(
				(
					await tripSnapshot(ctx, teacher, {
						classIds: [classA],
						groupName: 'Trip',
						endsAt: endsAt()
					})
				).ok
			).toBe(true);
			const bad: unknown[] = [
				null,
				{ classIds: [], groupName: 'Trip', endsAt: endsAt() },
				{ classIds: [classA], groupName: ' ', endsAt: endsAt() },
				{ classIds: [classA], groupName: 'Trip', endsAt: '2020-01-01T00:00:00Z' },
				{
					classIds: [classA],
					groupName: 'Trip',
					endsAt: new Date(ctx.clock.now().getTime() + 30 * 86_400_000).toISOString()
				}
			];
			for (const raw of bad) expect((await tripSnapshot(ctx, admin, raw)).ok).toBe(false);
		});
	});
});
