import { getContext, setContext } from 'svelte';
import type { DeviceEvent, Roster, RosterPupil } from '$lib/domain/device';
import { checkCard, parseCardToken } from '$lib/domain/pupil-card';
import { pupilIdleExpired } from '$lib/domain/pupil-session';
import {
	afterFailedScan,
	afterGoodScan,
	freshScanLimit,
	isPaused,
	type ScanLimit
} from '$lib/domain/scan-limiter';
import {
	afterWrongPictures,
	freshPictureLock,
	isLockedAnywhere,
	isPictureLocked,
	lockForPictures,
	picturePasswordInput,
	type Picture
} from '$lib/domain/picture-password';
import { pbkdf2Hex } from '$lib/shared/pbkdf2';
import { hashCard } from './card-hash';
import {
	queueEvent,
	readIdentity,
	readLock,
	readRoster,
	saveLock,
	waitingEvents,
	wipeDevice
} from './device-store';
import { drainOutbox } from './outbox';
import { whenBackInReach } from './back-in-reach';
import { refreshRoster, sendHeartbeat } from './roster-sync';

export type DeviceState = 'loading' | 'not-enrolled' | 'ready' | 'unavailable';
export type SignedInPupil = RosterPupil & {
	keyStage: 'EYFS' | 'KS1' | 'KS2';
	/** The card used to sign in (its id only), so work sent later can be checked against it. */
	cardId: string | null;
	/** Signed in with their picture password here (a report says so; the server checks it can be). */
	pictures: boolean;
};
export type SignOutReason = 'finished' | 'not-me' | 'idle' | 'teacher' | 'revoked';

const syncEveryMs = 60_000;
/** How often a device with something waiting looks again (each item keeps its own back-off). */
const outboxEveryMs = 5_000;

/**
 * A class iPad as the pupil screen sees it: enrolled or not, its roster, and the one pupil
 * signed in right now. The pupil lives only in memory: a reload, sign-out or idle timeout
 * leaves nothing of them on the device.
 */
export class PupilDevice {
	state = $state<DeviceState>('loading');
	roster = $state<Roster | null>(null);
	pupil = $state<SignedInPupil | null>(null);
	scanLimit = $state<ScanLimit>(freshScanLimit);
	/** A message key for the last scan that did not sign anyone in. */
	scanProblem = $state<string | null>(null);
	lastSignOut = $state<SignOutReason | null>(null);
	/** When the last sync with the server finished (whether or not it reached it). */
	syncedAt = $state<number | null>(null);
	/** True while the scanner rests after too many failed scans. */
	paused = $state(false);
	storagePersisted: boolean | null = null;
	/** Items in the outbox: waiting to send, and refused by the server (kept for staff). */
	outbox = $state({ waiting: 0, attention: 0 });

	/** The server's time of the roster the pupil signed in with (for a teacher's "sign everyone out"). */
	#signedInRosterAt = '';
	#lastFailed = { text: '', at: 0 };
	#lastActivity = 0;
	#timers: ReturnType<typeof setInterval>[] = [];
	#listeners: (() => void)[] = [];

	async start(): Promise<void> {
		this.stop();
		let identity;
		try {
			identity = await readIdentity();
			this.roster = identity ? await readRoster() : null;
		} catch {
			// No IndexedDB (private browsing, storage full or blocked): say so calmly.
			this.state = 'unavailable';
			return;
		}
		if (!identity) {
			this.state = 'not-enrolled';
			return;
		}
		this.state = 'ready';
		const sync = () => void this.sync();
		this.#listeners.push(whenBackInReach(sync));
		this.#timers.push(
			setInterval(sync, syncEveryMs),
			setInterval(() => this.#checkIdle(), 1000),
			setInterval(() => {
				if (this.outbox.waiting > 0) void this.sendOutbox();
			}, outboxEveryMs)
		);
		// The screen works from what the device holds; the server is asked in the background.
		sync();
	}

	stop(): void {
		this.#timers.forEach(clearInterval);
		this.#listeners.forEach((remove) => remove());
		this.#timers = [];
		this.#listeners = [];
	}

	/** Sends the outbox now (after a save, or when the network comes back). */
	async sendOutbox(force = false): Promise<void> {
		const result = await drainOutbox({ force }).catch(() => null);
		if (result) this.outbox = { waiting: result.waiting, attention: result.attention };
	}

	/** Send what is waiting, refresh the roster and report in; a revoked device wipes itself. */
	async sync(): Promise<void> {
		await this.sendOutbox(true);
		const outcome = await refreshRoster();
		if (outcome === 'revoked') return this.#wiped();
		if (outcome === 'updated') {
			this.roster = await readRoster();
			this.#applyTeacherSignOut();
		}
		const beat = await sendHeartbeat({
			appVersion: __LANTERN_VERSION__,
			queuedItems: (await waitingEvents()).length + this.outbox.waiting,
			parkedItems: this.outbox.attention,
			storagePersisted: this.storagePersisted,
			signedInPupilId: this.pupil?.id ?? null
		});
		if (beat === 'revoked') this.#wiped();
		this.syncedAt = Date.now();
	}

	/** What the camera read. Anything but a live card of this device's classes signs nobody in. */
	async scanned(text: string): Promise<void> {
		const now = Date.now();
		if (this.pupil || !this.roster || isPaused(this.scanLimit, now)) return;
		// The camera reads the same code ten times a second: one card held up is one try.
		if (text === this.#lastFailed.text && now - this.#lastFailed.at < 2000) return;
		const parsed = parseCardToken(text);
		const hash = parsed.ok ? await hashCard(parsed.cardId, parsed.secret) : null;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a moment, not state
		const check = checkCard(parsed, hash, this.roster.cards, new Date(now));
		const pupil = check.ok ? this.roster.pupils.find((p) => p.id === check.pupilId) : undefined;
		if (pupil) {
			this.scanLimit = afterGoodScan();
			this.scanProblem = null;
			this.signIn(pupil, parsed.ok ? parsed.cardId : null);
			return;
		}
		this.#lastFailed = { text, at: now };
		this.scanLimit = afterFailedScan(this.scanLimit, now);
		if (isPaused(this.scanLimit, now)) {
			this.paused = true;
			setTimeout(() => (this.paused = false), (this.scanLimit.pausedUntil ?? now) - now);
		}
		this.scanProblem = isPaused(this.scanLimit, now)
			? 'scan.paused'
			: check.ok
				? 'scan.unknown'
				: `scan.${check.reason}`;
		await this.#record({
			kind: 'scan-failed',
			pupilId: null,
			cardId: parsed.ok ? parsed.cardId : null,
			reason: check.ok ? 'not-in-roster' : check.reason
		});
	}

	/**
	 * What "Find my name" needs next for this pupil: nothing (sign in), their picture password,
	 * or a teacher (the class uses picture passwords but this pupil has none yet, or is locked).
	 */
	async afterFindMyName(
		pupil: RosterPupil
	): Promise<'sign-in' | 'pictures' | 'ask-teacher' | 'locked'> {
		const usesPictures =
			this.roster?.classes.find((c) => c.id === pupil.classId)?.picturePasswords ?? false;
		if (!usesPictures) return 'sign-in';
		const entry = this.roster?.picturePasswords.find((p) => p.pupilId === pupil.id);
		if (!entry) return 'ask-teacher';
		const lock = lockForPictures(await readLock(pupil.id), entry.hash);
		return isLockedAnywhere(lock, entry) ? 'locked' : 'pictures';
	}

	/** Checks three pictures offline; five wrong tries lock them until a teacher unlocks. */
	async tryPictures(
		pupil: RosterPupil,
		sequence: Picture[]
	): Promise<'signed-in' | 'wrong' | 'locked'> {
		const entry = this.roster?.picturePasswords.find((p) => p.pupilId === pupil.id);
		if (!entry) return 'locked';
		const lock = lockForPictures(await readLock(pupil.id), entry.hash);
		if (isLockedAnywhere(lock, entry)) return 'locked';
		const hash = await pbkdf2Hex(
			picturePasswordInput(pupil.id, sequence),
			entry.salt,
			entry.iterations
		);
		if (hash === entry.hash) {
			await saveLock(pupil.id, freshPictureLock);
			this.signIn(pupil, null, true);
			return 'signed-in';
		}
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a moment, not state
		const now = new Date();
		const next = { ...afterWrongPictures(lock, entry.unlockedAt, now), forHash: entry.hash };
		await saveLock(pupil.id, next);
		if (!isPictureLocked(next, entry.unlockedAt)) return 'wrong';
		await this.#record({ kind: 'picture-locked', pupilId: pupil.id, cardId: null, reason: null });
		void this.sync();
		return 'locked';
	}

	/** `cardId` says which card was used, so the server can flag one replaced meanwhile. */
	signIn(pupil: RosterPupil, cardId: string | null = null, pictures = false): void {
		const keyStage = this.roster?.classes.find((c) => c.id === pupil.classId)?.keyStage ?? 'KS1';
		this.pupil = { ...pupil, keyStage, cardId, pictures };
		this.lastSignOut = null;
		this.#signedInRosterAt = this.roster?.fetchedAt ?? '';
		this.#lastActivity = Date.now();
		void this.#record({ kind: 'signed-in', pupilId: pupil.id, cardId, reason: null });
	}

	signOut(reason: SignOutReason): void {
		this.pupil = null;
		this.lastSignOut = reason;
		this.scanProblem = null;
		// Nothing of the pupil is left in the page's history either.
		history.replaceState(null, '', '/pupil');
	}

	/** Any tap or key while someone is signed in. */
	touch(): void {
		this.#lastActivity = Date.now();
	}

	async #record(event: Omit<DeviceEvent, 'id' | 'at'>): Promise<void> {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a moment, not state
		await queueEvent({ id: crypto.randomUUID(), at: new Date().toISOString(), ...event });
	}

	#checkIdle(): void {
		if (!this.pupil || !this.roster) return;
		if (
			pupilIdleExpired(
				this.#lastActivity,
				Date.now(),
				this.pupil.keyStage === 'KS2' ? 'KS2' : 'KS1',
				this.roster.pupilIdle
			)
		) {
			this.signOut('idle');
		}
	}

	#applyTeacherSignOut(): void {
		const pupil = this.pupil;
		if (!pupil || !this.roster) return;
		const stillHere = this.roster.pupils.some((p) => p.id === pupil.id);
		const signedOutAt = this.roster.classes.find((c) => c.id === pupil.classId)?.signedOutAt;
		// Both times are the server's, so a wrong clock on the iPad cannot miss or fake it.
		if (!stillHere || (signedOutAt && signedOutAt > this.#signedInRosterAt))
			this.signOut('teacher');
	}

	#wiped(): void {
		this.stop();
		this.pupil = null;
		this.roster = null;
		this.state = 'not-enrolled';
		this.lastSignOut = 'revoked';
		void wipeDevice();
	}
}

const key = Symbol('pupil-device');
export const providePupilDevice = (device: PupilDevice) => setContext(key, device);
export const usePupilDevice = () => getContext<PupilDevice>(key);
