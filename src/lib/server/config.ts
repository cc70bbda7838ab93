import { z } from 'zod';
import type { SignInPolicy } from '$lib/domain/sign-in-policy';

/** Everything an operator can set, read once from the environment and checked. */
const envSchema = z.object({
	DATABASE_URL: z.string().url().optional(),
	LANTERN_DB_FILE: z.string().default('data/lantern.sqlite'),
	LANTERN_MAX_FAILED_SIGNINS: z.coerce.number().int().min(1).max(100).default(6),
	LANTERN_LOCK_MINUTES: z.coerce
		.number()
		.int()
		.min(1)
		.max(24 * 60)
		.default(30),
	LANTERN_STAFF_IDLE_MINUTES: z.coerce
		.number()
		.min(0.05)
		.max(24 * 60)
		.default(10),
	LANTERN_INSECURE_COOKIES: z.enum(['0', '1']).default('0')
});

export interface LanternConfig {
	databaseUrl: string | undefined;
	databaseFile: string;
	signIn: SignInPolicy;
	/** Only for plain-HTTP test servers on loopback; never in a school. */
	insecureCookies: boolean;
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
		signIn: {
			maxFailures: e.LANTERN_MAX_FAILED_SIGNINS,
			lockMinutes: e.LANTERN_LOCK_MINUTES,
			idleMinutes: e.LANTERN_STAFF_IDLE_MINUTES
		},
		insecureCookies: e.LANTERN_INSECURE_COOKIES === '1'
	};
}
