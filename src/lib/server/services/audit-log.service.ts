import {
	auditLogCsv,
	auditPageSize,
	kindOf,
	reportRef,
	whoOf,
	type AuditAbout,
	type AuditFilter,
	type DescribedEntry
} from '$lib/domain/audit-log';
import type { Translate } from '$lib/domain/report-words';
import { canAct } from '$lib/domain/roles';
import { schoolDay } from '$lib/domain/school-time';
import type { AppContext, StaffActor } from '../context';
import {
	classNamesOf,
	deviceNamesOf,
	findAuditEntries,
	pupilChoices,
	pupilNamesOf,
	reportPupilsOf,
	staffChoices,
	staffNamesOf,
	type AuditLogRow
} from '../repositories/audit-log.repository';
import { verifyAuditChain } from '../repositories/audit.repository';
import { audited } from './audited';

/**
 * The audit page: the DSL reads who saw and did what, sign-ins and failed sign-ins included,
 * with the chain's state. Lantern has no "head" role: a head who reviews this is given the DSL
 * role, or asks the DSL. Admins are refused: the admin is someone this record must catch.
 * Reading the log is itself audited, and so is each download of it.
 */

export type Refusal = { ok: false; status: 403 };

/** What the chain check says, in the page's terms (`verifyAuditChain` names the first broken entry). */
export interface ChainState {
	ok: boolean;
	entries: number;
	brokenAt: { seq: number; at: string; action: string } | null;
}

export interface AuditPage {
	ok: true;
	entries: DescribedEntry[];
	/** Set when there are older entries: the `before` of the next page. */
	olderBefore: number | null;
	chain: ChainState;
	staff: { id: string; name: string }[];
	pupils: { id: string; name: string; className: string; archived: boolean }[];
}

function summariseFilter(filter: AuditFilter): Record<string, unknown> {
	return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== null));
}

async function describe(
	ctx: AppContext,
	schoolId: string,
	rows: readonly AuditLogRow[]
): Promise<DescribedEntry[]> {
	const ids = (type: string) =>
		rows.filter((r) => r.subjectType === type && r.subjectId).map((r) => r.subjectId as string);
	const reportPupils = await reportPupilsOf(ctx.db, schoolId, ids('report'));
	const [staff, pupils, classes, devices] = await Promise.all([
		staffNamesOf(ctx.db, schoolId, [
			...rows.flatMap((r) => (r.actorId ? [r.actorId] : [])),
			...ids('staff')
		]),
		pupilNamesOf(ctx.db, schoolId, [
			...ids('pupil'),
			...[...reportPupils.values()].filter((p): p is string => p !== null)
		]),
		classNamesOf(ctx.db, schoolId, ids('class')),
		deviceNamesOf(ctx.db, schoolId, ids('device'))
	]);
	const about = (r: AuditLogRow): AuditAbout => {
		const id = r.subjectId;
		switch (r.subjectType) {
			case 'report': {
				if (!id) return { kind: 'reports' };
				const pupil = reportPupils.get(id);
				return {
					kind: 'report',
					id,
					ref: reportRef(id),
					pupilName: pupil ? (pupils.get(pupil) ?? null) : null
				};
			}
			case 'pupil':
			case 'staff':
			case 'class':
			case 'device': {
				const names = { pupil: pupils, staff, class: classes, device: devices }[r.subjectType];
				const name = id ? names.get(id) : undefined;
				return name === undefined
					? { kind: 'other', type: r.subjectType }
					: { kind: r.subjectType, name };
			}
			case 'school':
				return { kind: 'school' };
			case 'route':
				// A refused page or action: its address in the app, e.g. /(staff)/staff/audit.
				return { kind: 'other', type: r.subjectId ?? r.subjectType };
			default:
				return { kind: 'other', type: r.subjectType };
		}
	};
	return rows.map((r) => ({
		seq: r.seq,
		at: r.at,
		action: r.action,
		kind: kindOf(r.action),
		who: whoOf(r.actorId, r.action, r.subjectType, (id) => staff.get(id)),
		about: about(r)
	}));
}

/** One page of the school's audit log, newest first, and the chain's state. The look is audited. */
export async function auditPage(
	ctx: AppContext,
	actor: StaffActor,
	filter: AuditFilter
): Promise<AuditPage | Refusal> {
	if (!canAct(actor, 'audit.view')) return { ok: false, status: 403 };
	await audited(
		ctx,
		actor,
		{
			action: 'audit.view',
			subjectType: 'audit',
			subjectId: null,
			detail: summariseFilter(filter)
		},
		() => Promise.resolve()
	);
	const zone = ctx.config.schoolHours.timeZone;
	const rows = await findAuditEntries(ctx.db, actor.schoolId, filter, zone, auditPageSize + 1);
	const shown = rows.slice(0, auditPageSize);
	const [entries, check, staff, pupils] = await Promise.all([
		describe(ctx, actor.schoolId, shown),
		verifyAuditChain(ctx.db, actor.schoolId),
		staffChoices(ctx.db, actor.schoolId),
		pupilChoices(ctx.db, actor.schoolId)
	]);
	return {
		ok: true,
		entries,
		olderBefore: rows.length > auditPageSize ? (shown.at(-1)?.seq ?? null) : null,
		chain: {
			ok: check.ok,
			entries: check.entries,
			brokenAt: !check.ok && 'brokenAt' in check ? (check.brokenAt ?? null) : null
		},
		staff,
		pupils
	};
}

/** Every entry the filters find (all pages), as CSV. The download is audited. */
export async function auditExport(
	ctx: AppContext,
	actor: StaffActor,
	filter: AuditFilter,
	t: Translate
): Promise<{ ok: true; csv: string; filename: string; rows: number } | Refusal> {
	if (!canAct(actor, 'audit.view')) return { ok: false, status: 403 };
	const zone = ctx.config.schoolHours.timeZone;
	const all = { ...filter, before: null };
	const rows = await findAuditEntries(ctx.db, actor.schoolId, all, zone, 1_000_000);
	const entries = await describe(ctx, actor.schoolId, rows);
	await audited(
		ctx,
		actor,
		{
			action: 'audit.export',
			subjectType: 'audit',
			subjectId: null,
			detail: { ...summariseFilter(all), rows: entries.length }
		},
		() => Promise.resolve()
	);
	const day = schoolDay(ctx.clock.now(), zone);
	return {
		ok: true,
		csv: auditLogCsv(entries, t, zone),
		filename: `audit-log-${day}.csv`,
		rows: entries.length
	};
}
