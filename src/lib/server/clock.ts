/** Time as a dependency, so rules about minutes can be tested without waiting. */
export interface Clock {
	now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock the tests move by hand. */
export class ManualClock implements Clock {
	#time: number;
	constructor(start: Date | string = '2026-09-07T08:30:00.000Z') {
		this.#time = new Date(start).getTime();
	}
	now(): Date {
		return new Date(this.#time);
	}
	set(time: Date | string): void {
		this.#time = new Date(time).getTime();
	}
	advanceMinutes(minutes: number): void {
		this.#time += minutes * 60_000;
	}
}
