import { z } from 'zod';
import type { KeyStage } from './key-stage';
import type { PupilIdleLimits } from './pupil-session';
import type { RosterCard } from './pupil-card';
import { sealKeySchema } from '$lib/shared/sealed-outbox';

/**
 * What passes between a class device and the server, checked with zod on both sides
 * (the server checks what devices send; the device checks what it reads back from IndexedDB).
 */
export const enrolmentPrefix = 'LE1';
export const enrolmentMinutes = 10;

export function formatEnrolmentCode(code: string): string {
	return `${enrolmentPrefix}:${code}`;
}

/** The code inside an enrolment QR, or null when the text is not one. */
export function parseEnrolmentCode(text: string): string | null {
	const match = /^LE1:([A-Z2-7]{24})$/.exec(text.trim());
	return match ? match[1]! : null;
}

export const enrolRequestSchema = z.object({
	code: z.string().min(1).max(100),
	/** A browser asks for its token as an HttpOnly cookie, never in the body its script reads. */
	cookie: z.boolean().default(false)
});

export const deviceNameSchema = z
	.string()
	.trim()
	.min(1, 'devices.error.nameMissing')
	.max(60, 'devices.error.nameTooLong');

export const deviceEventSchema = z.object({
	id: z.string().uuid(),
	at: z.string().datetime(),
	kind: z.enum(['signed-in', 'scan-failed', 'picture-locked']),
	pupilId: z.string().uuid().nullable().default(null),
	/** For a failed scan: the card id read (never the secret), to spot a card from another class. */
	cardId: z
		.string()
		.regex(/^[A-Z2-7]{8}$/)
		.nullable()
		.default(null),
	reason: z.string().max(40).nullable().default(null)
});
export type DeviceEvent = z.output<typeof deviceEventSchema>;

export const heartbeatSchema = z.object({
	appVersion: z.string().max(80),
	queuedItems: z.number().int().min(0).max(1_000_000),
	storagePersisted: z.boolean().nullable(),
	signedInPupilId: z.string().uuid().nullable(),
	/** Items the server refused, kept on the device for staff to see. */
	parkedItems: z.number().int().min(0).max(1_000_000).default(0),
	events: z.array(deviceEventSchema).max(500).default([])
});
export type Heartbeat = z.output<typeof heartbeatSchema>;

export const rosterSchema = z.object({
	device: z.object({ id: z.string(), name: z.string() }),
	classes: z.array(
		z.object({
			id: z.string(),
			name: z.string(),
			keyStage: z.enum(['EYFS', 'KS1', 'KS2']),
			signedOutAt: z.string().nullable(),
			picturePasswords: z.boolean()
		})
	),
	picturePasswords: z.array(
		z.object({
			pupilId: z.string(),
			salt: z.string(),
			hash: z.string(),
			iterations: z.number().int().min(1),
			unlockedAt: z.string().nullable(),
			lockedAt: z.string().nullable()
		})
	),
	pupils: z.array(
		z.object({
			id: z.string(),
			classId: z.string(),
			firstName: z.string(),
			lastInitial: z.string(),
			avatar: z.string(),
			/** Which lessons the pupil sees; null from a roster cached before lessons existed. */
			yearGroup: z.number().int().nullable().default(null)
		})
	),
	/** Lessons each pupil has finished on any device (the device adds what it has not sent yet). */
	finished: z.array(z.object({ pupilId: z.string(), lessonId: z.string() })).default([]),
	cards: z.array(
		z.object({
			cardId: z.string(),
			pupilId: z.string(),
			secretHash: z.string(),
			expiresAt: z.string()
		})
	),
	/** The school's short list of adults a pupil may choose to talk to. */
	adults: z.array(z.object({ id: z.string(), name: z.string() })).default([]),
	pupilIdle: z.object({ ks1Minutes: z.number(), ks2Minutes: z.number() }),
	/** The school's public key that outbox items are sealed to; null from an older server. */
	sealKey: sealKeySchema.nullable().default(null),
	fetchedAt: z.string()
});
export type Roster = z.output<typeof rosterSchema>;
export type RosterPupil = Roster['pupils'][number];
export type { RosterCard, KeyStage, PupilIdleLimits };
