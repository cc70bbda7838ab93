import type { ConsentRecord, ConsentSource, Decision } from '$lib/domain/consent';
import type { Db } from '../context';

export interface ConsentUse {
	id: string;
	key: string | null;
	name: string;
	allowedWhenUnanswered: boolean;
	position: number;
	/** The school's policy never allows this use, whatever carers say. */
	neverAllowed: boolean;
}

/** The school's uses in order; retired ones too when asked (a record may still name one). */
export async function listUses(
	db: Db,
	schoolId: string,
	options: { withRetired?: boolean } = {}
): Promise<ConsentUse[]> {
	const rows = await db
		.selectFrom('consent_use')
		.select(['id', 'key', 'name', 'allowed_when_unanswered', 'position', 'never_allowed'])
		.where('school_id', '=', schoolId)
		.$if(options.withRetired !== true, (q) => q.where('retired_at', 'is', null))
		.orderBy('position')
		.orderBy('id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		key: r.key,
		name: r.name,
		allowedWhenUnanswered: Number(r.allowed_when_unanswered) === 1,
		position: Number(r.position),
		neverAllowed: Number(r.never_allowed) === 1
	}));
}

export async function countUses(db: Db, schoolId: string): Promise<number> {
	const row = await db
		.selectFrom('consent_use')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('school_id', '=', schoolId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function insertUse(
	db: Db,
	schoolId: string,
	use: ConsentUse,
	now: string
): Promise<void> {
	await db
		.insertInto('consent_use')
		.values({
			id: use.id,
			school_id: schoolId,
			key: use.key,
			name: use.name,
			allowed_when_unanswered: use.allowedWhenUnanswered ? 1 : 0,
			position: use.position,
			created_at: now,
			retired_at: null,
			never_allowed: use.neverAllowed ? 1 : 0
		})
		.execute();
}

export async function updateUse(
	db: Db,
	schoolId: string,
	useId: string,
	change: { name: string; allowedWhenUnanswered: boolean; neverAllowed: boolean }
): Promise<boolean> {
	const done = await db
		.updateTable('consent_use')
		.set({
			name: change.name,
			allowed_when_unanswered: change.allowedWhenUnanswered ? 1 : 0,
			never_allowed: change.neverAllowed ? 1 : 0
		})
		.where('school_id', '=', schoolId)
		.where('id', '=', useId)
		.where('retired_at', 'is', null)
		.executeTakeFirst();
	return Number(done.numUpdatedRows) === 1;
}

export async function retireUse(
	db: Db,
	schoolId: string,
	useId: string,
	now: string
): Promise<boolean> {
	const done = await db
		.updateTable('consent_use')
		.set({ retired_at: now })
		.where('school_id', '=', schoolId)
		.where('id', '=', useId)
		.where('retired_at', 'is', null)
		.executeTakeFirst();
	return Number(done.numUpdatedRows) === 1;
}

export interface NewConsentRecord {
	id: string;
	pupilId: string;
	useId: string;
	decision: Decision;
	givenBy: string;
	relationship: string;
	givenOn: string;
	validFrom: string;
	validUntil: string | null;
	source: ConsentSource;
	recordedBy: string;
	recordedAt: string;
	importId: string | null;
}

export async function insertConsentRecords(
	db: Db,
	schoolId: string,
	records: readonly NewConsentRecord[]
): Promise<void> {
	// In chunks: both databases cap the number of values in one statement.
	for (let i = 0; i < records.length; i += 200) {
		await db
			.insertInto('consent_record')
			.values(
				records.slice(i, i + 200).map((r) => ({
					id: r.id,
					school_id: schoolId,
					pupil_id: r.pupilId,
					use_id: r.useId,
					decision: r.decision,
					given_by: r.givenBy,
					relationship: r.relationship,
					given_on: r.givenOn,
					valid_from: r.validFrom,
					valid_until: r.validUntil,
					source: r.source,
					recorded_by: r.recordedBy,
					recorded_at: r.recordedAt,
					import_id: r.importId
				}))
			)
			.execute();
	}
}

export type StoredConsentRecord = ConsentRecord & {
	id: string;
	pupilId: string;
	recordedBy: string;
	recordedByName: string | null;
};

/** Every record of these pupils (all of a class, say), oldest first. */
export async function recordsOfPupils(
	db: Db,
	schoolId: string,
	pupilIds: readonly string[]
): Promise<StoredConsentRecord[]> {
	const out: StoredConsentRecord[] = [];
	for (let i = 0; i < pupilIds.length; i += 500) {
		const rows = await db
			.selectFrom('consent_record as r')
			.leftJoin('staff as s', (join) =>
				join.onRef('s.id', '=', 'r.recorded_by').onRef('s.school_id', '=', 'r.school_id')
			)
			.select([
				'r.id',
				'r.pupil_id',
				'r.use_id',
				'r.decision',
				'r.given_by',
				'r.relationship',
				'r.given_on',
				'r.valid_from',
				'r.valid_until',
				'r.source',
				'r.recorded_by',
				'r.recorded_at',
				's.name as recorded_by_name'
			])
			.where('r.school_id', '=', schoolId)
			.where('r.pupil_id', 'in', pupilIds.slice(i, i + 500))
			.orderBy('r.recorded_at')
			.orderBy('r.id')
			.execute();
		out.push(
			...rows.map((r) => ({
				id: r.id,
				pupilId: r.pupil_id,
				useId: r.use_id,
				decision: r.decision,
				givenBy: r.given_by,
				relationship: r.relationship,
				givenOn: r.given_on,
				validFrom: r.valid_from,
				validUntil: r.valid_until,
				source: r.source,
				recordedAt: r.recorded_at,
				recordedBy: r.recorded_by,
				recordedByName: r.recorded_by_name
			}))
		);
	}
	return out;
}

export interface NoPhotosEntry {
	pupilId: string;
	onList: boolean;
	reason: string | null;
	setAt: string;
}

export async function insertNoPhotos(
	db: Db,
	schoolId: string,
	entry: {
		id: string;
		pupilId: string;
		onList: boolean;
		reason: string | null;
		setBy: string;
		setAt: string;
	}
): Promise<void> {
	await db
		.insertInto('pupil_no_photos')
		.values({
			id: entry.id,
			school_id: schoolId,
			pupil_id: entry.pupilId,
			on_list: entry.onList ? 1 : 0,
			reason: entry.reason,
			set_by: entry.setBy,
			set_at: entry.setAt
		})
		.execute();
}

/** Each pupil's latest no-photos entry (pupils never on the list are absent). */
export async function noPhotosOf(
	db: Db,
	schoolId: string,
	pupilIds: readonly string[]
): Promise<Map<string, NoPhotosEntry>> {
	const latest = new Map<string, NoPhotosEntry>();
	for (let i = 0; i < pupilIds.length; i += 500) {
		const rows = await db
			.selectFrom('pupil_no_photos')
			.select(['pupil_id', 'on_list', 'reason', 'set_at', 'id'])
			.where('school_id', '=', schoolId)
			.where('pupil_id', 'in', pupilIds.slice(i, i + 500))
			.orderBy('set_at')
			.orderBy('id')
			.execute();
		for (const r of rows)
			latest.set(r.pupil_id, {
				pupilId: r.pupil_id,
				onList: Number(r.on_list) === 1,
				reason: r.reason,
				setAt: r.set_at
			});
	}
	return latest;
}

// ---- The school's own consent rules ----

export interface ConsentSettings {
	/** Consent counts only once every carer with parental responsibility who is recorded says yes. */
	needsAllCarers: boolean;
}

/** The school's consent rules; every rule off until the school changes one. */
export async function consentSettingsOf(db: Db, schoolId: string): Promise<ConsentSettings> {
	const row = await db
		.selectFrom('consent_setting')
		.select('needs_all_carers')
		.where('school_id', '=', schoolId)
		.executeTakeFirst();
	return { needsAllCarers: Number(row?.needs_all_carers ?? 0) === 1 };
}

export async function saveConsentSettings(
	db: Db,
	schoolId: string,
	settings: ConsentSettings,
	by: string,
	at: string
): Promise<void> {
	const values = {
		needs_all_carers: settings.needsAllCarers ? 1 : 0,
		changed_by: by,
		changed_at: at
	};
	await db
		.insertInto('consent_setting')
		.values({ school_id: schoolId, ...values })
		.onConflict((oc) => oc.column('school_id').doUpdateSet(values))
		.execute();
}

/** How many carers with parental responsibility the office recorded, per pupil (latest row). */
export async function carersOf(
	db: Db,
	schoolId: string,
	pupilIds: readonly string[]
): Promise<Map<string, number>> {
	const latest = new Map<string, number>();
	for (let i = 0; i < pupilIds.length; i += 500) {
		const rows = await db
			.selectFrom('pupil_carers')
			.select(['pupil_id', 'carers'])
			.where('school_id', '=', schoolId)
			.where('pupil_id', 'in', pupilIds.slice(i, i + 500))
			.orderBy('set_at')
			.orderBy('id')
			.execute();
		for (const r of rows) latest.set(r.pupil_id, Number(r.carers));
	}
	return latest;
}

export async function insertPupilCarers(
	db: Db,
	schoolId: string,
	row: { id: string; pupilId: string; carers: number; setBy: string; setAt: string }
): Promise<void> {
	await db
		.insertInto('pupil_carers')
		.values({
			id: row.id,
			school_id: schoolId,
			pupil_id: row.pupilId,
			carers: row.carers,
			set_by: row.setBy,
			set_at: row.setAt
		})
		.execute();
}
