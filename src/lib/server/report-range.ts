import { z } from 'zod';

/** A date range from a form or query string: "from" and "to" days, inclusive, as ISO times. */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export interface DayRange {
	fromDay: string;
	toDay: string;
	/** Inclusive start and exclusive end, for comparing with stored ISO times. */
	from: string;
	to: string;
}

export function readRange(params: URLSearchParams, now: Date, defaultDays = 365): DayRange | null {
	const today = now.toISOString().slice(0, 10);
	const start = new Date(now.getTime() - defaultDays * 86_400_000).toISOString().slice(0, 10);
	const fromDay = day.safeParse(params.get('from') ?? start);
	const toDay = day.safeParse(params.get('to') ?? today);
	if (!fromDay.success || !toDay.success) return null;
	const from = new Date(`${fromDay.data}T00:00:00.000Z`);
	const to = new Date(`${toDay.data}T00:00:00.000Z`);
	if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to < from) return null;
	return {
		fromDay: fromDay.data,
		toDay: toDay.data,
		from: from.toISOString(),
		to: new Date(to.getTime() + 86_400_000).toISOString()
	};
}
