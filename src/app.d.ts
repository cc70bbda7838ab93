import type { StaffActor } from '$lib/server/context';
import type { Language } from '$lib/i18n/languages';

declare global {
	namespace App {
		interface Locals {
			lang: Language;
			actor: StaffActor | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
