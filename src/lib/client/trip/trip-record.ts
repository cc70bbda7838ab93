import { z } from 'zod';
import { readTripRecord, saveTripRecord } from '../device-store';

/**
 * What a trip device keeps (in device-store.ts's `trip` store). Only `sealed` holds pupils
 * (AES-GCM under the PIN); the rest is what the locked screen and the clock need: when the
 * list was taken, when it wipes itself, the device's token (to send checks and hear of a
 * revoke) and the wrong PINs so far. Kept out of device-store.ts so that the pupil start screen
 * does not build this schema.
 */
const tripRecordSchema = z.object({
	deviceId: z.string(),
	token: z.string().min(20),
	takenAt: z.string(),
	endsAt: z.string(),
	graceHours: z.number(),
	maxAgeHours: z.number(),
	wrongPins: z.number().int().min(0),
	sealed: z.object({
		v: z.literal(1),
		salt: z.string(),
		iv: z.string(),
		iterations: z.number().int().positive(),
		data: z.string()
	})
});
export type TripRecord = z.output<typeof tripRecordSchema>;

export async function readTrip(): Promise<TripRecord | null> {
	const parsed = tripRecordSchema.safeParse(await readTripRecord());
	return parsed.success ? parsed.data : null;
}

export async function saveTrip(trip: TripRecord): Promise<void> {
	await saveTripRecord(tripRecordSchema.parse(trip));
}
