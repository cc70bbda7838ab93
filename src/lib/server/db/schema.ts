import type { Generated } from 'kysely';
import type { KeyStage } from '$lib/domain/key-stage';
import type { StaffRole } from '$lib/domain/roles';

/**
 * The tables as Kysely sees them. Ids are text UUIDs; times are ISO-8601 text in UTC,
 * which sorts and compares the same way in SQLite and PostgreSQL.
 */
export interface Database {
	lantern_migration: { name: string; applied_at: string };
	first_run: { id: string; school_id: string; created_at: string };
	school: { id: string; name: string; created_at: string };
	staff: {
		id: string;
		school_id: string;
		email: string;
		name: string;
		role: StaffRole;
		password_hash: string;
		disabled_at: string | null;
		created_at: string;
	};
	sign_in_lock: { email: string; failures: number; locked_until: string | null };
	session: {
		id_hash: string;
		staff_id: string;
		school_id: string;
		created_at: string;
		last_seen_at: string;
	};
	class: {
		id: string;
		school_id: string;
		name: string;
		year_group: number;
		key_stage: KeyStage;
		archived_at: string | null;
		created_at: string;
	};
	class_staff: {
		class_id: string;
		staff_id: string;
		school_id: string;
		cover_from: string | null;
		cover_until: string | null;
	};
	pupil: {
		id: string;
		school_id: string;
		class_id: string;
		first_name: string;
		last_initial: string;
		year_group: number;
		avatar: string;
		archived_at: string | null;
		created_at: string;
	};
	audit: {
		seq: Generated<number>;
		school_id: string;
		at: string;
		actor_id: string | null;
		action: string;
		subject_type: string;
		subject_id: string | null;
		detail: string;
		prev_hash: string;
		hash: string;
	};
	audit_head: { school_id: string; last_hash: string };
}
