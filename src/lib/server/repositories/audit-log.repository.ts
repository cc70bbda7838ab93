import { notPlainActions, actionsByKind, type AuditFilter } from '$lib/domain/audit-log';
import { startOfSchoolDay } from '$lib/domain/school-time';
import type { Db } from '../context';
import { inChunks } from './report.repository';

/**
 * Reading the audit log for the audit page: a school's entries, newest first, filtered.
 * Every query takes the school id; every filter is a bound parameter.
 */

export interface AuditLogRow {
	seq: number;
	at: string;
	actorId: string | null;
	action: string;
	subjectType: string;
	subjectId: string | null;
}

function nextDay(day: string): string {
	const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
	return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export async function findAuditEntries(
	db: Db,
	schoolId: string,
	filter: AuditFilter,
	timeZone: string,
	limit: number
): Promise<AuditLogRow[]> {
	let query = db
		.selectFrom('audit')
		.select(['seq', 'at', 'actor_id', 'action', 'subject_type', 'subject_id'])
		.where('school_id', '=', schoolId);
	const { person, pupil, report, from, to, kind, before } = filter;
	if (person !== null) {
		query = query.where((eb) =>
			eb.or([
				eb('actor_id', '=', person),
				eb.and([eb('subject_type', '=', 'staff'), eb('subject_id', '=', person)])
			])
		);
	}
	if (pupil !== null) {
		// The pupil, and the pupil's reports (a report's entries name the report, not the child).
		query = query.where((eb) =>
			eb.or([
				eb.and([eb('subject_type', '=', 'pupil'), eb('subject_id', '=', pupil)]),
				eb.and([
					eb('subject_type', '=', 'report'),
					eb(
						'subject_id',
						'in',
						eb
							.selectFrom('report')
							.select('report.id')
							.where('report.school_id', '=', schoolId)
							.where('report.pupil_id', '=', pupil)
					)
				])
			])
		);
	}
	if (report !== null) {
		query = query.where('subject_type', '=', 'report');
		// A whole id, or the reference shown on screen (its start: hex digits and dashes only).
		query =
			report.length === 36
				? query.where('subject_id', '=', report)
				: query.where('subject_id', 'like', `${report}%`);
	}
	if (from !== null)
		query = query.where('at', '>=', startOfSchoolDay(from, timeZone).toISOString());
	if (to !== null)
		query = query.where('at', '<', startOfSchoolDay(nextDay(to), timeZone).toISOString());
	if (kind === 'action') query = query.where('action', 'not in', notPlainActions());
	else if (kind !== null) query = query.where('action', 'in', [...actionsByKind[kind]]);
	if (before !== null) query = query.where('seq', '<', before);
	const rows = await query.orderBy('seq', 'desc').limit(limit).execute();
	return rows.map((r) => ({
		seq: Number(r.seq),
		at: r.at,
		actorId: r.actor_id,
		action: r.action,
		subjectType: r.subject_type,
		subjectId: r.subject_id
	}));
}

async function namesById(
	ids: readonly string[],
	fetch: (chunk: string[]) => Promise<{ id: string; name: string }[]>
): Promise<Map<string, string>> {
	const found = new Map<string, string>();
	for (const chunk of inChunks([...new Set(ids)])) {
		for (const row of await fetch(chunk)) found.set(row.id, row.name);
	}
	return found;
}

/** Staff names by id, disabled staff included (the record outlives an account). */
export function staffNamesOf(db: Db, schoolId: string, ids: readonly string[]) {
	return namesById(ids, (chunk) =>
		db
			.selectFrom('staff')
			.select(['id', 'name'])
			.where('school_id', '=', schoolId)
			.where('id', 'in', chunk)
			.execute()
	);
}

/** "Ada L." by pupil id, archived pupils included. */
export function pupilNamesOf(db: Db, schoolId: string, ids: readonly string[]) {
	return namesById(ids, async (chunk) =>
		(
			await db
				.selectFrom('pupil')
				.select(['id', 'first_name', 'last_initial'])
				.where('school_id', '=', schoolId)
				.where('id', 'in', chunk)
				.execute()
		).map((r) => ({ id: r.id, name: `${r.first_name} ${r.last_initial}.` }))
	);
}

/** Which pupil each report is from (null: no name given). Never its words. */
export async function reportPupilsOf(
	db: Db,
	schoolId: string,
	ids: readonly string[]
): Promise<Map<string, string | null>> {
	const found = new Map<string, string | null>();
	for (const chunk of inChunks([...new Set(ids)])) {
		const rows = await db
			.selectFrom('report')
			.select(['id', 'pupil_id'])
			.where('school_id', '=', schoolId)
			.where('id', 'in', chunk)
			.execute();
		for (const r of rows) found.set(r.id, r.pupil_id);
	}
	return found;
}

export function classNamesOf(db: Db, schoolId: string, ids: readonly string[]) {
	return namesById(ids, (chunk) =>
		db
			.selectFrom('class')
			.select(['id', 'name'])
			.where('school_id', '=', schoolId)
			.where('id', 'in', chunk)
			.execute()
	);
}

export function deviceNamesOf(db: Db, schoolId: string, ids: readonly string[]) {
	return namesById(ids, (chunk) =>
		db
			.selectFrom('device')
			.select(['id', 'name'])
			.where('school_id', '=', schoolId)
			.where('id', 'in', chunk)
			.execute()
	);
}

export interface PupilChoice {
	id: string;
	name: string;
	className: string;
	archived: boolean;
}

/** Every pupil of the school, those who have left included, for the pupil filter. */
export async function pupilChoices(db: Db, schoolId: string): Promise<PupilChoice[]> {
	const rows = await db
		.selectFrom('pupil')
		.innerJoin('class', 'class.id', 'pupil.class_id')
		.select([
			'pupil.id',
			'pupil.first_name',
			'pupil.last_initial',
			'pupil.archived_at',
			'class.name as class_name'
		])
		.where('pupil.school_id', '=', schoolId)
		.where('class.school_id', '=', schoolId)
		.orderBy('class.name')
		.orderBy('pupil.first_name')
		.orderBy('pupil.last_initial')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		name: `${r.first_name} ${r.last_initial}.`,
		className: r.class_name,
		archived: r.archived_at !== null
	}));
}

/** Everyone on the staff list, for the person filter. */
export async function staffChoices(
	db: Db,
	schoolId: string
): Promise<{ id: string; name: string }[]> {
	return db
		.selectFrom('staff')
		.select(['id', 'name'])
		.where('school_id', '=', schoolId)
		.orderBy('name')
		.execute();
}
