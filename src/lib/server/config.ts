import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { SchoolYearEnd } from '$lib/domain/pupil-card';
import { defaultSchoolHours, type SchoolHours } from '$lib/domain/report';
import type { PupilIdleLimits } from '$lib/domain/pupil-session';
import type { SecondFactorMode } from '$lib/domain/second-factor';
import type { SignInPolicy } from '$lib/domain/sign-in-policy';
import { defaultGraceHours, defaultMaxAgeHours } from '$lib/domain/trip';

/** Everything an operator can set, read once from the environment and checked. */
const envSchema = z.object({
	DATABASE_URL: z.string().url().optional(),
	LANTERN_DB_FILE: z.string().default('data/lantern.sqlite'),
	LANTERN_AUDIT_KEY: z.string().optional(),
	LANTERN_AUDIT_KEY_FILE: z.string().optional(),
	LANTERN_AUDIT_CHECKPOINT_FILE: z.string().optional(),
	LANTERN_AUDIT_CHECKPOINT_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),
	LANTERN_MAX_FAILED_SIGNINS: z.coerce.number().int().min(1).max(100).default(6),
	LANTERN_LOCK_MINUTES: z.coerce
		.number()
		.int()
		.min(1)
		.max(24 * 60)
		.default(15),
	LANTERN_SIGNIN_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
	LANTERN_SIGNIN_GLOBAL_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
	LANTERN_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
	LANTERN_HASH_QUEUE: z.coerce.number().int().min(0).max(10_000).default(8),
	LANTERN_STAFF_IDLE_MINUTES: z.coerce
		.number()
		.min(0.05)
		.max(24 * 60)
		.default(10),
	LANTERN_INSECURE_COOKIES: z.enum(['0', '1']).default('0'),
	LANTERN_SECOND_FACTOR: z.enum(['dsl-admin', 'all']).default('dsl-admin'),
	LANTERN_DEVICE_KEY_SECRET: z
		.string()
		.regex(/^[A-Za-z0-9+/]{43}=$/, 'use 32 random bytes in base64, e.g. `openssl rand -base64 32`')
		.optional(),
	LANTERN_DEVICE_KEY_FILE: z.string().min(1).optional(),
	LANTERN_CARD_EXPIRY: z
		.string()
		.regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'use MM-DD, e.g. 08-31')
		.default('08-31'),
	LANTERN_PUPIL_IDLE_KS1_MINUTES: z.coerce.number().min(0.1).max(120).default(5),
	LANTERN_PUPIL_IDLE_KS2_MINUTES: z.coerce.number().min(0.1).max(120).default(10),
	LANTERN_UNSEEN_ALERT_MINUTES: z.coerce.number().int().min(1).max(600).default(30),
	LANTERN_TRIP_GRACE_HOURS: z.coerce.number().int().min(0).max(72).default(defaultGraceHours),
	LANTERN_TRIP_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(240).default(defaultMaxAgeHours),
	LANTERN_SCHOOL_HOURS: z
		.string()
		.regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM-HH:MM, e.g. 08:30-15:30')
		.default('08:30-15:30'),
	LANTERN_SMTP_URL: z
		.string()
		.url()
		.refine(
			(url) => /^smtps?:$/.test(new URL(url).protocol),
			'use smtp://host:587 or smtps://host:465, with user:password@ if the relay needs them'
		)
		.optional(),
	LANTERN_SMTP_FROM: z.string().min(3).max(254).optional(),
	LANTERN_SMTP_STARTTLS: z.enum(['required', 'optional']).optional(),
	ORIGIN: z.string().url().optional(),
	LANTERN_TIME_ZONE: z
		.string()
		.refine((zone) => {
			try {
				new Intl.DateTimeFormat('en-GB', { timeZone: zone });
				return true;
			} catch {
				return false;
			}
		}, 'use a time zone name, e.g. Europe/London')
		.default('Europe/London')
});

export interface LanternConfig {
	databaseUrl: string | undefined;
	databaseFile: string;
	/** The audit chain's keys and its checkpoint file: never in the database. */
	audit: AuditSettings;
	signIn: SignInPolicy;
	/** Sign-in tries a minute, per client address and for the whole server (`sign-in-throttle.ts`). */
	signInThrottle: { perAddressPerMinute: number; globalPerMinute: number };
	/** Password hashes that may run at once, and sign-ins that may wait for one (`hash-gate.ts`). */
	hashing: { concurrency: number; queue: number };
	/** Who must use a second factor (an authenticator app's code) after the password. */
	secondFactor: SecondFactorMode;
	/** Only for plain-HTTP test servers on loopback; never in a school. */
	insecureCookies: boolean;
	/**
	 * What seals each school's private device key in the database: `secret` (base64, 32 bytes)
	 * if set, else a key file (made on first use) at `file`, or beside the SQLite file.
	 */
	deviceKey: { secret: string | undefined; file: string | undefined };
	/** Pupil cards stop working after this day each year. */
	schoolYearEnd: SchoolYearEnd;
	pupilIdle: PupilIdleLimits;
	/** A report nobody has opened after this many school minutes alerts the DSL. */
	unseenAlertMinutes: number;
	schoolHours: SchoolHours;
	/** A trip list wipes itself this long after the trip's end; past `maxAgeHours` "allowed" shows as "check". */
	trip: { graceHours: number; maxAgeHours: number };
	/** E-mail alerts through the school's relay; null when e-mail is not set up. */
	smtp: SmtpSettings | null;
	/** The address staff reach Lantern at (adapter-node's ORIGIN), for links in e-mails. */
	origin: string | undefined;
}

export interface SmtpSettings {
	/** smtp:// (STARTTLS) or smtps:// (TLS from the start), with user:password if needed. */
	url: string;
	/** The From address, e.g. `Lantern <lantern@school.example>`. */
	from: string;
	/**
	 * smtp:// only: refuse to send unless the relay offers STARTTLS. Required by default, except
	 * for a relay on this machine (loopback), where nothing crosses the network.
	 */
	requireStartTls: boolean;
}

export interface AuditSettings {
	/** Keys given in the environment (base64 or hex, the first signs): wins over the key file. */
	key: string | undefined;
	/** A file of keys, one a line, the first signs. Next to the SQLite file unless set; PostgreSQL must set it or `key`. */
	keyFile: string | undefined;
	/** Signed checkpoints (count + head per school), appended and never rewritten. */
	checkpointFile: string;
	/** At most one checkpoint per school this often while entries are written. */
	checkpointSeconds: number;
}

export function readConfig(env: Record<string, string | undefined> = process.env): LanternConfig {
	const parsed = envSchema.safeParse(env);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		throw new Error(`Lantern's settings are not right:\n  ${problems.join('\n  ')}`);
	}
	const e = parsed.data;
	return {
		databaseUrl: e.DATABASE_URL,
		databaseFile: e.LANTERN_DB_FILE,
		audit: {
			key: e.LANTERN_AUDIT_KEY,
			keyFile:
				e.LANTERN_AUDIT_KEY_FILE ??
				(e.DATABASE_URL ? undefined : join(dirname(e.LANTERN_DB_FILE), 'audit.key')),
			checkpointFile:
				e.LANTERN_AUDIT_CHECKPOINT_FILE ??
				join(dirname(e.LANTERN_DB_FILE), 'audit-checkpoints.log'),
			checkpointSeconds: e.LANTERN_AUDIT_CHECKPOINT_SECONDS
		},
		signIn: {
			maxFailures: e.LANTERN_MAX_FAILED_SIGNINS,
			lockMinutes: e.LANTERN_LOCK_MINUTES,
			idleMinutes: e.LANTERN_STAFF_IDLE_MINUTES
		},
		signInThrottle: {
			perAddressPerMinute: e.LANTERN_SIGNIN_PER_ADDRESS_PER_MINUTE,
			globalPerMinute: e.LANTERN_SIGNIN_GLOBAL_PER_MINUTE
		},
		hashing: { concurrency: e.LANTERN_HASH_CONCURRENCY, queue: e.LANTERN_HASH_QUEUE },
		insecureCookies: e.LANTERN_INSECURE_COOKIES === '1',
		secondFactor: e.LANTERN_SECOND_FACTOR,
		deviceKey: { secret: e.LANTERN_DEVICE_KEY_SECRET, file: e.LANTERN_DEVICE_KEY_FILE },
		schoolYearEnd: {
			month: Number(e.LANTERN_CARD_EXPIRY.slice(0, 2)),
			day: Number(e.LANTERN_CARD_EXPIRY.slice(3))
		},
		pupilIdle: {
			ks1Minutes: e.LANTERN_PUPIL_IDLE_KS1_MINUTES,
			ks2Minutes: e.LANTERN_PUPIL_IDLE_KS2_MINUTES
		},
		unseenAlertMinutes: e.LANTERN_UNSEEN_ALERT_MINUTES,
		trip: { graceHours: e.LANTERN_TRIP_GRACE_HOURS, maxAgeHours: e.LANTERN_TRIP_MAX_AGE_HOURS },
		smtp: e.LANTERN_SMTP_URL ? smtpSettings(e.LANTERN_SMTP_URL, e) : null,
		origin: e.ORIGIN,
		schoolHours: {
			...defaultSchoolHours,
			start: minutesOfDay(e.LANTERN_SCHOOL_HOURS.slice(0, 5)),
			end: minutesOfDay(e.LANTERN_SCHOOL_HOURS.slice(6)),
			timeZone: e.LANTERN_TIME_ZONE
		}
	};
}

function smtpSettings(
	url: string,
	e: { LANTERN_SMTP_FROM?: string | undefined; LANTERN_SMTP_STARTTLS?: string | undefined }
): SmtpSettings {
	const host = new URL(url).hostname;
	const loopback = host === 'localhost' || host === '[::1]' || host.startsWith('127.');
	return {
		url,
		from: e.LANTERN_SMTP_FROM ?? `Lantern <lantern@${loopback ? 'localhost' : host}>`,
		requireStartTls: e.LANTERN_SMTP_STARTTLS ? e.LANTERN_SMTP_STARTTLS === 'required' : !loopback
	};
}

function minutesOfDay(hhmm: string): number {
	return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}
