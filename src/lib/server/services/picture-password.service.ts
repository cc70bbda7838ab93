import { randomBytes, randomInt } from 'node:crypto';
import {
	freshPictureLock,
	isLockedAnywhere,
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
	pictureHashOf,
	savePictureHash,
	setClassUsesPictures,
	type PictureHashRow
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
	return {
		on,
		pupilsWithOne: new Set(hashes.map((h) => h.pupilId)),
		// Locks an iPad has reported (a lock only on an iPad that has not synced is not known).
		pupilsLocked: new Set(
			hashes.filter((h) => isLockedAnywhere(freshPictureLock, h)).map((h) => h.pupilId)
		)
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

const random = () => randomInt(0, 1_000_000) / 1_000_000;

/**
 * The stored form of a pupil's pictures. A new password counts as unlocked now, so an old lock
 * on a device no longer applies.
 */
async function hashedPictures(
	pupilId: string,
	sequence: readonly Picture[],
	at: Date
): Promise<PictureHashRow> {
	const salt = randomBytes(16).toString('hex');
	const iso = at.toISOString();
	return {
		pupilId,
		salt,
		hash: await pbkdf2Hex(picturePasswordInput(pupilId, sequence), salt, pictureRules.iterations),
		iterations: pictureRules.iterations,
		setAt: iso,
		unlockedAt: iso,
		lockedAt: null
	};
}

async function opens(row: PictureHashRow, sequence: readonly Picture[]): Promise<boolean> {
	const input = picturePasswordInput(row.pupilId, sequence);
	return (await pbkdf2Hex(input, row.salt, row.iterations)) === row.hash;
}

/** New picture passwords for the pupils of a class without one (or one pupil), shown once. */
export async function makePicturePasswords(
	ctx: AppContext,
	actor: StaffActor,
	classId: string,
	which: { kind: 'missing' } | { kind: 'pupil'; pupilId: string }
): Promise<PictureOutcome<{ slips: PictureSlip[] }>> {
	if (which.kind === 'pupil') {
		const made = await newPicturesForPupil(ctx, actor, classId, which.pupilId);
		return made.ok ? { ok: true, slips: [made.slip] } : made;
	}
	if (!(await classInScope(ctx, actor, classId)))
		return { ok: false, error: 'class.error.notFound' };
	const now = ctx.clock.now();
	const pupils = await listPupilsOfClass(ctx.db, actor.schoolId, classId);
	const { pupilsWithOne } = await pictureStatus(ctx, actor, classId);
	const chosen = pupils.filter((p) => !pupilsWithOne.has(p.id));
	if (chosen.length === 0) return { ok: false, error: 'pictures.error.everyoneHasOne' };

	const slips = chosen.map((p) => ({
		pupilId: p.id,
		firstName: p.firstName,
		lastInitial: p.lastInitial,
		avatar: p.avatar,
		pictures: randomPictures(random)
	}));
	const rows = await Promise.all(
		slips.map((slip) => hashedPictures(slip.pupilId, slip.pictures, now))
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

/**
 * New pictures for one pupil of this class: their first, or in place of ones they forgot. The
 * old pictures stop working on each iPad at its next roster sync (the hash it holds is
 * replaced), and a lock on them is cleared. The new pictures are never the old ones again.
 */
export async function newPicturesForPupil(
	ctx: AppContext,
	actor: StaffActor,
	classId: string,
	pupilId: string
): Promise<PictureOutcome<{ slip: PictureSlip; replaced: boolean }>> {
	const pupil = await getPupil(ctx.db, actor.schoolId, pupilId);
	if (!pupil || pupil.archived || pupil.classId !== classId || !canUseClass(actor, classId))
		return { ok: false, error: 'pupil.error.notFound' };
	const old = await pictureHashOf(ctx.db, actor.schoolId, pupilId);
	let sequence = randomPictures(random);
	while (old && (await opens(old, sequence))) sequence = randomPictures(random);
	const row = await hashedPictures(pupilId, sequence, ctx.clock.now());
	await audited(
		ctx,
		actor,
		{
			action: old ? 'pupil.picture-password-reset' : 'pupil.picture-password-made',
			subjectType: 'pupil',
			subjectId: pupilId,
			detail: { classId }
		},
		async (trx) => {
			await savePictureHash(trx, actor.schoolId, row);
		}
	);
	const slip = {
		pupilId,
		firstName: pupil.firstName,
		lastInitial: pupil.lastInitial,
		avatar: pupil.avatar,
		pictures: sequence
	};
	return { ok: true, slip, replaced: old !== undefined };
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
