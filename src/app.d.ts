import type { StaffActor } from '$lib/server/context';
import type { Language } from '$lib/i18n/languages';
import type { DeviceActor } from '$lib/server/services/device.service';
import type { TripActor } from '$lib/server/services/trip.service';

declare global {
	/** The app version, set at build time in vite.config.ts. */
	const __LANTERN_VERSION__: string;

	namespace App {
		interface Locals {
			lang: Language;
			actor: StaffActor | null;
			/** Signed in with a password, still to pass (or set up) the second factor. */
			pending: { actor: StaffActor; stage: 'code' | 'enrol' } | null;
			/** Set by hooks.server.ts when the role may not open this staff page. */
			denied: boolean;
			/** The class device a device API request comes from (see hooks.server.ts). */
			device: DeviceActor | null;
			/** The trip device a trip API request comes from (see hooks.server.ts). */
			trip: TripActor | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
