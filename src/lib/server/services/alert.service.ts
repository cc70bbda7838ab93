import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import {
	alertEmail,
	alertPath,
	alertRecipients,
	isChildProtectionCategory,
	looksLikeEmail,
	retryDelayMinutes,
	type AlertKind,
	type AlertProblem
} from '$lib/domain/alerts';
import type { LanternConfig, SmtpSettings } from '../config';
import type { AppContext, Db, StaffActor } from '../context';
import { newId } from '../ids';
import {
	alertStatusOf,
	claimEmail,
	currentRecipientSettings,
	dueEmails,
	insertAlert,
	insertRecipientSetting,
	markInterrupted,
	recordOutcome,
	removeRecipientSetting,
	schoolsWithDueEmails
} from '../repositories/alert.repository';
import { getSchool } from '../repositories/school.repository';
import { listStaff } from '../repositories/staff.repository';
import { appendAudit } from '../repositories/audit.repository';
import { audited } from './audited';

// ---- Raising an alert (in the caller's transaction) ----

export interface AlertCause {
	kind: AlertKind;
	/** What the alert points to: 'report' today; 'incident' and others as issue 14 adds them. */
	subjectType: string;
	subjectId: string;
	/** Staff who must not be told (an allegation naming them). */
	excludeStaffIds?: readonly string[];
}

/**
 * Writes an alert and one e-mail row for each recipient (approved DSLs, deputies, out-of-hours
 * contacts), in `trx`: the same transaction as the event that causes it, so neither is ever
 * written without the other. Without an e-mail relay the rows say "not sent: not set up".
 */
export async function raiseAlert(
	trx: Db,
	ctx: AppContext,
	schoolId: string,
	cause: AlertCause
): Promise<string> {
	const staff = await listStaff(trx, schoolId);
	const settings = await currentRecipientSettings(trx, schoolId);
	const excluded = new Set(cause.excludeStaffIds ?? []);
	// Their own addresses too: a named DSL or deputy may also be listed as a contact.
	const excludedAddresses = new Set(
		staff.filter((s) => excluded.has(s.id)).map((s) => addressKey(s.email))
	);
	const recipients = alertRecipients(
		staff
			.filter((s) => !excluded.has(s.id))
			.map((s) => ({
				id: s.id,
				role: s.role,
				email: s.email,
				disabled: s.disabledAt !== null,
				pendingApproval: s.pendingApproval
			})),
		settings.filter((r) => r.kind === 'deputy' && r.staffId).map((r) => r.staffId!),
		settings.filter((r) => r.kind === 'contact' && r.email).map((r) => ({ email: r.email! }))
	).filter((r) => !excludedAddresses.has(addressKey(r.address)));
	const id = newId();
	await insertAlert(
		trx,
		schoolId,
		{
			id,
			kind: cause.kind,
			subjectType: cause.subjectType,
			subjectId: cause.subjectId,
			createdAt: ctx.clock.now().toISOString()
		},
		recipients,
		ctx.config.smtp ? 'waiting' : 'not-set-up'
	);
	return id;
}

function addressKey(address: string): string {
	return address.trim().toLowerCase();
}

/** The addresses that would receive an alert raised now (approved, enabled DSLs; deputies; contacts). */
async function currentAddresses(db: Db, schoolId: string): Promise<Set<string>> {
	const staff = await listStaff(db, schoolId);
	const settings = await currentRecipientSettings(db, schoolId);
	return new Set(
		alertRecipients(
			staff.map((s) => ({
				id: s.id,
				role: s.role,
				email: s.email,
				disabled: s.disabledAt !== null,
				pendingApproval: s.pendingApproval
			})),
			settings.filter((r) => r.kind === 'deputy' && r.staffId).map((r) => r.staffId!),
			settings.filter((r) => r.kind === 'contact' && r.email).map((r) => ({ email: r.email! }))
		).map((r) => addressKey(r.address))
	);
}

/**
 * For issue 14's staff-logged incidents: alerts when any of the incident's categories is a
 * child-protection one (`childProtectionCategories`). Call it in the transaction that stores
 * the incident; returns the alert's id, or null when no category alerts.
 */
export async function alertForIncident(
	trx: Db,
	ctx: AppContext,
	schoolId: string,
	incident: { subjectType: string; subjectId: string; categories: readonly string[] }
): Promise<string | null> {
	if (!incident.categories.some(isChildProtectionCategory)) return null;
	return raiseAlert(trx, ctx, schoolId, {
		kind: 'child-protection',
		subjectType: incident.subjectType,
		subjectId: incident.subjectId
	});
}

/**
 * For issue 14's allegations about staff: always alerts, never the people it names. Call it in
 * the transaction that stores the allegation.
 */
export async function alertForAllegation(
	trx: Db,
	ctx: AppContext,
	schoolId: string,
	allegation: { subjectType: string; subjectId: string; namedStaffIds: readonly string[] }
): Promise<string> {
	return raiseAlert(trx, ctx, schoolId, {
		kind: 'staff-allegation',
		subjectType: allegation.subjectType,
		subjectId: allegation.subjectId,
		excludeStaffIds: allegation.namedStaffIds
	});
}

// ---- Sending ----

export interface OutgoingMail {
	from: string;
	to: string;
	subject: string;
	text: string;
}

/** What sends one message; nodemailer's SMTP transport in the app. */
export interface MailSender {
	send(mail: OutgoingMail): Promise<void>;
	close(): void;
}

export function smtpSender(smtp: SmtpSettings): MailSender {
	const transport = nodemailer.createTransport({
		url: smtp.url,
		requireTLS: smtp.requireStartTls,
		connectionTimeout: 20_000,
		greetingTimeout: 20_000,
		socketTimeout: 60_000
	});
	return {
		send: async (mail) => {
			await transport.sendMail(mail);
		},
		close: () => transport.close()
	};
}

/** A send cut off this long ago (the process stopped mid-send) is marked interrupted. */
const interruptedAfterMs = 15 * 60_000;

/**
 * One pass of the sender: every e-mail whose time has come is claimed (by one process only)
 * and sent, one message for each address, and its outcome recorded: sent; refused for good
 * when the relay refuses that address; otherwise tried again after 1, 2, 4 … 30 minutes.
 */
export async function sendDueAlerts(
	ctx: AppContext,
	makeSender: (smtp: SmtpSettings) => MailSender = smtpSender
): Promise<{ sent: number; failed: number }> {
	const now = ctx.clock.now();
	await markInterrupted(
		ctx.db,
		new Date(now.getTime() - interruptedAfterMs).toISOString(),
		now.toISOString()
	);
	const smtp = ctx.config.smtp;
	let sent = 0;
	let failed = 0;
	if (!smtp) return { sent, failed };
	const schools = await schoolsWithDueEmails(ctx.db, now.toISOString());
	if (schools.length === 0) return { sent, failed };
	const sender = makeSender(smtp);
	try {
		for (const schoolId of schools) {
			const school = await getSchool(ctx.db, schoolId);
			for (const due of await dueEmails(ctx.db, schoolId, now.toISOString())) {
				const claim = randomUUID();
				if (!(await claimEmail(ctx.db, schoolId, due.id, claim, now.toISOString()))) continue;
				// Retries can run for hours: only whoever is on the list now receives it.
				if (!(await currentAddresses(ctx.db, schoolId)).has(addressKey(due.address))) {
					await recordOutcome(ctx.db, schoolId, due.id, claim, {
						state: 'dropped',
						at: ctx.clock.now().toISOString()
					});
					continue;
				}
				const words = alertEmail(
					due.kind as AlertKind,
					school?.name ?? 'your school',
					linkTo(ctx.config, alertPath(due.subjectType, due.subjectId))
				);
				try {
					await sender.send({ from: smtp.from, to: due.address, ...words });
				} catch (error) {
					failed++;
					const problem = problemOf(error);
					const at = ctx.clock.now();
					await recordOutcome(
						ctx.db,
						schoolId,
						due.id,
						claim,
						problem === 'refused'
							? { state: 'refused', at: at.toISOString() }
							: {
									state: 'waiting',
									at: at.toISOString(),
									problem,
									tries: due.tries + 1,
									nextTryAt: new Date(
										at.getTime() + retryDelayMinutes(due.tries + 1) * 60_000
									).toISOString()
								}
					);
					continue;
				}
				// The relay has it. Should recording that fail, the row stays "sending" and is later
				// marked interrupted: never sent again.
				sent++;
				try {
					await recordOutcome(ctx.db, schoolId, due.id, claim, {
						state: 'sent',
						at: ctx.clock.now().toISOString()
					});
				} catch (error) {
					console.error('Lantern alerts: sent, but could not record it:', error);
				}
			}
		}
	} finally {
		sender.close();
	}
	return { sent, failed };
}

/**
 * Only the relay refusing this one address for good (a 5xx answer to RCPT TO) stops the
 * tries; a relay that is down, slow, or says "try later" (4xx), or refuses us for another
 * reason (sign-in, TLS), is tried again.
 */
function problemOf(error: unknown): AlertProblem {
	const e = error as { code?: string; responseCode?: number; command?: string };
	if (e.code === 'EENVELOPE' && (e.responseCode ?? 0) >= 500 && e.command === 'RCPT TO')
		return 'refused';
	if (
		e.code === 'ECONNECTION' ||
		e.code === 'ETIMEDOUT' ||
		e.code === 'ESOCKET' ||
		e.code === 'EDNS' ||
		e.responseCode === undefined
	)
		return 'no-answer';
	return 'not-accepted';
}

function linkTo(config: LanternConfig, path: string): string {
	return `${(config.origin ?? 'http://localhost:3000').replace(/\/+$/, '')}${path}`;
}

// ---- The sender in the server process ----

export interface AlertSender {
	/** Runs a pass now (after any pass already running). */
	wake(): Promise<void>;
	stop(): Promise<void>;
}

let running: AlertSender | undefined;

/**
 * Starts the sender loop in this process: a pass every `everyMs` (and at once when woken). Two
 * passes never overlap; `stop()` waits for the one in flight. Every app process may run one:
 * each e-mail is claimed by exactly one.
 */
export function startAlertSender(ctx: AppContext, everyMs = 30_000): AlertSender {
	let current: Promise<void> = Promise.resolve();
	let stopped = false;
	const pass = (): Promise<void> => {
		if (stopped) return current;
		current = current.then(() =>
			stopped
				? undefined
				: sendDueAlerts(ctx).then(
						() => undefined,
						(error: unknown) => console.error('Lantern alerts:', error)
					)
		);
		return current;
	};
	const timer = setInterval(() => void pass(), everyMs);
	timer.unref();
	const sender: AlertSender = {
		wake: pass,
		stop: async () => {
			stopped = true;
			clearInterval(timer);
			await current;
			if (running === sender) running = undefined;
		}
	};
	running = sender;
	void pass();
	return sender;
}

/** Asks this process's sender (if it runs one) for a pass now: an urgent alert goes at once. */
export function wakeAlertSender(): void {
	void running?.wake();
}

// ---- The DSL's settings and the status line ----

export interface AlertSettingsView {
	deputies: { id: string; staffId: string; name: string }[];
	contacts: { id: string; name: string; email: string }[];
	/** Staff accounts that may be made deputies (enabled, not already deputies, not the DSLs). */
	candidates: { id: string; name: string }[];
	status: AlertStatus;
}

export interface AlertStatus {
	setUp: boolean;
	lastSentAt: string | null;
	retrying: number;
	retryProblem: AlertProblem | null;
	refused: number;
	interrupted: number;
	notSetUp: number;
	dropped: number;
}

export async function alertSettings(
	ctx: AppContext,
	actor: StaffActor
): Promise<AlertSettingsView> {
	const staff = await listStaff(ctx.db, actor.schoolId);
	const settings = await currentRecipientSettings(ctx.db, actor.schoolId);
	const deputyIds = new Set(settings.filter((s) => s.kind === 'deputy').map((s) => s.staffId));
	const row = await alertStatusOf(ctx.db, actor.schoolId);
	return {
		deputies: settings
			.filter((s) => s.kind === 'deputy' && s.staffId)
			.map((s) => ({
				id: s.id,
				staffId: s.staffId!,
				name: staff.find((p) => p.id === s.staffId)?.name ?? '—'
			})),
		contacts: settings
			.filter((s) => s.kind === 'contact')
			.map((s) => ({ id: s.id, name: s.name ?? '', email: s.email ?? '' })),
		candidates: staff
			.filter((s) => s.disabledAt === null && s.role !== 'dsl' && !deputyIds.has(s.id))
			.map((s) => ({ id: s.id, name: s.name })),
		status: {
			setUp: ctx.config.smtp !== null,
			lastSentAt: row.lastSentAt,
			retrying: row.retrying,
			retryProblem: row.retryProblem,
			refused: row.refused,
			interrupted: row.interrupted,
			notSetUp: row.notSetUp,
			dropped: row.dropped
		}
	};
}

export type AlertSettingResult = { ok: true } | { ok: false; error: string };

export async function addDeputy(
	ctx: AppContext,
	actor: StaffActor,
	staffId: string
): Promise<AlertSettingResult> {
	const view = await alertSettings(ctx, actor);
	if (!view.candidates.some((c) => c.id === staffId))
		return { ok: false, error: 'alerts.error.noSuchStaff' };
	await audited(
		ctx,
		actor,
		{ action: 'alerts.deputy-added', subjectType: 'staff', subjectId: staffId },
		(trx) =>
			insertRecipientSetting(
				trx,
				actor.schoolId,
				{ id: newId(), kind: 'deputy', staffId, name: null, email: null },
				actor.staffId,
				ctx.clock.now().toISOString()
			)
	);
	return { ok: true };
}

export async function addContact(
	ctx: AppContext,
	actor: StaffActor,
	input: { name: string; email: string }
): Promise<AlertSettingResult> {
	const name = input.name.trim();
	const email = input.email.trim();
	if (name.length < 1 || name.length > 80) return { ok: false, error: 'alerts.error.name' };
	if (!looksLikeEmail(email)) return { ok: false, error: 'alerts.error.email' };
	const current = await currentRecipientSettings(ctx.db, actor.schoolId);
	if (current.some((c) => c.email?.toLowerCase() === email.toLowerCase()))
		return { ok: false, error: 'alerts.error.already' };
	const id = newId();
	await audited(
		ctx,
		actor,
		{
			action: 'alerts.contact-added',
			subjectType: 'alert-contact',
			subjectId: id,
			detail: { name }
		},
		(trx) =>
			insertRecipientSetting(
				trx,
				actor.schoolId,
				{ id, kind: 'contact', staffId: null, name, email },
				actor.staffId,
				ctx.clock.now().toISOString()
			)
	);
	return { ok: true };
}

/** Takes a deputy or an out-of-hours contact off the list (the row stays, marked removed). */
export async function removeAlertRecipient(
	ctx: AppContext,
	actor: StaffActor,
	id: string
): Promise<AlertSettingResult> {
	const now = ctx.clock.now().toISOString();
	const result = await ctx.db.transaction().execute(async (trx) => {
		const removed = await removeRecipientSetting(trx, actor.schoolId, id, actor.staffId, now);
		if (!removed) return false;
		await appendAudit(trx, {
			schoolId: actor.schoolId,
			at: ctx.clock.now(),
			actorId: actor.staffId,
			action: removed.kind === 'deputy' ? 'alerts.deputy-removed' : 'alerts.contact-removed',
			subjectType: removed.kind === 'deputy' ? 'staff' : 'alert-contact',
			subjectId: removed.kind === 'deputy' ? removed.staffId : removed.id,
			detail: removed.kind === 'contact' ? { name: removed.name } : {}
		});
		return true;
	});
	return result ? { ok: true } : { ok: false, error: 'alerts.error.notOnList' };
}
