import { z } from 'zod';
import { schoolDay, startOfSchoolDay } from '$lib/domain/school-time';

/**
 * A date range from a form or query string: "from" and "to" days, inclusive, as the school's
 * days (a report at 00:30 on 1 July, British Summer Time, is 1 July's, though it is 30 June in UTC).
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export interface DayRange {
	fromDay: string;
	toDay: string;
	/** Inclusive start and exclusive end, for comparing with stored ISO times. */
	from: string;
	to: string;
}

export function readRange(
	params: URLSearchParams,
	now: Date,
	defaultDays: number,
	timeZone: string
): DayRange | null {
	const today = schoolDay(now, timeZone);
	const start = schoolDay(new Date(now.getTime() - defaultDays * 86_400_000), timeZone);
	const fromDay = day.safeParse(params.get('from') ?? start);
	const toDay = day.safeParse(params.get('to') ?? today);
	if (!fromDay.success || !toDay.success) return null;
	const from = new Date(`${fromDay.data}T00:00:00.000Z`);
	const to = new Date(`${toDay.data}T00:00:00.000Z`);
	if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to < from) return null;
	const dayAfter = new Date(to.getTime() + 86_400_000).toISOString().slice(0, 10);
	return {
		fromDay: fromDay.data,
		toDay: toDay.data,
		from: startOfSchoolDay(fromDay.data, timeZone).toISOString(),
		to: startOfSchoolDay(dayAfter, timeZone).toISOString()
	};
}
