/**
 * Who may do what. This table is the single answer to "may this role do this?";
 * pages and APIs reach it through `routeAccess` in route-access.ts, checked once in
 * hooks.server.ts. Which *records* a permitted role may touch (a teacher's own
 * classes, say) is decided by the scope functions below, also pure.
 */
export const staffRoles = ['teacher', 'dsl', 'admin', 'trip'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const actions = [
	'account.view',
	'account.change-password',
	// One's own second factor (an authenticator app): set up, change, remove.
	'account.second-factor',
	'account.approve',
	'staff.view',
	'staff.manage',
	// Reset someone else's second factor (a lost phone); the DSL is told.
	'staff.reset-second-factor',
	'class.view',
	'class.manage',
	'pupil.view',
	'pupil.manage',
	'pupil.import',
	'device.view',
	'device.manage',
	'card.issue',
	'report.view',
	'report.act',
	'report.export',
	'report.summary',
	'lesson.present',
	'lesson.results',
	'consent.view',
	'consent.manage',
	'consent.reason',
	'trip.snapshot',
	'trip.revoke',
	'audit.view',
	// Who else receives e-mail alerts (deputies, out-of-hours contacts), and whether they go out.
	'alerts.manage'
] as const;
export type Action = (typeof actions)[number];

const permissions: Record<StaffRole, readonly Action[]> = {
	admin: [
		'account.view',
		'account.change-password',
		'account.second-factor',
		'staff.view',
		'staff.manage',
		'staff.reset-second-factor',
		'class.view',
		'class.manage',
		'pupil.view',
		'pupil.manage',
		'pupil.import',
		'device.view',
		'device.manage',
		'card.issue',
		// Counts for governors, never a report: admins see no reports.
		'report.summary',
		'lesson.present',
		// The office keeps the consent list, and sees why a pupil is on the no-photos list.
		'consent.view',
		'consent.manage',
		'consent.reason',
		'trip.snapshot',
		'trip.revoke'
	],
	// The DSL sees every class and pupil, but running the school's accounts is the admin's job.
	// The DSL also sees every report, keeps the incident log and answers to governors.
	dsl: [
		'account.view',
		'account.change-password',
		'account.second-factor',
		// New DSL accounts and class assignments wait for an existing DSL's approval.
		'account.approve',
		'class.view',
		'pupil.view',
		'device.view',
		'report.view',
		'report.act',
		'report.export',
		'report.summary',
		'lesson.present',
		'lesson.results',
		'consent.view',
		'consent.manage',
		'consent.reason',
		'trip.snapshot',
		'trip.revoke',
		// The audit log: who saw and did what, sign-ins and failed sign-ins included. Lantern has
		// no "head" role: a head who reviews the log is given the DSL role, or asks the DSL. The
		// admin never sees it, because the admin is the person this record must be able to catch.
		'audit.view',
		// The DSL alone chooses who else is e-mailed when a child needs help now.
		'alerts.manage'
	],
	// Teachers keep their own class lists up to date (scoped to their classes below).
	teacher: [
		'account.view',
		'account.change-password',
		'account.second-factor',
		'class.view',
		'pupil.view',
		'pupil.manage',
		'pupil.import',
		'device.view',
		'device.manage',
		'card.issue',
		// Their own classes' reports only (scoped in report.ts).
		'report.view',
		'report.act',
		// Lessons on the whiteboard, and their own classes' results (scoped by canUseClass).
		'lesson.present',
		'lesson.results',
		// Their own classes' consent verdicts (never a no-photos reason), and a trip snapshot of them.
		'consent.view',
		'trip.snapshot',
		// Only the trip lists of their own classes, or ones they took themselves.
		'trip.revoke'
	],
	// Trip staff run the photo check: a snapshot of the verdicts for the classes on their trip.
	trip: ['account.view', 'account.change-password', 'account.second-factor', 'trip.snapshot']
};

export function can(role: StaffRole, action: Action): boolean {
	return permissions[role].includes(action);
}

export interface ApprovalActor {
	role: StaffRole;
	/** A DSL account an existing DSL has not yet approved. */
	pendingApproval?: boolean;
}

/**
 * May this person do this now? As `can`, except that an account waiting for a DSL's approval
 * (a new DSL, or one whose password or second factor someone else reset) may only look after
 * its own account: no report, audit log, class, pupil or consent reason until approved.
 */
export function canAct(actor: ApprovalActor, action: Action): boolean {
	if (actor.pendingApproval && !ownAccountActions.includes(action)) return false;
	return can(actor.role, action);
}

const ownAccountActions: readonly Action[] = [
	'account.view',
	'account.change-password',
	'account.second-factor'
];

/** Whether this person sees every report of the school: an approved DSL. */
export function seesEveryReport(actor: ApprovalActor): boolean {
	return actor.role === 'dsl' && !actor.pendingApproval;
}

/**
 * Whether this person sees every class of the school, rather than only the ones they are
 * assigned to. An account waiting for approval sees none.
 */
export function seesAllClasses(actor: ApprovalActor): boolean {
	return !actor.pendingApproval && (actor.role === 'admin' || actor.role === 'dsl');
}

export interface ClassScopeActor extends ApprovalActor {
	classIds: readonly string[];
}

/** May this member of staff see or work on this class's list? */
export function canUseClass(actor: ClassScopeActor, classId: string): boolean {
	if (actor.pendingApproval) return false;
	return seesAllClasses(actor) || actor.classIds.includes(classId);
}
