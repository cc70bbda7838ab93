import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	addPupils,
	archivePupilOfClass,
	classDetail,
	classesFor
} from '$lib/server/services/class.service';
import { importClassList, previewClassImport } from '$lib/server/services/roster-import.service';
import { decodeCsvBytes } from '$lib/server/csv-file';
import {
	verifyAuditChain,
	listAudit,
	appendAudit
} from '$lib/server/repositories/audit.repository';
import { dialectUnderTest, freshDatabase, type TestContext } from './database';
import { makeClass, makeSchool } from './factories';

describe(`pupils on ${dialectUnderTest}`, () => {
	let ctx: TestContext;
	beforeEach(async () => (ctx = await freshDatabase()));
	afterEach(async () => ctx.close());

	it('keeps only first name, initial, class, year group and a picture', async () => {
		const { admin } = await makeSchool(ctx);
		const classId = await makeClass(ctx, admin, 2, []);
		await addPupils(ctx, admin, classId, [{ firstName: 'Nia', lastInitial: 'R' }], 'hand');
		const row = await ctx.db.selectFrom('pupil').selectAll().executeTakeFirstOrThrow();
		expect(Object.keys(row).sort()).toEqual(
			[
				'archived_at',
				'avatar',
				'class_id',
				'created_at',
				'first_name',
				'id',
				'last_initial',
				'school_id',
				'year_group'
			].sort()
		);
		expect(row).toMatchObject({ first_name: 'Nia', last_initial: 'R', year_group: 2 });
	});

	it('archives leavers without deleting them', async () => {
		const { admin } = await makeSchool(ctx);
		const classId = await makeClass(ctx, admin);
		const [leaver] = (await classDetail(ctx, admin, classId))!.pupils;
		expect(await archivePupilOfClass(ctx, admin, classId, leaver!.id)).toEqual({ ok: true });
		expect(await archivePupilOfClass(ctx, admin, classId, leaver!.id)).toEqual({
			ok: false,
			error: 'pupil.error.notFound'
		});
		expect((await classDetail(ctx, admin, classId))!.pupils).toHaveLength(1);
		expect((await classesFor(ctx, admin))[0]!.pupilCount).toBe(1);
		const kept = await ctx.db
			.selectFrom('pupil')
			.select(['id', 'archived_at'])
			.where('id', '=', leaver!.id)
			.executeTakeFirstOrThrow();
		expect(kept.archived_at).not.toBeNull();
	});

	it('imports a whole class list, and nothing from a list with one bad row', async () => {
		const { admin } = await makeSchool(ctx);
		const classId = await makeClass(ctx, admin, 4, []);
		const good = {
			csv: 'Forename,Surname,Date of birth\nAled,Morris,2017-03-01\nBea,Nash,2017-05-02\n',
			encoding: 'utf-8' as const
		};
		const bad = { csv: 'Forename,Surname\nCai,Owen\n,Price\n', encoding: 'utf-8' as const };

		const refused = await importClassList(ctx, admin, classId, bad, {});
		expect(refused).toMatchObject({
			ok: false,
			error: 'import.error.fixRows',
			preview: { problems: [{ line: 3, reason: 'pupil.error.firstNameMissing' }] }
		});
		expect((await classDetail(ctx, admin, classId))!.pupils).toHaveLength(0);

		expect(await importClassList(ctx, admin, classId, good, {})).toEqual({
			ok: true,
			added: 2,
			alreadyHere: 0
		});
		const names = (await classDetail(ctx, admin, classId))!.pupils.map(
			(p) => `${p.firstName} ${p.lastInitial}`
		);
		expect(names).toEqual(['Aled M', 'Bea N']);
		const stored = JSON.stringify(await ctx.db.selectFrom('pupil').selectAll().execute());
		expect(stored).not.toContain('2017');
		expect(stored).not.toContain('Morris');
	});

	it('adds nobody twice when the same class list is imported again', async () => {
		const { admin } = await makeSchool(ctx);
		const classId = await makeClass(ctx, admin, 3, []);
		const arbor = {
			csv: readFileSync('src/lib/domain/mis-examples/arbor-roster.csv', 'utf8'),
			encoding: 'utf-8' as const
		};
		expect(await importClassList(ctx, admin, classId, arbor, {})).toMatchObject({
			ok: true,
			added: 8
		});
		// Again, and the same pupils from another system's export in Windows-1252.
		const again = await importClassList(ctx, admin, classId, arbor, {});
		expect(again).toMatchObject({ ok: false, error: 'import.error.nothingNew' });
		const sims = decodeCsvBytes(
			new Uint8Array(readFileSync('src/lib/domain/mis-examples/sims-roster-windows-1252.csv'))
		);
		const preview = await previewClassImport(
			ctx,
			admin,
			classId,
			{ csv: sims.text, encoding: sims.encoding },
			{}
		);
		expect(preview).toMatchObject({ ok: true, preview: { pupils: [], ready: false } });
		if (preview.ok) expect(preview.preview.alreadyHere).toHaveLength(8);

		const names = (await classDetail(ctx, admin, classId))!.pupils.map(
			(p) => `${p.firstName} ${p.lastInitial}.`
		);
		expect(names.sort()).toEqual(
			[
				'Chloë D.',
				'Liv H.',
				'Mabli E.',
				'Niamh D.',
				'Sam K.',
				'Sam K.',
				'Tomos P.',
				'Zainab R.'
			].sort()
		);
	});

	it('adds only the newcomers when a longer list comes, and nothing if the class changed meanwhile', async () => {
		const { admin } = await makeSchool(ctx);
		const classId = await makeClass(ctx, admin, 3, []);
		const first = { csv: 'Forename,Surname\nTomos,Pritchard\n', encoding: 'utf-8' as const };
		const longer = {
			csv: 'Forename,Surname\nTomos,Pritchard\nZainab,Rahman\n',
			encoding: 'utf-8' as const
		};
		await importClassList(ctx, admin, classId, first, {});
		expect(await importClassList(ctx, admin, classId, longer, {})).toEqual({
			ok: true,
			added: 1,
			alreadyHere: 1
		});
		// An import whose preview was made before Mabli was added by hand adds nothing.
		const previewed = await previewClassImport(
			ctx,
			admin,
			classId,
			{ csv: 'Forename,Surname\nMabli,Ellis\nOwain,Ellis\n', encoding: 'utf-8' },
			{}
		);
		if (!previewed.ok) throw new Error(previewed.error);
		await addPupils(ctx, admin, classId, [{ firstName: 'Mabli', lastInitial: 'E' }], 'hand');
		const stale = previewed.preview.pupils.map(({ firstName, lastInitial }) => ({
			firstName,
			lastInitial
		}));
		expect(await addPupils(ctx, admin, classId, stale, 'import')).toEqual({
			ok: false,
			error: 'import.error.classChanged'
		});
		expect((await classDetail(ctx, admin, classId))!.pupils).toHaveLength(3);
	});

	it('adds each pupil once when the same list is imported four times at the same moment', async () => {
		const { admin } = await makeSchool(ctx);
		const classId = await makeClass(ctx, admin, 3, []);
		const list = [
			{ firstName: 'Tomos', lastInitial: 'P' },
			{ firstName: 'Zainab', lastInitial: 'R' },
			{ firstName: 'Mabli', lastInitial: 'E' }
		];
		const results = await Promise.all(
			[1, 2, 3, 4].map(() => addPupils(ctx, admin, classId, list, 'import'))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.filter((r) => !r.ok)).toEqual(
			[1, 2, 3].map(() => ({ ok: false, error: 'import.error.classChanged' }))
		);
		const names = (await classDetail(ctx, admin, classId))!.pupils.map((p) => p.firstName);
		expect(names.sort()).toEqual(['Mabli', 'Tomos', 'Zainab']);
	});
});

describe(`audit log on ${dialectUnderTest}`, () => {
	let ctx: TestContext;
	beforeEach(async () => (ctx = await freshDatabase()));
	afterEach(async () => ctx.close());

	it('chains every entry and notices a changed one', async () => {
		const { admin, schoolId } = await makeSchool(ctx);
		await makeClass(ctx, admin);
		const entries = await listAudit(ctx.db, schoolId);
		expect(entries.map((e) => e.action)).toEqual([
			'pupil.imported',
			'class.added',
			'school.created'
		]);
		expect(await verifyAuditChain(ctx.db, schoolId)).toEqual({ ok: true, entries: 3 });

		await ctx.db
			.updateTable('audit')
			.set({ detail: '{"count":99}' })
			.where('action', '=', 'pupil.imported')
			.execute();
		expect(await verifyAuditChain(ctx.db, schoolId)).toMatchObject({
			ok: false,
			why: 'changed',
			brokenAt: { action: 'pupil.imported' }
		});
	});

	it('names the first broken link when an entry is removed, or the last one is', async () => {
		const { admin, schoolId } = await makeSchool(ctx);
		await makeClass(ctx, admin);
		await makeClass(ctx, admin);
		const rows = await ctx.db
			.selectFrom('audit')
			.select(['seq', 'action'])
			.where('school_id', '=', schoolId)
			.orderBy('seq')
			.execute();
		expect(rows.map((r) => r.action)).toEqual([
			'school.created',
			'class.added',
			'pupil.imported',
			'class.added',
			'pupil.imported'
		]);
		await ctx.db.deleteFrom('audit').where('seq', '=', rows[1]!.seq).execute();
		expect(await verifyAuditChain(ctx.db, schoolId)).toMatchObject({
			ok: false,
			why: 'removed-or-reordered',
			brokenAt: { seq: Number(rows[2]!.seq), action: 'pupil.imported' }
		});
		await ctx.db
			.deleteFrom('audit')
			.where('school_id', '=', schoolId)
			.where('seq', '>', rows[0]!.seq)
			.execute();
		expect(await verifyAuditChain(ctx.db, schoolId)).toMatchObject({
			ok: false,
			why: 'head-mismatch',
			brokenAt: null
		});
	});

	it('keeps one unbroken chain when many write at once', async () => {
		const { schoolId } = await makeSchool(ctx);
		await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				ctx.db.transaction().execute((trx) =>
					appendAudit(trx, {
						schoolId,
						at: ctx.clock.now(),
						actorId: null,
						action: `test.${i}`,
						subjectType: 'test',
						subjectId: null
					})
				)
			)
		);
		expect(await listAudit(ctx.db, schoolId)).toHaveLength(21);
		expect(await verifyAuditChain(ctx.db, schoolId)).toEqual({ ok: true, entries: 21 });
	});
});
