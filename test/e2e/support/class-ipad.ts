import type { BrowserContext, Page } from 'playwright-core';
import type { AppContext, StaffActor } from '$lib/server/context';
import { createEnrolmentCode } from '$lib/server/services/device.service';
import { PupilScreen } from '../pages/pupil-pages';
import { launchWithProfile } from './browser';

/**
 * A class iPad set up for some classes: a one-time code made as the teacher would, then typed
 * on the pupil screen of a browser with its own profile (so it can be relaunched offline).
 */
export async function enrolledClassIPad(
	base: string,
	school: AppContext,
	teacher: StaffActor,
	device: { name: string; classIds: string[] },
	profileDir: string,
	screen: Parameters<typeof launchWithProfile>[1] = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const code = await createEnrolmentCode(school, teacher, device);
	if (!code.ok) throw new Error(code.error);
	const context = await launchWithProfile(profileDir, screen);
	const page = context.pages()[0] ?? (await context.newPage());
	const pupilScreen = new PupilScreen(page, base);
	await pupilScreen.open();
	await pupilScreen.enrolWithTypedCode(code.code);
	return { context, page };
}
