import type { Kysely } from 'kysely';
import type { Dialect } from '../database';
import * as createSchoolsAndStaff from './2026-11-22-01-create-schools-and-staff';
import * as createSessionsAndSignInLocks from './2026-11-22-02-create-sessions-and-sign-in-locks';
import * as createClassesAndPupils from './2026-11-22-03-create-classes-and-pupils';
import * as createAuditLog from './2026-11-22-04-create-audit-log';
import * as createClassDevicesAndPupilCards from './2026-11-22-05-create-class-devices-and-pupil-cards';
import * as createPicturePasswords from './2026-11-22-06-create-picture-passwords';
import * as createReports from './2026-11-22-07-create-reports';
import * as createLessonAttempts from './2026-11-22-08-create-lesson-attempts';
import * as createPhotoConsent from './2026-11-22-09-create-photo-consent';
import * as createTripDevicesAndChecks from './2026-11-22-10-create-trip-devices-and-checks';
import * as indexUrgentReports from './2026-12-02-01-index-urgent-reports';
import * as createDslNotices from './2026-12-02-02-create-dsl-notices';
import * as secondFactor from './2026-12-02-03-second-factor';
import * as accountApproval from './2026-12-02-04-account-approval';
import * as signInThrottle from './2026-12-02-05-sign-in-throttle';
import * as auditMac from './2026-12-02-06-audit-mac';
import * as auditPage from './2026-12-02-07-audit-page';
import * as deviceKeys from './2026-12-02-08-device-keys';
import * as reportDoubt from './2026-12-02-09-report-doubt';
import * as consentImportMemory from './2026-12-02-10-consent-import-memory';
import * as consentRules from './2026-12-02-11-consent-rules';
import * as alertEmails from './2026-12-02-13-alert-emails';

export interface Migration {
	name: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema as it was then
	up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

/** Every migration, oldest first. Append only: never edit or reorder a released one. */
export const migrations: readonly Migration[] = [
	{ name: '2026-11-22-01-create-schools-and-staff', up: createSchoolsAndStaff.up },
	{ name: '2026-11-22-02-create-sessions-and-sign-in-locks', up: createSessionsAndSignInLocks.up },
	{ name: '2026-11-22-03-create-classes-and-pupils', up: createClassesAndPupils.up },
	{ name: '2026-11-22-04-create-audit-log', up: createAuditLog.up },
	{
		name: '2026-11-22-05-create-class-devices-and-pupil-cards',
		up: createClassDevicesAndPupilCards.up
	},
	{ name: '2026-11-22-06-create-picture-passwords', up: createPicturePasswords.up },
	{ name: '2026-11-22-07-create-reports', up: createReports.up },
	{ name: '2026-11-22-08-create-lesson-attempts', up: createLessonAttempts.up },
	{ name: '2026-11-22-09-create-photo-consent', up: createPhotoConsent.up },
	{ name: '2026-11-22-10-create-trip-devices-and-checks', up: createTripDevicesAndChecks.up },
	{ name: '2026-12-02-01-index-urgent-reports', up: indexUrgentReports.up },
	{ name: '2026-12-02-02-create-dsl-notices', up: createDslNotices.up },
	{ name: '2026-12-02-03-second-factor', up: secondFactor.up },
	{ name: '2026-12-02-04-account-approval', up: accountApproval.up },
	{ name: '2026-12-02-05-sign-in-throttle', up: signInThrottle.up },
	{ name: '2026-12-02-06-audit-mac', up: auditMac.up },
	{ name: '2026-12-02-07-audit-page', up: auditPage.up },
	{ name: '2026-12-02-08-device-keys', up: deviceKeys.up },
	{ name: '2026-12-02-09-report-doubt', up: reportDoubt.up },
	{ name: '2026-12-02-10-consent-import-memory', up: consentImportMemory.up },
	{ name: '2026-12-02-11-consent-rules', up: consentRules.up },
	{ name: '2026-12-02-13-alert-emails', up: alertEmails.up }
];
