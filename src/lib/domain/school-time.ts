/**
 * Times as the school reads them: stored times are UTC, but a record handed to an inspector
 * says what the clock on the school's wall said (British Summer Time in summer, GMT in winter).
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
	let format = formats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-GB', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23'
		});
		formats.set(timeZone, format);
	}
	return format;
}

function parts(at: Date, timeZone: string) {
	const all = formatFor(timeZone).formatToParts(at);
	const get = (type: Intl.DateTimeFormatPartTypes) =>
		Number(all.find((p) => p.type === type)?.value ?? 0);
	return {
		year: get('year'),
		month: get('month'),
		day: get('day'),
		hour: get('hour'),
		minute: get('minute'),
		second: get('second')
	};
}

const two = (n: number) => String(n).padStart(2, '0');

/** "2026-11-03 14:05": the school's local date and time, sorting as text the way it reads. */
export function schoolDateTime(iso: string | Date, timeZone: string): string {
	const p = parts(new Date(iso), timeZone);
	return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

/** "2026-11-03": the school's local date of a moment. */
export function schoolDay(iso: string | Date, timeZone: string): string {
	return schoolDateTime(iso, timeZone).slice(0, 10);
}

/** How far the zone's clock is ahead of UTC at this moment, in milliseconds. */
function offsetAt(at: number, timeZone: string): number {
	const p = parts(new Date(at), timeZone);
	const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The moment the school's day `YYYY-MM-DD` begins, as a UTC Date: midnight on the school's
 * wall clock. (Where a zone skips midnight, the first moment of the day that exists.)
 */
export function startOfSchoolDay(day: string, timeZone: string): Date {
	const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
	const wall = Date.UTC(year, month - 1, date);
	// Guess with the offset at that wall time read as UTC, then correct once with the offset
	// at the guess: enough for any zone whose change is not at midnight itself.
	let at = wall - offsetAt(wall, timeZone);
	at = wall - offsetAt(at, timeZone);
	return new Date(at);
}
