import { getContext, setContext } from 'svelte';
import { groupAnswer, tripAnswer, type TripAnswer } from '$lib/domain/consent';
import { parseCardToken } from '$lib/domain/pupil-card';
import {
	ageHours,
	nameIndex,
	searchNames,
	tripCheckSchema,
	tripDownloadSchema,
	tripSnapshotSchema,
	wipeAt,
	type NameIndex,
	type SnapshotRequest,
	type TripCheck,
	type TripSnapshot
} from '$lib/domain/trip';
import { logTripCheck, outboxCounts, tripCheckRecords, wipeTrip } from '../device-store';
import { readTrip, saveTrip, type TripRecord } from './trip-record';
import { drainOutbox } from '../outbox';
import { whenBackInReach } from '../back-in-reach';
import { queueTripCheck } from './trip-outbox';
import { maxWrongPins, pinProblem, seal, unseal } from './sealed';
import { endTripHere } from './trip-end';

export type TripPupil = TripSnapshot['pupils'][number];
export type TripState = 'loading' | 'unavailable' | 'setup' | 'locked' | 'unlocked';
export type WipeReason = 'wrong-pins' | 'ended' | 'revoked' | 'signed-out';

/** The answer for one pupil or a group, as the full-screen answer shows it. */
export interface CheckResult {
	answer: TripAnswer;
	useName: string;
	/** The school never allows this use: "Not allowed (school rule)", for everyone. */
	schoolRule: boolean;
	pupils: TripPupil[];
	/** Of a group, who is not allowed, and who needs a check with the trip lead. */
	notAllowed: TripPupil[];
	toCheck: TripPupil[];
	group: boolean;
	/** False when the device could not even keep the log (storage full): said on screen. */
	logged: boolean;
}

export interface TripDeviceOptions {
	/** Where the server is: '' in the browser. */
	origin?: string;
	/** Staff lock the list after this long untouched (the school's idle rule for staff). */
	idleLockMs?: number;
	iterations?: number;
}

const clockEveryMs = 15_000;

/** This trip's checks, newest first (anything unreadable is left out of the list shown). */
export async function tripChecks(): Promise<TripCheck[]> {
	return (await tripCheckRecords())
		.flatMap((c) => {
			const parsed = tripCheckSchema.safeParse(c);
			return parsed.success ? [parsed.data] : [];
		})
		.sort((a, b) => b.checkedAt.localeCompare(a.checkedAt));
}
const syncEveryMs = 60_000;

/**
 * A trip device as the photo-check screen sees it. The list is sealed in IndexedDB; pupils'
 * names exist only in memory, and only while unlocked. The device wipes the list after five
 * wrong PINs, at the trip's end plus the grace period (by its own clock, online or not), on
 * "End the trip", and when the server says it was revoked.
 */
export class TripDevice {
	state = $state<TripState>('loading');
	/** Why the list was wiped, shown once on the set-up screen. */
	wiped = $state<WipeReason | null>(null);
	record = $state<TripRecord | null>(null);
	snapshot = $state.raw<TripSnapshot | null>(null);
	/** The clock the screen shows ages and answers by; ticks with the timers. */
	now = $state(Date.now());
	/** When the server last answered this device. */
	lastContactAt = $state<number | null>(null);
	outbox = $state({ waiting: 0, attention: 0 });
	log = $state.raw<TripCheck[]>([]);

	#index: NameIndex<TripPupil> | null = null;
	#options: Required<TripDeviceOptions>;
	#lastTouch = Date.now();
	#timers: ReturnType<typeof setInterval>[] = [];
	#listeners: (() => void)[] = [];

	constructor(options: TripDeviceOptions = {}) {
		this.#options = {
			origin: options.origin ?? '',
			idleLockMs: options.idleLockMs ?? 10 * 60_000,
			iterations: options.iterations ?? 0
		};
	}

	async start(): Promise<void> {
		this.stop();
		try {
			this.record = await readTrip();
		} catch {
			this.state = 'unavailable';
			return;
		}
		this.now = Date.now();
		if (this.record && this.now >= wipeAt(this.record)) await this.wipe('ended');
		this.state = this.record ? 'locked' : 'setup';
		const sync = () => void this.sync();
		this.#listeners.push(whenBackInReach(sync));
		this.#timers.push(
			setInterval(() => void this.#tick(), clockEveryMs),
			setInterval(sync, syncEveryMs)
		);
		await this.#refreshCounts();
		sync();
	}

	stop(): void {
		this.#timers.forEach(clearInterval);
		this.#listeners.forEach((remove) => remove());
		this.#timers = [];
		this.#listeners = [];
	}

	/** Any tap or key press: the list stays unlocked while it is being used. */
	touch(): void {
		this.#lastTouch = Date.now();
	}

	/** The clock: wipe at the end of the trip, lock when left alone. */
	async #tick(): Promise<void> {
		this.now = Date.now();
		if (this.record && this.now >= wipeAt(this.record)) return this.wipe('ended');
		if (this.state === 'unlocked' && this.now - this.#lastTouch >= this.#options.idleLockMs)
			this.lock();
	}

	/** Sends logged checks, then asks whether the list is still open; a revoked one is wiped. */
	async sync(): Promise<void> {
		await drainOutbox({ force: true, origin: this.#options.origin }).catch(() => null);
		await this.#refreshCounts();
		// The list asked about is the one held after the outbox was sent (it may have changed).
		const record = this.record;
		if (!record) return;
		try {
			const response = await fetch(`${this.#options.origin}/api/device/trip`, {
				method: 'POST',
				headers: { authorization: `Bearer ${record.token}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					appVersion: __LANTERN_VERSION__,
					queuedItems: this.outbox.waiting,
					parkedItems: this.outbox.attention
				})
			});
			// An answer about a list this device no longer holds (wiped, or replaced) changes nothing.
			if (this.record !== record) return;
			if (response.status === 401) {
				await this.wipe('revoked');
				return;
			}
			const answer = (await response.json().catch(() => null)) as { open?: unknown } | null;
			if (response.ok && answer?.open === true) this.lastContactAt = Date.now();
		} catch {
			// Offline: the list works from what the device holds.
		}
	}

	/**
	 * Downloads the list for a trip and seals it under the PIN. Needs a signed-in member of
	 * staff and the network; returns a message key when it cannot.
	 */
	async download(request: SnapshotRequest, pin: string, pinAgain: string): Promise<string | null> {
		const problem = pinProblem(pin);
		if (problem) return problem;
		if (pin !== pinAgain) return 'trip.error.pinsDiffer';
		let response: Response;
		try {
			response = await fetch(`${this.#options.origin}/api/staff/trip/snapshot`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(request)
			});
		} catch {
			return 'trip.error.offline';
		}
		if (response.status === 401) return 'trip.error.signedOut';
		const body: unknown = await response.json().catch(() => null);
		if (!response.ok) {
			const error = (body as { error?: unknown } | null)?.error;
			return typeof error === 'string' && error.startsWith('trip.error.')
				? error
				: 'trip.error.download';
		}
		const parsed = tripDownloadSchema.safeParse(body);
		if (!parsed.success) return 'trip.error.download';
		const { snapshot } = parsed.data;
		const sealed = await seal(snapshot, pin, this.#options.iterations || undefined);
		const record: TripRecord = {
			deviceId: parsed.data.deviceId,
			token: parsed.data.token,
			takenAt: snapshot.takenAt,
			endsAt: snapshot.endsAt,
			graceHours: snapshot.graceHours,
			maxAgeHours: snapshot.maxAgeHours,
			wrongPins: 0,
			sealed
		};
		try {
			// A list taken on this device before is replaced: one trip at a time.
			await wipeTrip();
			await saveTrip(record);
		} catch {
			return 'trip.error.storage';
		}
		this.record = record;
		this.wiped = null;
		this.#open(snapshot);
		return null;
	}

	/** 'open', or how many tries are left; the fifth wrong PIN wipes the list. */
	async unlock(pin: string): Promise<{ ok: true } | { ok: false; triesLeft: number }> {
		const record = this.record;
		if (!record) return { ok: false, triesLeft: 0 };
		const value = await unseal(record.sealed, pin);
		// Wiped (revoked, or the trip is over) while the PIN was being checked: nothing to open.
		if (this.record !== record) return { ok: false, triesLeft: 0 };
		const parsed = tripSnapshotSchema.safeParse(value);
		if (value === null || !parsed.success) {
			const wrongPins = record.wrongPins + 1;
			if (wrongPins >= maxWrongPins) {
				await this.wipe('wrong-pins');
				return { ok: false, triesLeft: 0 };
			}
			this.record = { ...record, wrongPins };
			await saveTrip(this.record);
			return { ok: false, triesLeft: maxWrongPins - wrongPins };
		}
		if (record.wrongPins > 0) {
			this.record = { ...record, wrongPins: 0 };
			await saveTrip(this.record);
		}
		this.#open(parsed.data);
		return { ok: true };
	}

	#open(snapshot: TripSnapshot): void {
		this.snapshot = snapshot;
		this.#index = nameIndex(snapshot.pupils);
		this.touch();
		this.now = Date.now();
		this.state = 'unlocked';
		void tripChecks().then((log) => (this.log = log));
	}

	/** Forgets the names from memory; the sealed list stays. */
	lock(): void {
		this.snapshot = null;
		this.#index = null;
		this.log = [];
		if (this.record) this.state = 'locked';
	}

	/**
	 * "End the trip": wipes the list and tells the server through the outbox, so it hears even
	 * when the device is offline now. Unsent checks stay queued and go first.
	 */
	async endTrip(): Promise<void> {
		this.lock();
		await endTripHere('ended', this.#options.origin).catch(() => undefined);
		await this.wipe('signed-out');
	}

	async wipe(reason: WipeReason): Promise<void> {
		this.lock();
		await wipeTrip().catch(() => undefined);
		this.record = null;
		this.wiped = reason;
		this.state = 'setup';
		await this.#refreshCounts();
	}

	/** Hours since the list was downloaded. */
	get ageHours(): number {
		return this.record ? ageHours(this.record.takenAt, this.now) : 0;
	}

	/** Past its age limit, an "allowed" shows as "check with the trip lead". */
	get stale(): boolean {
		return this.record !== null && this.ageHours > this.record.maxAgeHours;
	}

	search(query: string): TripPupil[] {
		if (!this.#index) return [];
		const started = performance.now();
		const found = searchNames(this.#index, query);
		// Read by bench/trip.ts: how long each search takes on the device.
		performance.measure('lantern:trip-search', { start: started });
		return found;
	}

	/** The pupil on a card the camera read, by its card id (the list holds no secrets). */
	pupilOnCard(text: string): TripPupil | null {
		const parsed = parseCardToken(text);
		if (!parsed.ok || !this.snapshot) return null;
		return this.snapshot.pupils.find((p) => p.cardIds.includes(parsed.cardId)) ?? null;
	}

	answerFor(pupil: TripPupil, useId: string): TripAnswer {
		const at = this.snapshot?.uses.findIndex((u) => u.id === useId) ?? -1;
		// A use the school never allows is never allowed, whatever the list says.
		if (this.snapshot?.uses[at]?.neverAllowed === true) return 'not-allowed';
		const verdict = pupil.verdicts[at] ?? 'not-allowed';
		return tripAnswer(verdict, this.ageHours, this.record?.maxAgeHours ?? 0);
	}

	/** Answers for one pupil or a group, and logs the check (sent through the outbox). */
	async check(
		pupils: TripPupil[],
		useId: string,
		how: TripCheck['how'],
		group: boolean
	): Promise<CheckResult | null> {
		const record = this.record;
		const use = this.snapshot?.uses.find((u) => u.id === useId);
		const useName = use?.name;
		if (!record || useName === undefined || pupils.length === 0) return null;
		this.now = Date.now();
		const answers = pupils.map((p) => ({ pupilId: p.id, answer: this.answerFor(p, useId) }));
		const together = groupAnswer(answers);
		const entry: TripCheck = {
			id: crypto.randomUUID(),
			useId,
			pupilIds: pupils.map((p) => p.id),
			answer: together.answer,
			notAllowed: together.notAllowed,
			toCheck: together.toCheck,
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a moment, not state
			checkedAt: new Date(this.now).toISOString(),
			how,
			group
		};
		let logged = true;
		try {
			await logTripCheck(entry);
			logged = (await queueTripCheck(entry, record.token, this.now)).ok;
		} catch {
			logged = false;
		}
		this.log = [entry, ...this.log];
		void this.#refreshCounts().then(() => this.sync());
		const byId = (ids: string[]) => pupils.filter((p) => ids.includes(p.id));
		return {
			answer: together.answer,
			useName,
			schoolRule: use?.neverAllowed === true,
			pupils,
			notAllowed: byId(together.notAllowed),
			toCheck: byId(together.toCheck),
			group,
			logged
		};
	}

	async #refreshCounts(): Promise<void> {
		this.outbox = await outboxCounts().catch(() => this.outbox);
	}
}

const key = Symbol('trip-device');
export const provideTripDevice = (device: TripDevice): TripDevice => setContext(key, device);
export const useTripDevice = (): TripDevice => getContext<TripDevice>(key);
