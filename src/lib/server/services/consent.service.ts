import { createHash, randomUUID } from 'node:crypto';
import {
	addDays,
	consentEntrySchema,
	carerKey,
	consentVerdict,
	defaultUses,
	worseVerdict,
	type ConsentRecord,
	type Day,
	type Decision,
	type Verdict,
	type VerdictReason
} from '$lib/domain/consent';
import {
	detectPreset,
	groupsOf,
	guessSettings,
	maxConsentBytes,
	presetNames,
	readConsentFile,
	sourcesOf,
	wordMeanings,
	type ImportColumns,
	type ImportMemory,
	type ImportProblem,
	type ImportSettings,
	type PresetName,
	type WordMeaning
} from '$lib/domain/consent-import';
import { canAct, canUseClass, seesAllClasses } from '$lib/domain/roles';
import {
	endsAtProblem,
	snapshotRequestSchema,
	type TripDownload,
	type TripSnapshot
} from '$lib/domain/trip';
import type { AppContext, StaffActor } from '../context';
import { liveCardsOfClasses } from '../repositories/card.repository';
import { getClass } from '../repositories/class.repository';
import {
	insertConsentRecords,
	insertNoPhotos,
	insertUse,
	listUses,
	noPhotosOf,
	recordsOfPupils,
	retireUse,
	updateUse,
	type ConsentUse,
	type NewConsentRecord,
	type StoredConsentRecord
} from '../repositories/consent.repository';
import { parseStrictCsv, type CsvEncoding } from '../consent-csv';
import { readImportMemory, saveImportMemory } from '../repositories/consent-import.repository';
import { insertDevice } from '../repositories/device.repository';
import { insertTripDevice } from '../repositories/trip.repository';
import { hashToken, newId, newSecret } from '../ids';
import { getPupil, listPupilsOfClass } from '../repositories/pupil.repository';
import { audited } from './audited';
import { classesFor } from './class.service';
import { carersNeededFor, type ConsentSettings } from './consent-rules.service';

export type { ConsentUse };
export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; error: string };

/** Today in the school's time zone: consent runs by the calendar day where the school is. */
export function schoolToday(ctx: AppContext): Day {
	return schoolDay(ctx, ctx.clock.now());
}

/** The calendar day a moment falls on where the school is. */
function schoolDay(ctx: AppContext, at: Date): Day {
	return new Intl.DateTimeFormat('en-CA', {
		timeZone: ctx.config.schoolHours.timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).format(at);
}

/** A fixed id for a school's starting use, so two processes adding them at once add them once. */
function startingUseId(schoolId: string, key: string): string {
	const h = createHash('sha256').update(`${schoolId}:consent-use:${key}`).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The school's uses, giving it the starting list the first time it is asked. */
export async function consentUses(ctx: AppContext, schoolId: string): Promise<ConsentUse[]> {
	const uses = await listUses(ctx.db, schoolId);
	if (uses.length > 0) return uses;
	const any = await ctx.db
		.selectFrom('consent_use')
		.select('id')
		.where('school_id', '=', schoolId)
		.executeTakeFirst();
	// A school that retired every use keeps it that way.
	if (any) return [];
	const now = ctx.clock.now().toISOString();
	// One statement, so a second process asking at the same moment sees all of them or none.
	await ctx.db
		.insertInto('consent_use')
		.values(
			defaultUses.map((use, position) => ({
				id: startingUseId(schoolId, use.key),
				school_id: schoolId,
				key: use.key,
				name: use.name,
				allowed_when_unanswered: 0,
				position,
				created_at: now,
				retired_at: null,
				never_allowed: 0
			}))
		)
		.onConflict((oc) => oc.column('id').doNothing())
		.execute();
	return listUses(ctx.db, schoolId);
}

export interface ConsentCell {
	verdict: Verdict;
	reason: VerdictReason;
	/** For a "check" (every carer's yes needed): how many have said yes, of how many. */
	carers?: { granted: number; needed: number };
	/** The latest answer recorded for this use, whatever it said. */
	latest: { decision: Decision; givenOn: Day } | null;
	/** A grant in force that runs out within 30 days. */
	expiresSoon: boolean;
	/** Withdrawn within the last 30 days: worth a second look. */
	recentlyWithdrawn: boolean;
}

export function consentCell(
	records: readonly ConsentRecord[],
	use: ConsentUse,
	noPhotos: boolean,
	today: Day,
	/** With the school's "every carer" rule on, how many carers' yeses this pupil needs. */
	carersNeeded: number | null = null
): ConsentCell {
	const mine = records.filter((r) => r.useId === use.id);
	const { verdict, reason, carers } = consentVerdict({
		records: mine,
		noPhotos,
		allowedWhenUnanswered: use.allowedWhenUnanswered,
		today,
		neverAllowed: use.neverAllowed,
		carersNeeded
	});
	const latest = mine.at(-1);
	const soon = addDays(today, 30);
	const ago = addDays(today, -30);
	return {
		verdict,
		reason,
		...(carers ? { carers } : {}),
		latest: latest ? { decision: latest.decision, givenOn: latest.givenOn } : null,
		expiresSoon:
			verdict === 'allowed' &&
			reason === 'granted' &&
			!mine.some(
				(r) =>
					r.decision === 'granted' &&
					r.validFrom <= today &&
					(r.validUntil === null || r.validUntil > soon)
			),
		recentlyWithdrawn: mine.some((r) => r.decision === 'withdrawn' && r.givenOn >= ago)
	};
}

export interface ConsentOverview {
	classId: string;
	className: string;
	today: Day;
	uses: ConsentUse[];
	/** The school's own consent rules, shown above the grid. */
	rules: ConsentSettings;
	pupils: {
		id: string;
		name: string;
		noPhotos: boolean;
		cells: Record<string, ConsentCell>;
	}[];
}

/** Pupils × uses for one class: what office staff check and print. */
export async function consentOverview(
	ctx: AppContext,
	actor: StaffActor,
	classId: string
): Promise<ConsentOverview | null> {
	if (!canUseClass(actor, classId)) return null;
	const cls = await getClass(ctx.db, actor.schoolId, classId);
	if (!cls) return null;
	const [uses, pupils] = await Promise.all([
		consentUses(ctx, actor.schoolId),
		listPupilsOfClass(ctx.db, actor.schoolId, classId)
	]);
	const ids = pupils.map((p) => p.id);
	const [records, noPhotos, carers] = await Promise.all([
		recordsOfPupils(ctx.db, actor.schoolId, ids),
		noPhotosOf(ctx.db, actor.schoolId, ids),
		carersNeededFor(ctx, actor.schoolId, ids)
	]);
	const today = schoolToday(ctx);
	return {
		classId,
		className: cls.name,
		today,
		uses,
		rules: carers.settings,
		pupils: pupils.map((p) => {
			const mine = records.filter((r) => r.pupilId === p.id);
			const flagged = noPhotos.get(p.id)?.onList === true;
			return {
				id: p.id,
				name: `${p.firstName} ${p.lastInitial}.`,
				noPhotos: flagged,
				cells: Object.fromEntries(
					uses.map((u) => [u.id, consentCell(mine, u, flagged, today, carers.needed(p.id))])
				)
			};
		})
	};
}

export interface PupilConsent {
	pupil: { id: string; name: string; classId: string };
	today: Day;
	uses: ConsentUse[];
	cells: Record<string, ConsentCell>;
	rules: ConsentSettings;
	/** Carers with parental responsibility: as the office recorded (or null), and as counted. */
	carers: { recorded: number | null; needed: number | null };
	history: StoredConsentRecord[];
	noPhotos: {
		onList: boolean;
		setAt: string | null;
		reason: string | null;
		reasonVisible: boolean;
	};
}

/** One pupil's consent: today's verdicts, every answer ever recorded, and the no-photos flag. */
export async function pupilConsent(
	ctx: AppContext,
	actor: StaffActor,
	pupilId: string
): Promise<PupilConsent | null> {
	const pupil = await getPupil(ctx.db, actor.schoolId, pupilId);
	if (!pupil || pupil.archived || !canUseClass(actor, pupil.classId)) return null;
	const [uses, history, noPhotos, carers] = await Promise.all([
		consentUses(ctx, actor.schoolId),
		recordsOfPupils(ctx.db, actor.schoolId, [pupilId]),
		noPhotosOf(ctx.db, actor.schoolId, [pupilId]),
		carersNeededFor(ctx, actor.schoolId, [pupilId])
	]);
	const flag = noPhotos.get(pupilId);
	const today = schoolToday(ctx);
	const reasonVisible = canAct(actor, 'consent.reason');
	return {
		pupil: {
			id: pupil.id,
			name: `${pupil.firstName} ${pupil.lastInitial}.`,
			classId: pupil.classId
		},
		today,
		uses,
		cells: Object.fromEntries(
			uses.map((u) => [
				u.id,
				consentCell(history, u, flag?.onList === true, today, carers.needed(pupilId))
			])
		),
		rules: carers.settings,
		carers: { recorded: carers.recorded.get(pupilId) ?? null, needed: carers.needed(pupilId) },
		history: [...history].reverse(),
		noPhotos: {
			onList: flag?.onList === true,
			setAt: flag?.setAt ?? null,
			// Only the DSL and the admin ever see why.
			reason: reasonVisible ? (flag?.reason ?? null) : null,
			reasonVisible
		}
	};
}

/** Records one parent's or carer's answer for one use; never changes an earlier one. */
export async function recordConsent(
	ctx: AppContext,
	actor: StaffActor,
	pupilId: string,
	raw: unknown
): Promise<Outcome> {
	const parsed = consentEntrySchema.safeParse(raw);
	if (!parsed.success)
		return { ok: false, error: parsed.error.issues[0]?.message ?? 'consent.error.form' };
	// An answer cannot be dated after today.
	if (parsed.data.givenOn > schoolToday(ctx)) return { ok: false, error: 'consent.error.givenOn' };
	const pupil = await getPupil(ctx.db, actor.schoolId, pupilId);
	if (!pupil || pupil.archived || !canUseClass(actor, pupil.classId))
		return { ok: false, error: 'consent.error.pupil' };
	const uses = await consentUses(ctx, actor.schoolId);
	if (!uses.some((u) => u.id === parsed.data.useId))
		return { ok: false, error: 'consent.error.use' };
	const entry = parsed.data;
	await audited(
		ctx,
		actor,
		{
			action: 'consent.recorded',
			subjectType: 'pupil',
			subjectId: pupilId,
			detail: { useId: entry.useId, decision: entry.decision, source: entry.source }
		},
		(trx) =>
			insertConsentRecords(trx, actor.schoolId, [
				{
					id: randomUUID(),
					pupilId,
					...entry,
					recordedBy: actor.staffId,
					recordedAt: ctx.clock.now().toISOString(),
					importId: null
				}
			])
	);
	return { ok: true };
}

/** Puts a pupil on the no-photos list (with a reason only the DSL and admin see), or takes them off. */
export async function setNoPhotos(
	ctx: AppContext,
	actor: StaffActor,
	pupilId: string,
	change: { onList: boolean; reason: string }
): Promise<Outcome> {
	const pupil = await getPupil(ctx.db, actor.schoolId, pupilId);
	if (!pupil || pupil.archived || !canUseClass(actor, pupil.classId))
		return { ok: false, error: 'consent.error.pupil' };
	const reason = change.reason.trim();
	if (change.onList && reason.length === 0) return { ok: false, error: 'consent.error.reason' };
	if (reason.length > 500) return { ok: false, error: 'consent.error.reasonTooLong' };
	await audited(
		ctx,
		actor,
		// The audit says what changed, never the reason.
		{
			action: 'consent.no-photos',
			subjectType: 'pupil',
			subjectId: pupilId,
			detail: { onList: change.onList }
		},
		(trx) =>
			insertNoPhotos(trx, actor.schoolId, {
				id: randomUUID(),
				pupilId,
				onList: change.onList,
				reason: change.onList ? reason : null,
				setBy: actor.staffId,
				setAt: ctx.clock.now().toISOString()
			})
	);
	return { ok: true };
}

const useNameOk = (name: string) => name.trim().length > 0 && name.trim().length <= 80;

/** Renames a use or changes what holds when nobody has answered; or adds a new one (no id). */
export async function saveUse(
	ctx: AppContext,
	actor: StaffActor,
	input: {
		id: string | null;
		name: string;
		allowedWhenUnanswered: boolean;
		/** The school's policy never allows it, whatever carers say. */
		neverAllowed?: boolean;
	}
): Promise<Outcome> {
	const neverAllowed = input.neverAllowed === true;
	if (!useNameOk(input.name)) return { ok: false, error: 'consent.error.useName' };
	const uses = await consentUses(ctx, actor.schoolId);
	const name = input.name.trim();
	if (uses.some((u) => u.id !== input.id && u.name.toLowerCase() === name.toLowerCase()))
		return { ok: false, error: 'consent.error.useTaken' };
	if (input.id) {
		if (!uses.some((u) => u.id === input.id)) return { ok: false, error: 'consent.error.use' };
		const id = input.id;
		await audited(
			ctx,
			actor,
			{
				action: 'consent.use-changed',
				subjectType: 'consent-use',
				subjectId: id,
				detail: { name, allowedWhenUnanswered: input.allowedWhenUnanswered, neverAllowed }
			},
			(trx) =>
				updateUse(trx, actor.schoolId, id, {
					name,
					allowedWhenUnanswered: input.allowedWhenUnanswered,
					neverAllowed
				})
		);
		return { ok: true };
	}
	const id = randomUUID();
	await audited(
		ctx,
		actor,
		{
			action: 'consent.use-added',
			subjectType: 'consent-use',
			subjectId: id,
			detail: { name, neverAllowed }
		},
		(trx) =>
			insertUse(
				trx,
				actor.schoolId,
				{
					id,
					key: null,
					name,
					allowedWhenUnanswered: input.allowedWhenUnanswered,
					position: uses.length,
					neverAllowed
				},
				ctx.clock.now().toISOString()
			)
	);
	return { ok: true };
}

/** Stops asking about a use; its records stay. */
export async function retireConsentUse(
	ctx: AppContext,
	actor: StaffActor,
	useId: string
): Promise<Outcome> {
	const uses = await consentUses(ctx, actor.schoolId);
	if (!uses.some((u) => u.id === useId)) return { ok: false, error: 'consent.error.use' };
	await audited(
		ctx,
		actor,
		{ action: 'consent.use-retired', subjectType: 'consent-use', subjectId: useId },
		(trx) => retireUse(trx, actor.schoolId, useId, ctx.clock.now().toISOString())
	);
	return { ok: true };
}

// ---- Importing from the school's MIS ----

export interface ImportSummary {
	rows: number;
	pupils: number;
	/** Answers stored: only those that differ from the same carer's latest answer. */
	added: number;
	/** Answers in the file that Lantern already holds. */
	unchanged: number;
	/** Pupil-use pairs that were allowed and are not any more. */
	withdrawn: number;
	/** Pupil-use pairs that were not allowed and now are. */
	newlyAllowed: number;
	/** Blanks where Lantern holds an answer (each listed by name in `changes`). */
	blanks: number;
}

/** One pupil and use whose answer in the file differs from what Lantern holds. */
export interface ImportChange {
	line: number;
	pupilId: string;
	pupilName: string;
	className: string;
	useId: string;
	useName: string;
	before: Verdict;
	after: Verdict;
	/** An answer in the file, or a blank where Lantern holds an answer. */
	kind: 'answer' | 'blank';
	/** What is recorded (null: a blank kept as "no answer"). */
	decision: Decision | null;
	givenBy: string;
	relationship: string;
	givenOn: Day;
}

export interface ImportView {
	preset: PresetName;
	/** The system the header looks like (null: none, or more than one). */
	detected: PresetName | null;
	encoding: CsvEncoding;
	headers: string[];
	settings: ImportSettings;
	/** Columns (wide) or consent types (long) that may hold answers. */
	sources: string[];
	notUsed: string[];
	groups: string[];
	unknownWords: string[];
	classes: { id: string; name: string }[];
}

export type ConsentImportResult =
	| ({
			ok: true;
			rows: number;
			answers: number;
			summary: ImportSummary;
			changes: ImportChange[];
			/** Each pupil as the file writes them, and who Lantern matched: the office checks the letters. */
			people: { line: number; asWritten: string; pupilName: string; className: string }[];
			committed: boolean;
	  } & ImportView)
	| ({ ok: false; problems: ImportProblem[] } & Partial<ImportView>);

const memoryOf = (stored: Map<string, unknown>): ImportMemory => {
	const record = (key: string) => {
		const v = stored.get(key);
		return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
	};
	const columns: ImportMemory['columns'] = {};
	for (const preset of presetNames) {
		const v = stored.get(`columns:${preset}`);
		if (v && typeof v === 'object') columns[preset] = v as ImportColumns;
	}
	const words = Object.fromEntries(
		Object.entries(record('words')).filter(([, m]) => wordMeanings.includes(m as WordMeaning))
	) as Record<string, WordMeaning>;
	return { columns, uses: record('uses'), words, classes: record('classes') };
};

/**
 * Reads an MIS export and says, by name, what importing it would change; with `commit`, stores
 * it — all or nothing, one audit entry — and remembers the office's choices for next time. A
 * re-import adds only what changed (history is kept); a blank where Lantern holds an answer is
 * always shown, and recorded as "not given" only when the office says the file is complete.
 */
export async function importConsent(
	ctx: AppContext,
	actor: StaffActor,
	input: {
		text: string;
		encoding?: CsvEncoding;
		settings?: ImportSettings | null;
		preset?: PresetName | null;
		commit: boolean;
	}
): Promise<ConsentImportResult> {
	const encoding = input.encoding ?? 'utf-8';
	const parsed = parseStrictCsv(input.text, maxConsentBytes);
	if (!parsed.ok)
		return {
			ok: false,
			encoding,
			problems:
				parsed.error === 'malformed'
					? parsed.problems.map((p) => ({
							line: p.line,
							reason: `consentImport.error.${p.reason}`,
							...(p.detail === undefined ? {} : { detail: p.detail })
						}))
					: [{ line: 1, reason: `consentImport.error.${parsed.error}` }]
		};
	const { headers, rows } = parsed;
	const detected = detectPreset(headers);
	const uses = await consentUses(ctx, actor.schoolId);
	const classes = await classesFor(ctx, actor);
	const classNames = new Map(classes.map((c) => [c.id, c.name]));
	const memory = memoryOf(await readImportMemory(ctx.db, actor.schoolId));
	const preset = input.settings?.preset ?? input.preset ?? detected ?? 'generic';
	const settings: ImportSettings =
		input.settings ?? guessSettings(headers, rows, uses, classes, memory, preset);
	// Choices must name this school's uses and classes, nothing else.
	const useIds = new Set(uses.map((u) => u.id));
	for (const [source, useId] of Object.entries(settings.uses))
		if (useId !== '' && !useIds.has(useId)) settings.uses[source] = '';
	for (const [group, classId] of Object.entries(settings.classes))
		if (classId !== '' && !classNames.has(classId)) settings.classes[group] = '';
	const view: ImportView = {
		preset,
		detected,
		encoding,
		headers,
		settings,
		sources: sourcesOf(headers, rows, settings),
		notUsed: [],
		groups: groupsOf(headers, rows, settings),
		unknownWords: [],
		classes: classes.map((c) => ({ id: c.id, name: c.name }))
	};
	const pupils = (
		await Promise.all(classes.map((c) => listPupilsOfClass(ctx.db, actor.schoolId, c.id)))
	)
		.flat()
		.map((p) => ({
			id: p.id,
			firstName: p.firstName,
			lastInitial: p.lastInitial,
			classId: p.classId,
			className: classNames.get(p.classId) ?? ''
		}));
	const today = schoolToday(ctx);
	const read = readConsentFile(headers, rows, settings, pupils, today);
	view.notUsed = read.notUsed;
	view.unknownWords = read.unknownWords;
	if (read.problems.length > 0) return { ok: false, ...view, problems: read.problems };

	const pupilIds = [...new Set(read.people.map((p) => p.pupilId))];
	const [before, noPhotos, carers] = await Promise.all([
		recordsOfPupils(ctx.db, actor.schoolId, pupilIds),
		noPhotosOf(ctx.db, actor.schoolId, pupilIds),
		carersNeededFor(ctx, actor.schoolId, pupilIds)
	]);
	const now = ctx.clock.now().toISOString();
	const importId = randomUUID();
	const toAdd: NewConsentRecord[] = [];
	const reasons = new Map<string, Omit<ImportChange, 'before' | 'after'>>();
	const pupilOf = new Map(pupils.map((p) => [p.id, p]));
	const useOf = new Map(uses.map((u) => [u.id, u]));
	const describe = (line: number, pupilId: string, useId: string) => {
		const p = pupilOf.get(pupilId)!;
		return {
			line,
			pupilId,
			pupilName: `${p.firstName} ${p.lastInitial}.`,
			className: p.className,
			useId,
			useName: useOf.get(useId)?.name ?? ''
		};
	};
	// Each carer's latest answer, as held and then as this file adds to it (a carer may answer
	// twice in a long export: yes in September, no in November).
	type Held = Pick<
		StoredConsentRecord,
		'decision' | 'validUntil' | 'givenOn' | 'givenBy' | 'relationship'
	>;
	const latest = new Map<string, Held>();
	const pairKey = (pupilId: string, useId: string) => `${pupilId} ${useId}`;
	for (const r of before) latest.set(`${pairKey(r.pupilId, r.useId)} ${carerKey(r.givenBy)}`, r);
	const latestByCarer = (pupilId: string, useId: string) =>
		[...latest.entries()]
			.filter(([key]) => key.startsWith(`${pairKey(pupilId, useId)} `))
			.map(([, r]) => r)
			// In a steady order (two carers often answer on one day): by day, then by name.
			.sort((a, b) => a.givenOn.localeCompare(b.givenOn) || a.givenBy.localeCompare(b.givenBy));
	const record = (
		pupilId: string,
		useId: string,
		r: { decision: Decision; givenBy: string; relationship: string; givenOn: Day }
	) =>
		toAdd.push({
			id: randomUUID(),
			pupilId,
			useId,
			...r,
			validFrom: r.givenOn,
			validUntil: null,
			source: 'imported',
			recordedBy: actor.staffId,
			recordedAt: now,
			importId
		});
	let unchanged = 0;
	const inOrder = [...read.answers].sort(
		(a, b) => a.givenOn.localeCompare(b.givenOn) || a.line - b.line
	);
	for (const a of inOrder) {
		const key = `${pairKey(a.pupilId, a.useId)} ${carerKey(a.givenBy)}`;
		const last = latest.get(key);
		const same =
			last !== undefined &&
			(last.decision === 'granted') === (a.answer === 'yes') &&
			last.validUntil === null;
		if (same) {
			unchanged++;
			continue;
		}
		// A "no" from a carer who had said yes is a withdrawal; a carer's first "no" is a refusal.
		const decision: Decision =
			a.answer === 'yes' ? 'granted' : last?.decision === 'granted' ? 'withdrawn' : 'refused';
		const r = { decision, givenBy: a.givenBy, relationship: a.relationship, givenOn: a.givenOn };
		record(a.pupilId, a.useId, r);
		latest.set(key, { ...r, validUntil: null });
		reasons.set(`${key} ${a.line}`, {
			...describe(a.line, a.pupilId, a.useId),
			kind: 'answer',
			...r
		});
	}
	let blanks = 0;
	for (const b of read.blanks) {
		const held = latestByCarer(b.pupilId, b.useId);
		if (held.length === 0) continue;
		blanks++;
		const grants = held.filter((r) => r.decision === 'granted');
		if (settings.blanks === 'not-given' && grants.length > 0) {
			// The file is the complete list: a carer's yes that is not in it is withdrawn.
			for (const g of grants) {
				const r = {
					decision: 'withdrawn' as const,
					givenBy: g.givenBy,
					relationship: g.relationship,
					givenOn: b.givenOn < g.givenOn ? g.givenOn : b.givenOn
				};
				record(b.pupilId, b.useId, r);
				reasons.set(`${b.pupilId} ${b.useId} ${carerKey(g.givenBy)}`, {
					...describe(b.line, b.pupilId, b.useId),
					kind: 'blank',
					...r
				});
			}
		} else {
			const last = held.at(-1)!;
			reasons.set(`${b.pupilId} ${b.useId} blank`, {
				...describe(b.line, b.pupilId, b.useId),
				kind: 'blank',
				decision: null,
				givenBy: last.givenBy,
				relationship: last.relationship,
				givenOn: b.givenOn
			});
		}
	}
	/** A pupil's verdict for a use, from that pupil's records. */
	const verdictOf = (records: readonly ConsentRecord[], pupilId: string, useId: string) =>
		consentCell(
			records.filter((r) => (r as { pupilId?: string }).pupilId === pupilId),
			useOf.get(useId)!,
			noPhotos.get(pupilId)?.onList === true,
			today,
			carers.needed(pupilId)
		).verdict;
	let withdrawn = 0;
	let newlyAllowed = 0;
	const changes: ImportChange[] = [];
	for (const reason of reasons.values()) {
		const was = verdictOf(before, reason.pupilId, reason.useId);
		const after = verdictOf([...before, ...toAdd], reason.pupilId, reason.useId);
		changes.push({ ...reason, before: was, after });
	}
	for (const pair of new Set(changes.map((c) => `${c.pupilId} ${c.useId}`))) {
		const c = changes.find((x) => `${x.pupilId} ${x.useId}` === pair)!;
		if (c.before === 'allowed' && c.after !== 'allowed') withdrawn++;
		if (c.before !== 'allowed' && c.after === 'allowed') newlyAllowed++;
	}
	changes.sort(
		(a, b) =>
			a.className.localeCompare(b.className) ||
			a.pupilName.localeCompare(b.pupilName) ||
			a.useName.localeCompare(b.useName) ||
			a.line - b.line ||
			a.givenOn.localeCompare(b.givenOn) ||
			a.givenBy.localeCompare(b.givenBy)
	);
	const summary: ImportSummary = {
		rows: rows.length,
		pupils: pupilIds.length,
		added: toAdd.length,
		unchanged,
		withdrawn,
		newlyAllowed,
		blanks
	};
	if (input.commit) {
		await audited(
			ctx,
			actor,
			{
				action: 'consent.imported',
				subjectType: 'consent-import',
				subjectId: importId,
				detail: { ...summary, preset, format: settings.format, blankMeans: settings.blanks }
			},
			async (trx) => {
				await insertConsentRecords(trx, actor.schoolId, toAdd);
				await saveImportMemory(
					trx,
					actor.schoolId,
					{
						[`columns:${preset}`]: settings.columns,
						uses: { ...memory.uses, ...settings.uses },
						words: { ...memory.words, ...settings.words },
						classes: { ...memory.classes, ...settings.classes }
					},
					actor.staffId,
					now
				);
			}
		);
	}
	return {
		ok: true,
		...view,
		rows: rows.length,
		answers: read.answers.length,
		summary,
		changes,
		people: read.people.map((p) => {
			const pupil = pupilOf.get(p.pupilId)!;
			return {
				line: p.line,
				asWritten: p.asWritten,
				pupilName: `${pupil.firstName} ${pupil.lastInitial}.`,
				className: pupil.className
			};
		}),
		committed: input.commit
	};
}

// ---- The trip snapshot ----

/**
 * What a trip device downloads: for the chosen classes, first name, last initial, class, card
 * ids and today's verdict per use — nothing else, never a reason. Teachers choose among their
 * own classes; trip staff, the DSL and the admin among all (a trip lead takes whichever classes
 * go). Every download is audited with the classes and how many pupils it held.
 */
export async function tripSnapshot(
	ctx: AppContext,
	actor: StaffActor,
	raw: unknown
): Promise<{ ok: true; download: TripDownload } | { ok: false; status: 400 | 403; error: string }> {
	const parsed = snapshotRequestSchema.safeParse(raw);
	if (!parsed.success)
		return {
			ok: false,
			status: 400,
			error: parsed.error.issues[0]?.message ?? 'trip.error.request'
		};
	const request = parsed.data;
	const now = ctx.clock.now();
	const endProblem = endsAtProblem(request.endsAt, now);
	if (endProblem) return { ok: false, status: 400, error: endProblem };
	const anyClass = actor.role === 'trip' || seesAllClasses(actor);
	const classIds = [...new Set(request.classIds)];
	if (!anyClass && !classIds.every((id) => canUseClass(actor, id)))
		return { ok: false, status: 403, error: 'trip.error.notYourClass' };
	const classes = await Promise.all(classIds.map((id) => getClass(ctx.db, actor.schoolId, id)));
	if (classes.some((c) => !c)) return { ok: false, status: 400, error: 'trip.error.noSuchClass' };

	const uses = await consentUses(ctx, actor.schoolId);
	const inClasses = (
		await Promise.all(classIds.map((id) => listPupilsOfClass(ctx.db, actor.schoolId, id)))
	).flat();
	const chosen = request.pupilIds ? new Set(request.pupilIds) : null;
	if (chosen && ![...chosen].every((id) => inClasses.some((p) => p.id === id)))
		return { ok: false, status: 400, error: 'trip.error.notInClasses' };
	const pupils = chosen ? inClasses.filter((p) => chosen.has(p.id)) : inClasses;
	const ids = pupils.map((p) => p.id);
	const [records, noPhotos, cards, carers] = await Promise.all([
		recordsOfPupils(ctx.db, actor.schoolId, ids),
		noPhotosOf(ctx.db, actor.schoolId, ids),
		liveCardsOfClasses(ctx.db, actor.schoolId, classIds, now),
		carersNeededFor(ctx, actor.schoolId, ids)
	]);
	const today = schoolToday(ctx);
	// A yes that runs out before the trip ends does not hold for the trip: each verdict is the
	// worse of today's and the last day's (counting only the records already in force today).
	const lastDay = schoolDay(ctx, new Date(request.endsAt));
	const classNames = new Map(classes.map((c) => [c!.id, c!.name]));
	const snapshot: TripSnapshot = {
		groupName: request.groupName,
		takenAt: now.toISOString(),
		endsAt: new Date(request.endsAt).toISOString(),
		graceHours: ctx.config.trip.graceHours,
		maxAgeHours: ctx.config.trip.maxAgeHours,
		// A use the school never allows says so (only then: an older device reads it as before).
		uses: uses.map((u) =>
			u.neverAllowed ? { id: u.id, name: u.name, neverAllowed: true } : { id: u.id, name: u.name }
		),
		pupils: pupils.map((p) => {
			const mine = records.filter((r) => r.pupilId === p.id);
			const inForce = mine.filter((r) => r.validFrom <= today);
			const flagged = noPhotos.get(p.id)?.onList === true;
			return {
				id: p.id,
				firstName: p.firstName,
				lastInitial: p.lastInitial,
				className: classNames.get(p.classId) ?? '',
				cardIds: cards.filter((c) => c.pupilId === p.id).map((c) => c.cardId),
				// The verdict alone ("check" too), never why.
				verdicts: uses.map((u) =>
					worseVerdict(
						consentCell(mine, u, flagged, today, carers.needed(p.id)).verdict,
						consentCell(inForce, u, flagged, lastDay, carers.needed(p.id)).verdict
					)
				)
			};
		})
	};
	// The device that takes it becomes a trip device: its own token (for sending its checks and
	// learning of a revoke), the trip's classes, and a place on the Devices page.
	const token = newSecret(32);
	const deviceId = newId();
	await audited(
		ctx,
		actor,
		{
			action: 'consent.snapshot-downloaded',
			subjectType: 'device',
			subjectId: deviceId,
			detail: {
				classIds,
				pupils: snapshot.pupils.length,
				groupName: request.groupName,
				endsAt: snapshot.endsAt
			}
		},
		async (trx) => {
			await insertDevice(
				trx,
				actor.schoolId,
				{
					id: deviceId,
					name: request.groupName,
					kind: 'trip',
					tokenHash: hashToken(token),
					enrolledBy: actor.staffId,
					classIds
				},
				now
			);
			await insertTripDevice(trx, actor.schoolId, {
				deviceId,
				groupName: request.groupName,
				takenBy: actor.staffId,
				takenAt: snapshot.takenAt,
				endsAt: snapshot.endsAt,
				graceHours: snapshot.graceHours,
				pupilCount: snapshot.pupils.length,
				pupilIds: snapshot.pupils.map((p) => p.id)
			});
		}
	);
	return { ok: true, download: { deviceId, token, snapshot } };
}
