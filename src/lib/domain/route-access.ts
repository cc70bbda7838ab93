import type { Action } from './roles';

/**
 * Every staff page, form action and staff API, with the action it needs.
 * Keys are SvelteKit route ids; a form action is `<route id>?/<action name>`.
 * A staff route that is missing here is refused (see `requiredAction`), and a test
 * walks the route folders so a new route cannot be forgotten.
 */
export const routeAccess: Record<string, Action> = {
	'/(staff)/staff': 'account.view',
	'/(staff)/staff?/approve': 'account.approve',
	'/(staff)/staff?/refuse': 'account.approve',
	'/(staff)/staff?/seen': 'account.approve',
	'/(staff)/staff/account': 'account.view',
	'/(staff)/staff/account?/changePassword': 'account.change-password',
	'/(staff)/staff/account?/changeSecondFactor': 'account.second-factor',
	'/(staff)/staff/people': 'staff.view',
	'/(staff)/staff/people?/add': 'staff.manage',
	'/(staff)/staff/people?/disable': 'staff.manage',
	'/(staff)/staff/people?/enable': 'staff.manage',
	'/(staff)/staff/people?/unlock': 'staff.manage',
	'/(staff)/staff/people?/pupilContact': 'staff.manage',
	'/(staff)/staff/people?/resetSecondFactor': 'staff.reset-second-factor',
	'/(staff)/staff/people?/passwordLink': 'staff.manage',
	'/(staff)/staff/classes': 'class.view',
	'/(staff)/staff/classes?/add': 'class.manage',
	'/(staff)/staff/classes/[classId]': 'pupil.view',
	'/(staff)/staff/classes/[classId]?/addPupil': 'pupil.manage',
	'/(staff)/staff/classes/[classId]?/archivePupil': 'pupil.manage',
	'/(staff)/staff/classes/[classId]?/assignTeacher': 'class.manage',
	'/(staff)/staff/classes/[classId]?/unassignTeacher': 'class.manage',
	'/(staff)/staff/classes/[classId]/import': 'pupil.import',
	'/(staff)/staff/classes/[classId]/import?/preview': 'pupil.import',
	'/(staff)/staff/classes/[classId]/import?/commit': 'pupil.import',
	'/(staff)/staff/classes/[classId]/cards': 'card.issue',
	'/(staff)/staff/classes/[classId]/cards?/issue': 'card.issue',
	'/(staff)/staff/classes/[classId]/cards?/voidAll': 'card.issue',
	'/(staff)/staff/classes/[classId]/cards?/setPictures': 'card.issue',
	'/(staff)/staff/classes/[classId]/cards?/makePictures': 'card.issue',
	'/(staff)/staff/classes/[classId]/cards?/newPictures': 'card.issue',
	'/(staff)/staff/devices': 'device.view',
	'/(staff)/staff/devices?/createCode': 'device.manage',
	'/(staff)/staff/devices?/revoke': 'device.manage',
	'/(staff)/staff/devices?/signOutClass': 'device.manage',
	'/(staff)/staff/devices?/unlockPictures': 'device.manage',
	'/(staff)/staff/reports': 'report.view',
	'/(staff)/staff/reports/[reportId]': 'report.view',
	'/(staff)/staff/reports/[reportId]?/addEvent': 'report.act',
	'/(staff)/staff/reports/record': 'report.export',
	'/(staff)/staff/reports/record/export': 'report.export',
	'/(staff)/staff/reports/summary': 'report.summary',
	'/(staff)/staff/reports/parked': 'report.export',
	'/(staff)/staff/lessons': 'lesson.present',
	'/(staff)/staff/lessons/[lessonId]/present': 'lesson.present',
	'/(staff)/staff/lessons/[lessonId]/notes': 'lesson.present',
	'/(staff)/staff/classes/[classId]/results': 'lesson.results',
	'/(staff)/staff/classes/[classId]/results/export': 'lesson.results',
	'/(staff)/staff/classes/[classId]/recap': 'lesson.results',
	'/(staff)/staff/consent': 'consent.view',
	'/(staff)/staff/consent/export': 'consent.view',
	'/(staff)/staff/consent/pupils/[pupilId]': 'consent.view',
	'/(staff)/staff/consent/pupils/[pupilId]?/record': 'consent.manage',
	'/(staff)/staff/consent/pupils/[pupilId]?/noPhotos': 'consent.manage',
	'/(staff)/staff/consent/pupils/[pupilId]?/carers': 'consent.manage',
	'/(staff)/staff/consent/uses': 'consent.manage',
	'/(staff)/staff/consent/import': 'consent.manage',
	'/(staff)/staff/consent/import?/preview': 'consent.manage',
	'/(staff)/staff/consent/import?/commit': 'consent.manage',
	'/(staff)/staff/consent/uses?/save': 'consent.manage',
	'/(staff)/staff/consent/uses?/retire': 'consent.manage',
	'/(staff)/staff/consent/uses?/rules': 'consent.manage',
	'/api/staff/session': 'account.view',
	'/api/staff/reports/stream': 'report.view',
	'/api/staff/trip/snapshot': 'trip.snapshot',
	'/api/staff/trip/classes': 'trip.snapshot',
	'/(staff)/staff/consent/trips': 'consent.view',
	'/(staff)/staff/consent/trips?/revoke': 'trip.revoke',
	'/(staff)/staff/audit': 'audit.view',
	'/(staff)/staff/audit/export': 'audit.view',
	'/(staff)/staff/alerts': 'alerts.manage',
	'/(staff)/staff/alerts?/addDeputy': 'alerts.manage',
	'/(staff)/staff/alerts?/addContact': 'alerts.manage',
	'/(staff)/staff/alerts?/remove': 'alerts.manage'
};

/** Device APIs that need a class device's token (enrolment is how a device gets one). */
export function isDeviceRoute(routeId: string): boolean {
	return (
		routeId.startsWith('/api/device/') && routeId !== '/api/device/enrol' && !isTripRoute(routeId)
	);
}

/** APIs for a trip device, with the token it got when it downloaded its snapshot. */
export function isTripRoute(routeId: string): boolean {
	return routeId === '/api/device/trip' || routeId.startsWith('/api/device/trip/');
}

/**
 * What a closed trip device (revoked, ended, or past its trip) may still do: send the checks
 * it logged before then, and say it ended (again). Everything else tells it to wipe itself.
 */
export function closedTripMayUse(routeId: string): boolean {
	return routeId === '/api/device/trip/checks' || routeId === '/api/device/trip/end';
}

/** Route ids whose every request needs a signed-in member of staff. */
export function isStaffRoute(routeId: string): boolean {
	return routeId.startsWith('/(staff)') || routeId.startsWith('/api/staff');
}

export type AccessKey = string;

/** The key under which a request is looked up: the route, plus the form action for a POST. */
export function accessKey(routeId: string, method: string, search: string): AccessKey {
	if (method !== 'POST' || routeId.startsWith('/api/')) return routeId;
	const name = formActionName(search);
	return `${routeId}?/${name}`;
}

function formActionName(search: string): string {
	// SvelteKit names the action in the query string: "?/add" (or "?/add&x=1"); no name is "default".
	const raw = search.startsWith('?') ? search.slice(1) : search;
	const first = raw.split('&')[0] ?? '';
	return first.startsWith('/') ? first.slice(1) : 'default';
}

/** The action a request needs, or null when the route is not in the table (refuse it). */
export function requiredAction(key: AccessKey): Action | null {
	return routeAccess[key] ?? null;
}

/**
 * Someone whose password was set by someone else changes it before anything else: only the
 * account page (and signing out) is open to them until then.
 */
export function openBeforePasswordChange(routeId: string): boolean {
	return routeId === '/(staff)/staff/account';
}
