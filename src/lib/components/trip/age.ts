/** "List taken 3 hours ago", for the status line and the answer screen. */
export function listAge(
	t: (key: string, options?: Record<string, unknown>) => string,
	hours: number
) {
	const whole = Math.floor(hours);
	if (whole < 1) return t('trip.age.minutes');
	if (whole < 48) return t('trip.age.hours', { count: whole });
	return t('trip.age.days', { count: Math.floor(whole / 24) });
}
