/**
 * A cap on password hashing. scrypt is slow on purpose and takes a core while it runs, so
 * forty bad sign-ins at once used to make a real one wait seconds. At most `concurrency`
 * hashes run at once in this process; others wait in a short queue, and a sign-in that finds
 * the queue full is turned away at once ("wait a moment") instead of hashing. Work for a
 * browser the person has signed in on before goes to the front of the queue.
 *
 * The counters are there for tests and for an operator: they count, they never time.
 */
export class HashingBusy extends Error {
	constructor() {
		super('Password hashing is busy');
		this.name = 'HashingBusy';
	}
}

export interface HashingLimits {
	/** Hashes that may run at once. */
	concurrency: number;
	/** Sign-ins that may wait for a turn; more are refused. */
	queue: number;
}

export interface HashingStats {
	running: number;
	waiting: number;
	/** The most that ran at once since the last reset. */
	peak: number;
	/** Hashes started since the last reset. */
	started: number;
	/** Sign-ins refused because the queue was full, since the last reset. */
	refused: number;
}

let limits: HashingLimits = { concurrency: 2, queue: 8 };
let running = 0;
let peak = 0;
let started = 0;
let refused = 0;
const front: Array<() => void> = [];
const back: Array<() => void> = [];

export function setHashingLimits(next: HashingLimits): void {
	limits = { concurrency: Math.max(1, next.concurrency), queue: Math.max(0, next.queue) };
	wake();
}

export function hashingStats(): HashingStats {
	return { running, waiting: front.length + back.length, peak, started, refused };
}

export function resetHashingStats(): void {
	peak = running;
	started = 0;
	refused = 0;
}

export interface HashTurn {
	/** Refuse (throw HashingBusy) when the queue is full, instead of waiting. */
	refuseWhenFull?: boolean;
	/** A known device: waits at the front of the queue. */
	priority?: boolean;
}

/** Runs `work` when a hashing slot is free. */
export async function withHashingSlot<T>(work: () => Promise<T>, turn: HashTurn = {}): Promise<T> {
	if (running >= limits.concurrency) {
		const waiting = front.length + back.length;
		// A known device may wait even when the queue is full, but only in a queue of its own size.
		const full = turn.priority ? front.length >= limits.queue : waiting >= limits.queue;
		if (full && turn.refuseWhenFull) {
			refused += 1;
			throw new HashingBusy();
		}
		await new Promise<void>((resolve) => (turn.priority ? front : back).push(resolve));
	} else {
		running += 1;
	}
	// Here this work holds a slot (taken above, or handed over by `release`).
	peak = Math.max(peak, running);
	started += 1;
	try {
		return await work();
	} finally {
		release();
	}
}

function release(): void {
	if (running > limits.concurrency) {
		// The limit was lowered while this ran.
		running -= 1;
		return;
	}
	const next = front.shift() ?? back.shift();
	// The slot passes straight to the next in line, so `running` stays the same.
	if (next) next();
	else running -= 1;
}

function wake(): void {
	while (running < limits.concurrency) {
		const next = front.shift() ?? back.shift();
		if (!next) return;
		running += 1;
		next();
	}
}
