import type { Kysely, Transaction } from 'kysely';
import type { Clock } from './clock';
import type { LanternConfig } from './config';
import type { Dialect } from './db/database';
import type { Database } from './db/schema';
import type { Notifier } from './notifier';

/** What every service needs: the database, the time and the settings. Made once per process. */
export interface AppContext {
	db: Kysely<Database>;
	dialect: Dialect;
	clock: Clock;
	config: LanternConfig;
	/** Tells every app process that a school's reports changed (never what changed). */
	notifier: Notifier;
	/** The lessons of this build, for checking attempts and counting results. */
	lessons: import('./lessons/library').LessonLibrary;
}

/** A repository works the same inside or outside a transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

/** The school and member of staff a request acts for; every query is scoped by `schoolId`. */
export interface StaffActor {
	schoolId: string;
	staffId: string;
	role: import('$lib/domain/roles').StaffRole;
	name: string;
	email: string;
	/** Classes this person teaches (or covers right now). */
	classIds: string[];
	/** A DSL account waiting for an existing DSL's approval: no report is in sight. */
	pendingApproval?: boolean;
	/** The password was chosen by someone else: it must be changed before anything else. */
	mustChangePassword?: boolean;
}
