import type { Cookies } from '@sveltejs/kit';
import { isLocked, secondsToWait, afterFailure, type LockState } from '$lib/domain/sign-in-policy';
import {
	isIdle,
	retryAfterSeconds,
	take,
	type Bucket,
	type BucketRule
} from '$lib/domain/sign-in-throttle';
import type { AppContext, Db, StaffActor } from '../context';
import { secureCookie } from '../cookies';
import type { HashTurn } from '../hash-gate';
import { hashToken, newSecret } from '../ids';
import { appendAudit, noSchool } from '../repositories/audit.repository';
import {
	countKnownDeviceFailure,
	findKnownDevice,
	insertKnownDevice,
	markKnownDeviceUsed,
	pruneKnownDevices
} from '../repositories/known-device.repository';
import { getLock } from '../repositories/sign-in-lock.repository';
import { findStaffByEmail, type StaffRecord } from '../repositories/staff.repository';

/**
 * Sign-in throttling, all checked before any password is hashed or any row written:
 *
 * - a rate limit per client address (with back-off) and one for the whole server, as token
 *   buckets kept in memory in this process (`$lib/domain/sign-in-throttle.ts`). Behind a
 *   reverse proxy, adapter-node must be told which header holds the client's address
 *   (`ADDRESS_HEADER=X-Forwarded-For` and `XFF_DEPTH`), or every sign-in shares the proxy's;
 * - one try at a time per account, so a burst cannot run past the slow-down: tries that arrive
 *   together wait in a short line (a double-click is answered, not refused), and more are
 *   refused at once;
 * - the account's slow-down (`$lib/domain/sign-in-policy.ts`), except on a known device: a
 *   browser the person has signed in on before, shown by a long-lived HttpOnly cookie whose
 *   random token is kept only as a hash. A known device still meets the per-address limit,
 *   but not the global one, and waits at the front of the hashing queue. After the policy's
 *   number of wrong passwords sent with it, the cookie no longer helps until a success;
 * - emails nobody has write no rows: their slow-down is kept here, in a bounded map, and
 *   their failures are audited at most once per address per quarter hour, with a count of
 *   those not written.
 *
 * - second-factor codes (the code page, enrolment) meet the same per-address limit and wait in
 *   the same line, so each wrong code is counted before the next is compared
 *   (`enterCodeCheck`); a session that has passed every check answers only for its own wrong
 *   tries (`countSessionFailure`), never for a stranger's.
 *
 * Several app processes each keep their own buckets, so the limits are per process.
 */
export interface SignInAttempt {
	/** The client's address (`event.getClientAddress()`); without one no rate limit applies. */
	address?: string;
	/** The known-device cookie sent with the sign-in, if any. */
	knownDevice?: string | null;
}

export type SignInRefusal = {
	ok: false;
	reason: 'locked' | 'throttled';
	/** For the Retry-After header. */
	retryAfterSeconds: number;
};

export interface SignInGate {
	ok: true;
	/** The account, or undefined for an email nobody has. */
	staff: StaffRecord | undefined;
	lock: LockState;
	/** The known-device cookie's hash when it is valid for this account. */
	device: string | null;
	hashTurn: HashTurn;
	/** Ends this try's claim on the account; call once the try is over. */
	leave(): void;
}

export const knownDeviceCookie = 'lantern_known_device';
const knownDeviceDays = 180;
const devicesKeptPerPerson = 10;
/** At most this many addresses and unknown emails are remembered; the least recent go first. */
const maxRemembered = 10_000;
const unknownAuditWindowMinutes = 15;
const busyRetrySeconds = 2;
/** Tries at one account that may wait while another is checked. */
const accountLineLength = 3;
/**
 * Second-factor codes that may wait their turn at one account. Longer than the policy's number
 * of failures, so a burst is checked one by one up to the slow-down, then turned away by it.
 */
const codeLineLength = 10;

interface AccountLine {
	/** Tries in the line, the one being checked included. */
	count: number;
	/** Settles when the last try in the line is over. */
	tail: Promise<void>;
}

/** What this process remembers of one session's own tries (keyed by the session id's hash). */
interface SessionTries {
	/** Wrong codes or current passwords sent with this session. */
	failures: number;
	/** The known device a half-signed-in session was started on, if any. */
	device: string | null;
}

interface ThrottleState {
	addresses: Map<string, Bucket>;
	sessions: Map<string, SessionTries>;
	global: Bucket | undefined;
	lines: Map<string, AccountLine>;
	unknownLocks: Map<string, LockState>;
	unknownAudit: Map<string, { windowStart: number; notRecorded: number }>;
}

// One state per app context: one per process in the app, one per test database in tests.
const states = new WeakMap<AppContext, ThrottleState>();

function stateOf(ctx: AppContext): ThrottleState {
	let state = states.get(ctx);
	if (!state) {
		state = {
			addresses: new Map(),
			sessions: new Map(),
			global: undefined,
			lines: new Map(),
			unknownLocks: new Map(),
			unknownAudit: new Map()
		};
		states.set(ctx, state);
	}
	return state;
}

function rules(ctx: AppContext): { address: BucketRule; global: BucketRule } {
	const limits = ctx.config.signInThrottle;
	return {
		address: { perMinute: limits.perAddressPerMinute, backOff: true, maxWaitMs: 15 * 60_000 },
		global: { perMinute: limits.globalPerMinute, backOff: false, maxWaitMs: 60_000 }
	};
}

/** Map.set that keeps insertion order as "least recently used first" and the size bounded. */
function remember<V>(map: Map<string, V>, key: string, value: V, canDrop?: (v: V) => boolean) {
	map.delete(key);
	map.set(key, value);
	if (map.size <= maxRemembered) return;
	for (const [k, v] of map) {
		if (map.size <= maxRemembered) return;
		if (!canDrop || canDrop(v)) map.delete(k);
	}
	// Everything is busy: drop the least recent anyway, rather than grow without end.
	for (const k of map.keys()) {
		if (map.size <= maxRemembered) return;
		map.delete(k);
	}
}

function refusal(reason: SignInRefusal['reason'], seconds: number): SignInRefusal {
	return { ok: false, reason, retryAfterSeconds: Math.max(1, seconds) };
}

export function busyRefusal(): SignInRefusal {
	return refusal('throttled', busyRetrySeconds);
}

/**
 * The checks before a password is looked at. Must be called before anything is awaited in
 * the sign-in, so that the claim on the account is taken at once.
 */
export async function enterSignIn(
	ctx: AppContext,
	email: string,
	attempt: SignInAttempt = {}
): Promise<SignInGate | { ok: false; refusal: SignInRefusal }> {
	const state = stateOf(ctx);
	// Synchronous, before the first await: of tries that arrive together, the first is checked,
	// a few wait their turn, and the rest are refused (unless they come from a known device).
	const place = joinLine(state, email);
	const refuse = (r: SignInRefusal) => {
		place?.leave();
		return { ok: false as const, refusal: r };
	};
	try {
		const staff = await findStaffByEmail(ctx.db, email);
		const device = staff
			? await validDevice(ctx, staff, attempt.knownDevice, ctx.clock.now())
			: null;
		if (!place && !device) return refuse(busyRefusal());
		await place?.turn;

		const now = ctx.clock.now();
		if (attempt.address !== undefined) {
			const rule = rules(ctx);
			const at = now.getTime();
			const byAddress = take(state.addresses.get(attempt.address), at, rule.address);
			remember(state.addresses, attempt.address, byAddress.bucket, (b) =>
				isIdle(b, at, rule.address)
			);
			if (!byAddress.ok) return refuse(refusal('throttled', retryAfterSeconds(byAddress.waitMs)));
			if (!device) {
				const overall = take(state.global, at, rule.global);
				state.global = overall.bucket;
				if (!overall.ok) return refuse(refusal('throttled', retryAfterSeconds(overall.waitMs)));
			}
		}

		const lock = staff
			? await getLock(ctx.db, email)
			: (state.unknownLocks.get(email) ?? { failures: 0, lockedUntil: null });
		if (!device && isLocked(lock, now)) return refuse(refusal('locked', secondsToWait(lock, now)));

		return {
			ok: true,
			staff,
			lock,
			device,
			hashTurn: { refuseWhenFull: true, priority: device !== null },
			leave: () => place?.leave()
		};
	} catch (failure) {
		place?.leave();
		throw failure;
	}
}

/** A place in the account's line: `turn` settles when the tries ahead are over. */
function joinLine(
	state: ThrottleState,
	email: string,
	length = accountLineLength
): { turn: Promise<void>; leave(): void } | null {
	const line = state.lines.get(email) ?? { count: 0, tail: Promise.resolve() };
	if (line.count > length) return null;
	const turn = line.tail;
	let done = () => {};
	line.tail = new Promise<void>((resolve) => (done = resolve));
	line.count += 1;
	state.lines.set(email, line);
	let left = false;
	return {
		turn,
		leave: () => {
			if (left) return;
			left = true;
			line.count -= 1;
			if (line.count === 0) state.lines.delete(email);
			done();
		}
	};
}

/**
 * The checks before a second-factor code is compared (the code page and enrolment): the same
 * per-address limit as signing in, and one code at a time per account, in the same line as its
 * sign-ins, so every wrong code is counted before the next is looked at.
 */
export async function enterCodeCheck(
	ctx: AppContext,
	email: string,
	attempt: SignInAttempt = {}
): Promise<{ ok: true; leave(): void } | { ok: false; refusal: SignInRefusal }> {
	const state = stateOf(ctx);
	const place = joinLine(state, email, codeLineLength);
	if (!place) return { ok: false, refusal: busyRefusal() };
	try {
		await place.turn;
		if (attempt.address !== undefined) {
			const rule = rules(ctx).address;
			const at = ctx.clock.now().getTime();
			const byAddress = take(state.addresses.get(attempt.address), at, rule);
			remember(state.addresses, attempt.address, byAddress.bucket, (b) => isIdle(b, at, rule));
			if (!byAddress.ok) {
				place.leave();
				return { ok: false, refusal: refusal('throttled', retryAfterSeconds(byAddress.waitMs)) };
			}
		}
		return { ok: true, leave: () => place.leave() };
	} catch (failure) {
		place.leave();
		throw failure;
	}
}

/** A half-signed-in session started on a known device: it may finish while the account is slowed down. */
export function rememberSessionDevice(ctx: AppContext, sessionHash: string, device: string): void {
	const sessions = stateOf(ctx).sessions;
	const tries = sessions.get(sessionHash) ?? { failures: 0, device: null };
	remember(sessions, sessionHash, { ...tries, device });
}

export function sessionDevice(ctx: AppContext, sessionHash: string): string | null {
	return stateOf(ctx).sessions.get(sessionHash)?.device ?? null;
}

/**
 * One more wrong code or current password sent with this session; returns how many it has
 * sent. A session that has passed the second factor answers only for its own tries, never
 * for failures made elsewhere (kept in memory: a restart forgets them, which only helps the
 * person, and the account's own count is in the database).
 */
export function countSessionFailure(ctx: AppContext, sessionHash: string): number {
	const sessions = stateOf(ctx).sessions;
	const tries = sessions.get(sessionHash) ?? { failures: 0, device: null };
	const next = { ...tries, failures: tries.failures + 1 };
	remember(sessions, sessionHash, next);
	return next.failures;
}

export function forgetSession(ctx: AppContext, sessionHash: string): void {
	stateOf(ctx).sessions.delete(sessionHash);
}

async function validDevice(
	ctx: AppContext,
	staff: Pick<StaffRecord, 'schoolId' | 'id'>,
	token: string | null | undefined,
	now: Date
): Promise<string | null> {
	if (!token || token.length > 200) return null;
	const idHash = hashToken(token);
	const row = await findKnownDevice(ctx.db, staff.schoolId, staff.id, idHash);
	if (!row) return null;
	const fresh = now.getTime() - new Date(row.lastUsedAt).getTime() < knownDeviceDays * 86_400_000;
	return fresh && row.failures < ctx.config.signIn.maxFailures ? idHash : null;
}

/**
 * A wrong password for an email nobody has: the slow-down is kept in memory, as for a real
 * account (so the answers match), and the audit gets at most one row per address per window.
 */
export async function unknownEmailFailed(
	ctx: AppContext,
	email: string,
	attempt: SignInAttempt = {}
): Promise<LockState> {
	const state = stateOf(ctx);
	const now = ctx.clock.now();
	const previous = state.unknownLocks.get(email) ?? { failures: 0, lockedUntil: null };
	const next = afterFailure(previous, now, ctx.config.signIn);
	remember(state.unknownLocks, email, next, (l) => !isLocked(l, now));

	const address = attempt.address ?? '';
	const windowMs = unknownAuditWindowMinutes * 60_000;
	const seen = state.unknownAudit.get(address);
	if (seen && now.getTime() - seen.windowStart < windowMs) {
		remember(state.unknownAudit, address, { ...seen, notRecorded: seen.notRecorded + 1 });
		return next;
	}
	remember(state.unknownAudit, address, { windowStart: now.getTime(), notRecorded: 0 });
	await ctx.db.transaction().execute(async (trx) => {
		await appendAudit(trx, {
			schoolId: noSchool,
			at: now,
			actorId: null,
			action: 'staff.sign-in-failed',
			subjectType: 'staff',
			subjectId: null,
			detail: {
				unknownEmail: true,
				address: address || null,
				// Failures from this address in its last window that had no row of their own.
				notRecorded: seen?.notRecorded ?? 0,
				windowMinutes: unknownAuditWindowMinutes
			}
		});
	});
	return next;
}

/** A wrong password sent with a known-device cookie counts against that cookie. */
export async function knownDeviceFailed(db: Db, gate: SignInGate): Promise<void> {
	if (gate.device && gate.staff)
		await countKnownDeviceFailure(db, gate.staff.schoolId, gate.device);
}

export async function knownDeviceSucceeded(db: Db, gate: SignInGate, now: Date): Promise<void> {
	if (gate.device && gate.staff)
		await markKnownDeviceUsed(db, gate.staff.schoolId, gate.device, now);
}

/** The answer to a failed password once the failure is counted. */
export function failureAnswer(
	next: LockState,
	now: Date
): { ok: false; reason: 'refused' } | SignInRefusal {
	return isLocked(next, now)
		? refusal('locked', secondsToWait(next, now))
		: { ok: false, reason: 'refused' };
}

/** A new known device for this person; returns the token for the cookie. */
export async function issueKnownDevice(ctx: AppContext, actor: StaffActor): Promise<string> {
	const now = ctx.clock.now();
	const token = newSecret();
	await ctx.db.transaction().execute(async (trx) => {
		await pruneKnownDevices(
			trx,
			actor.schoolId,
			actor.staffId,
			new Date(now.getTime() - knownDeviceDays * 86_400_000),
			devicesKeptPerPerson - 1
		);
		await insertKnownDevice(trx, actor.schoolId, actor.staffId, hashToken(token), now);
	});
	return token;
}

/**
 * After a complete, successful sign-in: this browser becomes a known device for this person
 * (or stays one), so a stranger's failed tries cannot keep them out. The cookie is only sent
 * to the sign-in pages.
 */
export async function rememberDevice(
	ctx: AppContext,
	cookies: Cookies,
	url: URL,
	actor: StaffActor
): Promise<void> {
	const current = cookies.get(knownDeviceCookie);
	const staff = { schoolId: actor.schoolId, id: actor.staffId };
	const known = await validDevice(ctx, staff, current, ctx.clock.now());
	const token = known && current ? current : await issueKnownDevice(ctx, actor);
	cookies.set(knownDeviceCookie, token, {
		path: '/signin',
		httpOnly: true,
		secure: secureCookie(url, ctx.config),
		sameSite: 'strict',
		maxAge: knownDeviceDays * 86_400
	});
}
