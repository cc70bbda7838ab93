import { randomBytes, randomInt } from 'node:crypto';
import {
	picturePasswordInput,
	pictureRules,
	randomPictures,
	type Picture
} from '$lib/domain/picture-password';
import { canUseClass } from '$lib/domain/roles';
import { pbkdf2Hex } from '$lib/shared/pbkdf2';
import type { AppContext, StaffActor } from '../context';
import { appendAudit } from '../repositories/audit.repository';
import { getClass } from '../repositories/class.repository';
import { listPupilsOfClass } from '../repositories/pupil.repository';

export type PictureOutcome<T = object> = ({ ok: true } & T) | { ok: false; error: string };

export interface PictureSlip {
	pupilId: string;
	firstName: string;
	lastInitial: string;
	avatar: string;
	pictures: Picture[];
}

async function classInScope(ctx: AppContext, actor: StaffActor, classId: string) {
	return canUseClass(actor, classId) ? getClass(ctx.db, actor.schoolId, classId) : undefined;
}

export async function pictureStatus(ctx: AppContext, actor: StaffActor, classId: string) {
	const row = await ctx.db
		.selectFrom('class')
		.select('picture_passwords')
		.where('school_id', '=', actor.schoolId)
		.where('id', '=', classId)
		.executeTakeFirst();
	const have = await ctx.db
		.selectFrom('picture_password')
		.innerJoin('pupil', 'pupil.id', 'picture_password.pupil_id')
		.select('picture_password.pupil_id')
		.where('picture_password.school_id', '=', actor.schoolId)
		.where('pupil.class_id', '=', classId)
		.execute();
	return {
		on: row?.picture_passwords === 'on',
		pupilsWithOne: new Set(have.map((r) => r.pupil_id))
	};
}

export async function setClassPictures(
	ctx: AppContext,
	actor: StaffActor,
	classId: string,
	on: boolean
): Promise<PictureOutcome> {
	if (!(await classInScope(ctx, actor, classId)))
		return { ok: false, error: 'class.error.notFound' };
	await ctx.db.transaction().execute(async (trx) => {
		await trx
			.updateTable('class')
			.set({ picture_passwords: on ? 'on' : null })
			.where('school_id', '=', actor.schoolId)
			.where('id', '=', classId)
			.execute();
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: ctx.clock.now(),
			actorId: actor.staffId,
			action: on ? 'class.picture-passwords-on' : 'class.picture-passwords-off',
			subjectType: 'class',
			subjectId: classId
		});
	});
	return { ok: true };
}

/** New picture passwords for pupils without one (or one pupil), shown once to hand out. */
export async function makePicturePasswords(
	ctx: AppContext,
	actor: StaffActor,
	classId: string,
	which: { kind: 'missing' } | { kind: 'pupil'; pupilId: string }
): Promise<PictureOutcome<{ slips: PictureSlip[] }>> {
	if (!(await classInScope(ctx, actor, classId)))
		return { ok: false, error: 'class.error.notFound' };
	const now = ctx.clock.now();
	const pupils = await listPupilsOfClass(ctx.db, actor.schoolId, classId);
	const { pupilsWithOne } = await pictureStatus(ctx, actor, classId);
	const chosen =
		which.kind === 'pupil'
			? pupils.filter((p) => p.id === which.pupilId)
			: pupils.filter((p) => !pupilsWithOne.has(p.id));
	if (chosen.length === 0)
		return {
			ok: false,
			error: which.kind === 'pupil' ? 'pupil.error.notFound' : 'pictures.error.everyoneHasOne'
		};

	const random = () => randomInt(0, 1_000_000) / 1_000_000;
	const slips = chosen.map((p) => ({
		pupilId: p.id,
		firstName: p.firstName,
		lastInitial: p.lastInitial,
		avatar: p.avatar,
		pictures: randomPictures(random)
	}));
	const rows = await Promise.all(
		slips.map(async (slip) => {
			const salt = randomBytes(16).toString('hex');
			const hash = await pbkdf2Hex(
				picturePasswordInput(slip.pupilId, slip.pictures),
				salt,
				pictureRules.iterations
			);
			return {
				pupil_id: slip.pupilId,
				school_id: actor.schoolId,
				salt,
				hash,
				iterations: pictureRules.iterations,
				set_at: now.toISOString(),
				unlocked_at: now.toISOString()
			};
		})
	);
	await ctx.db.transaction().execute(async (trx) => {
		for (const row of rows) {
			await trx
				.insertInto('picture_password')
				.values(row)
				.onConflict((oc) =>
					oc.column('pupil_id').doUpdateSet({
						salt: row.salt,
						hash: row.hash,
						iterations: row.iterations,
						set_at: row.set_at,
						unlocked_at: row.unlocked_at
					})
				)
				.execute();
		}
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action: 'pupil.picture-passwords-made',
			subjectType: 'class',
			subjectId: classId,
			detail: { pupils: slips.map((s) => s.pupilId) }
		});
	});
	return { ok: true, slips };
}

/** A teacher unlocks a pupil's picture password after five wrong tries on a device. */
export async function unlockPictures(
	ctx: AppContext,
	actor: StaffActor,
	pupilId: string
): Promise<PictureOutcome> {
	const pupil = await ctx.db
		.selectFrom('pupil')
		.select('class_id')
		.where('school_id', '=', actor.schoolId)
		.where('id', '=', pupilId)
		.executeTakeFirst();
	if (!pupil || !canUseClass(actor, pupil.class_id))
		return { ok: false, error: 'pupil.error.notFound' };
	const now = ctx.clock.now();
	await ctx.db.transaction().execute(async (trx) => {
		await trx
			.updateTable('picture_password')
			.set({ unlocked_at: now.toISOString() })
			.where('school_id', '=', actor.schoolId)
			.where('pupil_id', '=', pupilId)
			.execute();
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: now,
			actorId: actor.staffId,
			action: 'pupil.picture-password-unlocked',
			subjectType: 'pupil',
			subjectId: pupilId
		});
	});
	return { ok: true };
}

/** For a device's roster: which of its classes use picture passwords, and the hashes. */
export async function picturesForRoster(
	ctx: AppContext,
	schoolId: string,
	classIds: readonly string[]
) {
	if (classIds.length === 0) return { classesOn: new Set<string>(), hashes: [] };
	const [classes, hashes] = await Promise.all([
		ctx.db
			.selectFrom('class')
			.select(['id', 'picture_passwords'])
			.where('school_id', '=', schoolId)
			.where('id', 'in', classIds)
			.execute(),
		ctx.db
			.selectFrom('picture_password')
			.innerJoin('pupil', 'pupil.id', 'picture_password.pupil_id')
			.select([
				'picture_password.pupil_id',
				'picture_password.salt',
				'picture_password.hash',
				'picture_password.iterations',
				'picture_password.unlocked_at'
			])
			.where('picture_password.school_id', '=', schoolId)
			.where('pupil.class_id', 'in', classIds)
			.where('pupil.archived_at', 'is', null)
			.execute()
	]);
	return {
		classesOn: new Set(classes.filter((c) => c.picture_passwords === 'on').map((c) => c.id)),
		hashes: hashes.map((h) => ({
			pupilId: h.pupil_id,
			salt: h.salt,
			hash: h.hash,
			iterations: Number(h.iterations),
			unlockedAt: h.unlocked_at
		}))
	};
}
