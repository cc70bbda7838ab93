/**
 * E-mail alerts that reach people outside Lantern (issue 14, items 8 and 9): what causes one,
 * who receives it, what it says and when a failed send is tried again. All pure; the outbox
 * and the sender are `services/alert.service.ts`.
 *
 * An alert says only that something needs attention and where: never what a child said, never
 * a child's name, never the class.
 */

/** Everything that sends an alert. */
export const alertKinds = [
	// A pupil's "I'm not safe right now".
	'not-safe',
	// A report nobody has opened in the set time.
	'unopened',
	// A new incident in a child-protection category (issue 14's staff-logged incidents).
	'child-protection',
	// A worry or incident about a member of staff (issue 14's allegations).
	'staff-allegation'
] as const;
export type AlertKind = (typeof alertKinds)[number];

/**
 * The incident categories that alert the DSL and deputies as soon as they are recorded: the
 * ones where a child may be at risk of harm. Includes categories issue 14 adds (the seed's
 * list); a category not named here never alerts on its own.
 */
export const childProtectionCategories = [
	'unknown-contact',
	'image-sharing',
	'child-abuse-material',
	'illegal-pornographic-material',
	'terrorist-extremist-material'
] as const;

export function isChildProtectionCategory(category: string): boolean {
	return (childProtectionCategories as readonly string[]).includes(category);
}

/**
 * Where one e-mail of an alert is: `waiting` (to be sent, or tried again at its time),
 * `sending` (claimed by one process), `sent`, `refused` (the relay refused this address: not
 * tried again), `interrupted` (claimed, and the process stopped mid-send: not sent again, so it
 * cannot arrive twice), `not-set-up` (the school had no e-mail relay when the alert was made),
 * `dropped` (by its time to send, the address was no longer on the list — a DSL waiting for
 * approval or disabled, a deputy or contact taken off: never sent).
 */
export const alertEmailStates = [
	'waiting',
	'sending',
	'sent',
	'refused',
	'interrupted',
	'not-set-up',
	'dropped'
] as const;
export type AlertEmailState = (typeof alertEmailStates)[number];

/**
 * Why the last try failed: the relay did not answer, answered but did not take it ("try
 * later", a sign-in or TLS problem: tried again), refused this address for good, or a send was cut off (the process stopped mid-send: it is not sent again, so it
 * cannot arrive twice, and the status line says so).
 */
export type AlertProblem = 'no-answer' | 'not-accepted' | 'refused' | 'interrupted' | 'not-set-up';

/** Whoever receives an alert, and why. */
export type RecipientKind = 'dsl' | 'deputy' | 'contact';

export interface AlertRecipient {
	kind: RecipientKind;
	/** The staff account (DSL, deputy); null for an out-of-hours contact. */
	staffId: string | null;
	address: string;
}

export interface StaffForAlerts {
	id: string;
	role: string;
	email: string;
	disabled: boolean;
	pendingApproval: boolean;
}

/**
 * Approved DSLs, the deputies the DSL chose and the out-of-hours contacts, each address once
 * (compared without case). A DSL account waiting for approval, or a disabled account, receives
 * nothing, even when it is also named as a deputy.
 */
export function alertRecipients(
	staff: readonly StaffForAlerts[],
	deputyIds: readonly string[],
	contacts: readonly { email: string }[]
): AlertRecipient[] {
	const out: AlertRecipient[] = [];
	const seen = new Set<string>();
	const add = (recipient: AlertRecipient) => {
		const key = recipient.address.trim().toLowerCase();
		if (!key || seen.has(key)) return;
		seen.add(key);
		out.push({ ...recipient, address: recipient.address.trim() });
	};
	const usable = (s: StaffForAlerts) => !s.disabled && !s.pendingApproval;
	for (const s of staff)
		if (s.role === 'dsl' && usable(s)) add({ kind: 'dsl', staffId: s.id, address: s.email });
	for (const id of deputyIds) {
		const s = staff.find((person) => person.id === id);
		if (s && usable(s)) add({ kind: 'deputy', staffId: s.id, address: s.email });
	}
	for (const c of contacts) add({ kind: 'contact', staffId: null, address: c.email });
	return out;
}

/** How long to wait before trying a send again: 1, 2, 4 … minutes, at most 30. */
export function retryDelayMinutes(tries: number): number {
	return Math.min(30, 2 ** Math.max(0, tries - 1));
}

export interface AlertEmail {
	subject: string;
	text: string;
}

/**
 * The e-mail for an alert: calm, plain, and nothing of the record itself. `link` is the
 * school's address for the record (ORIGIN + the staff page). English only: Lantern does not
 * yet know a school's own language (staff choose theirs on each device).
 */
export function alertEmail(kind: AlertKind, schoolName: string, link: string): AlertEmail {
	const what = {
		'not-safe': {
			subject: 'Urgent: a pupil has asked for help now',
			line: 'A pupil has used "I\'m not safe right now" in Lantern. Please look at it as soon as you can.'
		},
		unopened: {
			subject: 'A report in Lantern has not been opened yet',
			line: 'A report sent to Lantern has not been opened by anyone in the set time. Please look at it.'
		},
		'child-protection': {
			subject: 'A new incident in Lantern needs the DSL',
			line: 'A new incident has been recorded in Lantern in a category that may mean a child is at risk. Please look at it as soon as you can.'
		},
		'staff-allegation': {
			subject: 'A concern about a member of staff needs attention',
			line: 'A concern about a member of staff has been recorded in Lantern. Please look at it as soon as you can.'
		}
	}[kind];
	return {
		subject: `${what.subject} (${schoolName})`,
		text: [
			'Hello,',
			'',
			what.line,
			'',
			`Open it here (you will be asked to sign in): ${link}`,
			'',
			'This e-mail says nothing about what was reported, on purpose. Please do not reply to it.',
			'',
			`Lantern, ${schoolName}`,
			'You receive this because the school’s Designated Safeguarding Lead named you for Lantern alerts.'
		].join('\n')
	};
}

/** The staff page an alert points to. */
export function alertPath(subjectType: string, subjectId: string): string {
	if (subjectType === 'report') return `/staff/reports/${encodeURIComponent(subjectId)}`;
	return '/staff';
}

/** An e-mail address a person typed, roughly checked (the relay has the last word). */
export function looksLikeEmail(text: string): boolean {
	return (
		/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(text.trim()) && text.length <= 254
	);
}
