import type { StaffActor } from '$lib/server/context';
import type { Language } from '$lib/i18n/languages';

declare global {
	namespace App {
		interface Locals {
			lang: Language;
			actor: StaffActor | null;
			/** Set by hooks.server.ts when the role may not open this staff page. */
			denied: boolean;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
