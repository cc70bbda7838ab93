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
import { audited } from './audited';
import { getClass } from '../repositories/class.repository';
import {
	classesUsingPictures,
	classUsesPictures,
	markPicturesLocked,
	markPicturesUnlocked,
	pictureHashesOfClasses,
	savePictureHash,
	setClassUsesPictures
} from '../repositories/picture-password.repository';
import { getPupil, listPupilsOfClass } from '../repositories/pupil.repository';

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
	const [on, hashes] = await Promise.all([
		classUsesPictures(ctx.db, actor.schoolId, classId),
		pictureHashesOfClasses(ctx.db, actor.schoolId, [classId])
	]);
	return { on, pupilsWithOne: new Set(hashes.map((h) => h.pupilId)) };
}

export async function setClassPictures(
	ctx: AppContext,
	actor: StaffActor,
	classId: string,
	on: boolean
): Promise<PictureOutcome> {
	if (!(await classInScope(ctx, actor, classId)))
		return { ok: false, error: 'class.error.notFound' };
	await audited(
		ctx,
		actor,
		{
			action: on ? 'class.picture-passwords-on' : 'class.picture-passwords-off',
			subjectType: 'class',
			subjectId: classId
		},
		async (trx) => {
			await setClassUsesPictures(trx, actor.schoolId, classId, on);
		}
	);
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
	if (chosen.length === 0) {
		return {
			ok: false,
			error: which.kind === 'pupil' ? 'pupil.error.notFound' : 'pictures.error.everyoneHasOne'
		};
	}

	const random = () => randomInt(0, 1_000_000) / 1_000_000;
	const slips = chosen.map((p) => ({
		pupilId: p.id,
		firstName: p.firstName,
		lastInitial: p.lastInitial,
		avatar: p.avatar,
		pictures: randomPictures(random)
	}));
	// A new password counts as unlocked now, so an old lock on a device no longer applies.
	const rows = await Promise.all(
		slips.map(async (slip) => {
			const salt = randomBytes(16).toString('hex');
			const input = picturePasswordInput(slip.pupilId, slip.pictures);
			const hash = await pbkdf2Hex(input, salt, pictureRules.iterations);
			const at = now.toISOString();
			return {
				pupilId: slip.pupilId,
				salt,
				hash,
				iterations: pictureRules.iterations,
				setAt: at,
				unlockedAt: at,
				lockedAt: null
			};
		})
	);
	await audited(
		ctx,
		actor,
		{
			action: 'pupil.picture-passwords-made',
			subjectType: 'class',
			subjectId: classId,
			detail: { pupils: slips.map((s) => s.pupilId) }
		},
		async (trx) => {
			for (const row of rows) await savePictureHash(trx, actor.schoolId, row);
		}
	);
	return { ok: true, slips };
}

/** A teacher unlocks a pupil's picture password after five wrong tries on a device. */
export async function unlockPictures(
	ctx: AppContext,
	actor: StaffActor,
	pupilId: string
): Promise<PictureOutcome> {
	const pupil = await getPupil(ctx.db, actor.schoolId, pupilId);
	if (!pupil || !canUseClass(actor, pupil.classId))
		return { ok: false, error: 'pupil.error.notFound' };
	const now = ctx.clock.now();
	await audited(
		ctx,
		actor,
		{
			action: 'pupil.picture-password-unlocked',
			subjectType: 'pupil',
			subjectId: pupilId
		},
		async (trx) => {
			await markPicturesUnlocked(trx, actor.schoolId, pupilId, now);
		}
	);
	return { ok: true };
}

/**
 * For a device's roster: which of its classes use picture passwords, and — for those classes
 * only — the hashes and lock state.
 */
export async function picturesForRoster(
	ctx: AppContext,
	schoolId: string,
	classIds: readonly string[]
) {
	const classesOn = await classesUsingPictures(ctx.db, schoolId, classIds);
	const hashes = await pictureHashesOfClasses(ctx.db, schoolId, [...classesOn]);
	return {
		classesOn,
		hashes: hashes.map(({ pupilId, salt, hash, iterations, unlockedAt, lockedAt }) => ({
			pupilId,
			salt,
			hash,
			iterations,
			unlockedAt,
			lockedAt
		}))
	};
}

/** Devices report a picture-password lock; every iPad of the class learns it at its next sync. */
export async function recordPictureLock(
	ctx: AppContext,
	schoolId: string,
	pupilId: string,
	at: string
): Promise<void> {
	await markPicturesLocked(ctx.db, schoolId, pupilId, at);
}
