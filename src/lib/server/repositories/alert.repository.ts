import { sql } from 'kysely';
import type { AlertEmailState, AlertProblem, AlertRecipient } from '$lib/domain/alerts';
import type { Db } from '../context';
import { newId } from '../ids';

export interface NewAlert {
	id: string;
	kind: string;
	subjectType: string;
	subjectId: string;
	createdAt: string;
}

/** An alert and one e-mail row a recipient, in the caller's transaction. */
export async function insertAlert(
	db: Db,
	schoolId: string,
	alert: NewAlert,
	recipients: readonly AlertRecipient[],
	state: 'waiting' | 'not-set-up'
): Promise<void> {
	await db
		.insertInto('alert')
		.values({
			id: alert.id,
			school_id: schoolId,
			kind: alert.kind,
			subject_type: alert.subjectType,
			subject_id: alert.subjectId,
			created_at: alert.createdAt
		})
		.execute();
	if (recipients.length === 0) return;
	await db
		.insertInto('alert_email')
		.values(
			recipients.map((r) => ({
				id: newId(),
				alert_id: alert.id,
				school_id: schoolId,
				recipient_kind: r.kind,
				staff_id: r.staffId,
				address: r.address,
				address_key: r.address.toLowerCase(),
				state,
				tries: 0,
				next_try_at: alert.createdAt,
				problem: state === 'not-set-up' ? ('not-set-up' as const) : null,
				problem_at: state === 'not-set-up' ? alert.createdAt : null
			}))
		)
		.onConflict((oc) => oc.columns(['alert_id', 'address_key']).doNothing())
		.execute();
}

// ---- Who receives alerts besides the DSL ----

export interface RecipientSetting {
	id: string;
	kind: 'deputy' | 'contact';
	staffId: string | null;
	name: string | null;
	email: string | null;
	addedAt: string;
}

export async function currentRecipientSettings(
	db: Db,
	schoolId: string
): Promise<RecipientSetting[]> {
	const rows = await db
		.selectFrom('alert_recipient')
		.select(['id', 'kind', 'staff_id', 'name', 'email', 'added_at'])
		.where('school_id', '=', schoolId)
		.where('removed_at', 'is', null)
		.orderBy('added_at')
		.orderBy('id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		kind: r.kind,
		staffId: r.staff_id,
		name: r.name,
		email: r.email,
		addedAt: r.added_at
	}));
}

export async function insertRecipientSetting(
	db: Db,
	schoolId: string,
	row: {
		id: string;
		kind: 'deputy' | 'contact';
		staffId: string | null;
		name: string | null;
		email: string | null;
	},
	by: string,
	at: string
): Promise<void> {
	await db
		.insertInto('alert_recipient')
		.values({
			id: row.id,
			school_id: schoolId,
			kind: row.kind,
			staff_id: row.staffId,
			name: row.name,
			email: row.email,
			added_by: by,
			added_at: at
		})
		.execute();
}

/** Takes a deputy or contact off (the row stays). True when it was on. */
export async function removeRecipientSetting(
	db: Db,
	schoolId: string,
	id: string,
	by: string,
	at: string
): Promise<RecipientSetting | undefined> {
	const current = (await currentRecipientSettings(db, schoolId)).find((r) => r.id === id);
	if (!current) return undefined;
	const done = await db
		.updateTable('alert_recipient')
		.set({ removed_by: by, removed_at: at })
		.where('school_id', '=', schoolId)
		.where('id', '=', id)
		.where('removed_at', 'is', null)
		.executeTakeFirst();
	return Number(done.numUpdatedRows) === 1 ? current : undefined;
}

// ---- The sender ----

export interface DueEmail {
	id: string;
	alertId: string;
	address: string;
	tries: number;
	kind: string;
	subjectType: string;
	subjectId: string;
}

/** Schools with an e-mail due now: where the sender has work (then every query is per school). */
export async function schoolsWithDueEmails(db: Db, now: string): Promise<string[]> {
	const rows = await db
		.selectFrom('alert_email')
		.select('school_id')
		.distinct()
		.where('state', '=', 'waiting')
		.where('next_try_at', '<=', now)
		.execute();
	return rows.map((r) => r.school_id);
}

export async function dueEmails(db: Db, schoolId: string, now: string): Promise<DueEmail[]> {
	const rows = await db
		.selectFrom('alert_email')
		.innerJoin('alert', 'alert.id', 'alert_email.alert_id')
		.select([
			'alert_email.id',
			'alert_email.alert_id',
			'alert_email.address',
			'alert_email.tries',
			'alert.kind',
			'alert.subject_type',
			'alert.subject_id'
		])
		.where('alert_email.school_id', '=', schoolId)
		.where('alert.school_id', '=', schoolId)
		.where('alert_email.state', '=', 'waiting')
		.where('alert_email.next_try_at', '<=', now)
		.orderBy('alert_email.next_try_at')
		.orderBy('alert_email.id')
		.limit(100)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		alertId: r.alert_id,
		address: r.address,
		tries: Number(r.tries),
		kind: r.kind,
		subjectType: r.subject_type,
		subjectId: r.subject_id
	}));
}

/**
 * Claims one e-mail for this process: true for exactly one claimant. Only a waiting row whose
 * time has come can be claimed, so two processes never both send it.
 */
export async function claimEmail(
	db: Db,
	schoolId: string,
	id: string,
	claim: string,
	now: string
): Promise<boolean> {
	const done = await db
		.updateTable('alert_email')
		.set({ state: 'sending', claim, claimed_at: now })
		.where('school_id', '=', schoolId)
		.where('id', '=', id)
		.where('state', '=', 'waiting')
		.where('next_try_at', '<=', now)
		.executeTakeFirst();
	return Number(done.numUpdatedRows) === 1;
}

/** The outcome of a claimed send: sent, refused for good, or waiting for its next try. */
export async function recordOutcome(
	db: Db,
	schoolId: string,
	id: string,
	claim: string,
	outcome:
		| { state: 'sent'; at: string }
		| { state: 'refused'; at: string }
		| { state: 'dropped'; at: string }
		| { state: 'waiting'; at: string; problem: AlertProblem; tries: number; nextTryAt: string }
): Promise<void> {
	const set =
		outcome.state === 'sent'
			? { state: 'sent' as const, sent_at: outcome.at, tries: sql<number>`tries + 1` }
			: outcome.state === 'refused'
				? {
						state: 'refused' as const,
						problem: 'refused' as const,
						problem_at: outcome.at,
						tries: sql<number>`tries + 1`
					}
				: outcome.state === 'dropped'
					? { state: 'dropped' as const, problem_at: outcome.at }
					: {
							state: 'waiting' as const,
							problem: outcome.problem,
							problem_at: outcome.at,
							tries: outcome.tries,
							next_try_at: outcome.nextTryAt
						};
	await db
		.updateTable('alert_email')
		.set({ ...set, claim: null })
		.where('school_id', '=', schoolId)
		.where('id', '=', id)
		.where('state', '=', 'sending')
		.where('claim', '=', claim)
		.execute();
}

/**
 * Sends cut off by a process that stopped mid-send (claimed long ago, no outcome). They are
 * not sent again: the relay may already have taken them.
 */
export async function markInterrupted(db: Db, claimedBefore: string, now: string): Promise<void> {
	await db
		.updateTable('alert_email')
		.set({ state: 'interrupted', problem: 'interrupted', problem_at: now, claim: null })
		.where('state', '=', 'sending')
		.where('claimed_at', '<', claimedBefore)
		.execute();
}

export interface AlertStatusRow {
	lastSentAt: string | null;
	/** Waiting after a failed try, with the latest reason. */
	retrying: number;
	retryProblem: AlertProblem | null;
	refused: number;
	interrupted: number;
	notSetUp: number;
	/** Not sent: no longer on the list by their time to send. */
	dropped: number;
	lastAlertAt: string | null;
}

export async function alertStatusOf(db: Db, schoolId: string): Promise<AlertStatusRow> {
	const counts = await db
		.selectFrom('alert_email')
		.select(['state', sql<number>`count(*)`.as('n'), sql<string | null>`max(sent_at)`.as('last')])
		.where('school_id', '=', schoolId)
		.groupBy('state')
		.execute();
	const n = (state: AlertEmailState) => Number(counts.find((c) => c.state === state)?.n ?? 0);
	const retrying = await db
		.selectFrom('alert_email')
		.select(['problem', 'problem_at'])
		.where('school_id', '=', schoolId)
		.where('state', '=', 'waiting')
		.where('tries', '>', 0)
		.orderBy('problem_at', 'desc')
		.execute();
	const lastAlert = await db
		.selectFrom('alert')
		.select(sql<string | null>`max(created_at)`.as('last'))
		.where('school_id', '=', schoolId)
		.executeTakeFirst();
	return {
		lastSentAt: counts.find((c) => c.state === 'sent')?.last ?? null,
		retrying: retrying.length,
		retryProblem: retrying[0]?.problem ?? null,
		refused: n('refused'),
		interrupted: n('interrupted'),
		notSetUp: n('not-set-up'),
		dropped: n('dropped'),
		lastAlertAt: lastAlert?.last ?? null
	};
}

/** Every e-mail of the school's alerts, newest first (for tests and the status line). */
export async function alertEmailsOf(db: Db, schoolId: string) {
	return db
		.selectFrom('alert_email')
		.innerJoin('alert', 'alert.id', 'alert_email.alert_id')
		.select([
			'alert.kind',
			'alert.subject_id',
			'alert_email.address',
			'alert_email.recipient_kind',
			'alert_email.state',
			'alert_email.tries',
			'alert_email.problem'
		])
		.where('alert_email.school_id', '=', schoolId)
		.where('alert.school_id', '=', schoolId)
		.orderBy('alert_email.address')
		.execute();
}
