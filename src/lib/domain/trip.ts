import { z } from 'zod';

/**
 * The photo-check snapshot a trip device downloads: for the chosen classes, only what a check
 * needs (first name, last initial, class, card ids, and the verdict per use). No photos, no
 * reasons, no other personal data. It is sealed on the device (see client/trip/sealed.ts).
 */

/** How long after the trip's end a snapshot may still be opened before it wipes itself. */
export const defaultGraceHours = 24;
/** Past this age offline, "allowed" shows as "check with the trip lead". */
export const defaultMaxAgeHours = 48;
/** The longest trip a snapshot can be made for (a residential week and a weekend). */
export const maxTripDays = 10;

export const snapshotRequestSchema = z.object({
	classIds: z.array(z.string().uuid()).min(1, 'trip.error.noClasses').max(60),
	/** A name for the group, shown on the trip device ("Year 4 castle trip"). */
	groupName: z.string().trim().min(1, 'trip.error.groupName').max(60, 'trip.error.groupName'),
	endsAt: z.string().datetime({ message: 'trip.error.endsAt' })
});
export type SnapshotRequest = z.output<typeof snapshotRequestSchema>;

export const tripSnapshotSchema = z.object({
	groupName: z.string(),
	takenAt: z.string(),
	endsAt: z.string(),
	graceHours: z.number(),
	maxAgeHours: z.number(),
	uses: z.array(z.object({ id: z.string(), name: z.string() })),
	pupils: z.array(
		z.object({
			id: z.string(),
			firstName: z.string(),
			lastInitial: z.string(),
			className: z.string(),
			cardIds: z.array(z.string()),
			verdicts: z.record(z.string(), z.enum(['allowed', 'not-allowed']))
		})
	)
});
export type TripSnapshot = z.output<typeof tripSnapshotSchema>;

/** Why a trip's end time cannot be used, or null. */
export function endsAtProblem(endsAt: string, now: Date): string | null {
	const end = Date.parse(endsAt);
	if (end <= now.getTime()) return 'trip.error.endsInPast';
	if (end - now.getTime() > maxTripDays * 86_400_000) return 'trip.error.tooLong';
	return null;
}
