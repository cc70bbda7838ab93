import type { Generated } from 'kysely';
import type { AlertEmailState, AlertProblem } from '$lib/domain/alerts';
import type { ConsentSource, Decision } from '$lib/domain/consent';
import type { KeyStage } from '$lib/domain/key-stage';
import type { Audience, Feeling, IdentityDoubt, WorryTopic } from '$lib/domain/report';
import type { StaffRole } from '$lib/domain/roles';
import type { SessionStage } from '$lib/domain/second-factor';

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
		/**
		 * 'yes' when pupils may choose this adult to talk to; 'pending' while a teacher put on the
		 * list waits for a DSL's approval (not on the pupils' list, and no sight of reports sent to them).
		 */
		pupil_contact: 'yes' | 'pending' | null;
		/** 'yes' while a DSL account waits for an existing DSL's approval. */
		pending_approval: 'yes' | null;
		/** 'yes' when someone else chose the password: it is changed at first sign-in. */
		must_change_password: 'yes' | null;
	};
	sign_in_lock: { email: string; failures: number; locked_until: string | null };
	/** A browser a member of staff has signed in on (only a hash of its cookie is kept). */
	known_device: {
		id_hash: string;
		school_id: string;
		staff_id: string;
		created_at: string;
		last_used_at: string;
		failures: Generated<number>;
	};
	session: {
		id_hash: string;
		staff_id: string;
		school_id: string;
		created_at: string;
		last_seen_at: string;
		/** 'full', or waiting for the second factor: 'code' (enter one) or 'enrol' (set one up). */
		stage: Generated<SessionStage>;
	};
	staff_second_factor: {
		staff_id: string;
		school_id: string;
		/** Base32 TOTP secret. */
		secret: string;
		/** The last 30-second step whose code was used (each code works once). */
		last_step: number | null;
		created_at: string;
		/** Null while being set up. */
		confirmed_at: string | null;
	};
	staff_recovery_code: {
		id: string;
		school_id: string;
		staff_id: string;
		/** SHA-256 of the normalised code. */
		code_hash: string;
		used_at: string | null;
	};
	class: {
		id: string;
		school_id: string;
		name: string;
		year_group: number;
		key_stage: KeyStage;
		archived_at: string | null;
		created_at: string;
		signed_out_at: string | null;
		picture_passwords: 'on' | null;
	};
	class_staff: {
		class_id: string;
		staff_id: string;
		school_id: string;
		cover_from: string | null;
		cover_until: string | null;
		/** 'yes' while the assignment waits for the DSL's approval: it gives no sight of the class. */
		pending_approval: 'yes' | null;
	};
	password_link: {
		token_hash: string;
		school_id: string;
		staff_id: string;
		made_by: string | null;
		made_at: string;
		expires_at: string;
		used_at: string | null;
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
		/** The key the hash was made with ('sha256-legacy': before keys, plain SHA-256). */
		key_id: Generated<string>;
	};
	audit_head: { school_id: string; last_hash: string };
	dsl_notice: {
		id: string;
		school_id: string;
		at: string;
		kind: string;
		actor_id: string | null;
		staff_id: string | null;
		/** JSON: what the notice says, beyond its kind (a role, a class name...). */
		detail: string;
		seen_at: string | null;
	};
	/** A school's key pair for sealed outbox items (the private half sealed; see device-key.service). */
	device_key: {
		id: string;
		school_id: string;
		created_at: string;
		public_jwk: string;
		private_sealed: string;
	};
	device: {
		id: string;
		school_id: string;
		name: string;
		kind: 'class' | 'trip';
		token_hash: string;
		enrolled_by: string;
		enrolled_at: string;
		last_seen_at: string | null;
		app_version: string | null;
		queued_items: number | null;
		storage_persisted: 'yes' | 'no' | null;
		signed_in_pupil_id: string | null;
		revoked_at: string | null;
		parked_items: number | null;
	};
	picture_password: {
		pupil_id: string;
		school_id: string;
		salt: string;
		hash: string;
		iterations: number;
		set_at: string;
		unlocked_at: string | null;
		locked_at: string | null;
	};
	device_class: { device_id: string; class_id: string; school_id: string };
	enrolment_code: {
		code_hash: string;
		school_id: string;
		created_by: string;
		device_name: string;
		class_ids: string;
		created_at: string;
		expires_at: string;
		used_at: string | null;
	};
	pupil_card: {
		card_id: string;
		school_id: string;
		pupil_id: string;
		secret_hash: string;
		issued_by: string;
		issued_at: string;
		expires_at: string;
		revoked_at: string | null;
	};
	device_event: {
		id: string;
		school_id: string;
		device_id: string;
		at: string;
		kind:
			'signed-in' | 'scan-failed' | 'other-class-card' | 'picture-locked' | 'replaced-card-used';
		pupil_id: string | null;
		detail: string;
	};
	report: {
		id: string;
		school_id: string;
		device_id: string;
		pupil_id: string | null;
		created_on_device: string;
		received_at: string;
		topic: WorryTopic;
		feeling: Feeling | null;
		words: string | null;
		has_drawing: number;
		has_voice: number;
		talk_to: string | null;
		audience: Audience;
		urgent: number;
		lang: string;
		body_hash: string;
		identity_doubt: IdentityDoubt | null;
	};
	report_class: { report_id: string; class_id: string; school_id: string; received_at: string };
	report_attachment: {
		report_id: string;
		kind: 'drawing' | 'voice';
		mime: string;
		data: string;
		seconds: number | null;
	};
	report_event: {
		seq: Generated<number>;
		id: string;
		report_id: string;
		school_id: string;
		at: string;
		actor_id: string | null;
		actor_role: StaffRole | null;
		kind: string;
		body: string;
	};
	report_alert: { report_id: string; school_id: string; alerted_at: string; minutes: number };
	/** E-mail alerts (see domain/alerts.ts): one row an alert, one a recipient, never deleted. */
	alert: {
		id: string;
		school_id: string;
		kind: string;
		subject_type: string;
		subject_id: string;
		created_at: string;
	};
	alert_email: {
		id: string;
		alert_id: string;
		school_id: string;
		recipient_kind: string;
		staff_id: string | null;
		address: string;
		address_key: string;
		state: AlertEmailState;
		tries: number;
		next_try_at: string;
		claim: string | null;
		claimed_at: string | null;
		sent_at: string | null;
		problem: AlertProblem | null;
		problem_at: string | null;
	};
	/** Deputies and out-of-hours contacts the DSL chose; `removed_at` when taken off. */
	alert_recipient: {
		id: string;
		school_id: string;
		kind: 'deputy' | 'contact';
		staff_id: string | null;
		name: string | null;
		email: string | null;
		added_by: string;
		added_at: string;
		removed_by: string | null;
		removed_at: string | null;
	};
	parked_submission: {
		id: string;
		school_id: string;
		device_id: string;
		item_id: string | null;
		received_at: string;
		reason: string;
		body: string;
	};
	lesson_attempt: {
		id: string;
		school_id: string;
		device_id: string;
		pupil_id: string;
		class_id: string;
		lesson_id: string;
		lesson_version: string;
		lang: string;
		started_at: string;
		completed_at: string;
		received_at: string;
		correct: number;
		total: number;
		body_hash: string;
	};
	lesson_answer: {
		attempt_id: string;
		school_id: string;
		class_id: string;
		lesson_id: string;
		question_id: string;
		strand: string;
		scored: number;
		first_time: number;
		tries: number;
		given: string;
	};
	consent_use: {
		id: string;
		school_id: string;
		key: string | null;
		name: string;
		allowed_when_unanswered: number;
		position: number;
		created_at: string;
		retired_at: string | null;
		/** 1 when the school's policy never allows this use (added 2026-12-02; default 0). */
		never_allowed: Generated<number>;
	};
	consent_setting: {
		school_id: string;
		needs_all_carers: number;
		changed_by: string;
		changed_at: string;
	};
	pupil_carers: {
		id: string;
		school_id: string;
		pupil_id: string;
		carers: number;
		set_by: string;
		set_at: string;
	};
	consent_record: {
		id: string;
		school_id: string;
		pupil_id: string;
		use_id: string;
		decision: Decision;
		given_by: string;
		relationship: string;
		given_on: string;
		valid_from: string;
		valid_until: string | null;
		source: ConsentSource;
		recorded_by: string;
		recorded_at: string;
		import_id: string | null;
	};
	consent_import_memory: {
		school_id: string;
		memory_key: string;
		/** JSON: see ImportMemory in consent-import.ts. */
		value: string;
		updated_by: string;
		updated_at: string;
	};
	pupil_no_photos: {
		id: string;
		school_id: string;
		pupil_id: string;
		on_list: number;
		reason: string | null;
		set_by: string;
		set_at: string;
	};
	trip_device: {
		device_id: string;
		school_id: string;
		group_name: string;
		taken_by: string;
		taken_at: string;
		ends_at: string;
		grace_hours: number;
		pupil_count: number;
		/** JSON array of the pupil ids the list held. */
		pupil_ids: string;
	};
	trip_check: {
		id: string;
		school_id: string;
		device_id: string;
		staff_id: string;
		use_id: string;
		/** JSON arrays of pupil ids. */
		pupil_ids: string;
		answer: 'allowed' | 'not-allowed' | 'check';
		not_allowed: string;
		to_check: string;
		how: 'scan' | 'search';
		is_group: number;
		checked_at: string;
		received_at: string;
		body_hash: string;
	};
}
