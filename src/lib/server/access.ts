import { error } from '@sveltejs/kit';
import type { StaffActor } from './context';
import type { DeviceActor } from './services/device.service';
import type { TripActor } from './services/trip.service';

/**
 * The member of staff a staff route acts for. hooks.server.ts has already decided, from
 * the role × action table, whether this request may go ahead; a page it refused is marked
 * `denied` so that it renders the calm 403 screen instead of any data.
 */
export function staffActor(locals: App.Locals): StaffActor {
	if (locals.denied || !locals.actor) error(403, 'Your account cannot open this page.');
	return locals.actor;
}

/** The class device a device API acts for; hooks.server.ts has checked its token. */
export function deviceActor(locals: App.Locals): DeviceActor {
	if (!locals.device) error(401, 'This device is not set up.');
	return locals.device;
}

/** The trip device a trip API acts for; hooks.server.ts has checked its token. */
export function tripActor(locals: App.Locals): TripActor {
	if (!locals.trip) error(401, 'This device holds no trip list.');
	return locals.trip;
}
