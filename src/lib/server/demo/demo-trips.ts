import { randomUUID } from 'node:crypto';
import type { AppContext, StaffActor } from '../context';
import { findStaffByEmail } from '../repositories/staff.repository';
import { tripSnapshot } from '../services/consent.service';
import { authenticateTripDevice, recordTripCheck } from '../services/trip.service';

/**
 * A made-up trip: the trip lead took the Kestrels' photo list yesterday morning for a castle
 * visit ending tomorrow, and made a few checks with it (one of them a group with a pupil whose
 * family said no to the press). The trip lists page shows it, open, with its checks.
 */
export async function addDemoTrip(
	ctx: AppContext,
	tripLeadEmail: string,
	classId: string
): Promise<void> {
	const found = await findStaffByEmail(ctx.db, tripLeadEmail);
	if (!found) throw new Error(`Demo staff ${tripLeadEmail} is missing`);
	const lead: StaffActor = {
		schoolId: found.schoolId,
		staffId: found.id,
		role: found.role,
		name: found.name,
		email: found.email,
		classIds: []
	};
	const now = ctx.clock.now().getTime();
	const takenAt = now - 26 * 3_600_000;
	const then = (at: number): AppContext => ({ ...ctx, clock: { now: () => new Date(at) } });
	const taken = await tripSnapshot(then(takenAt), lead, {
		classIds: [classId],
		groupName: 'Year 4 castle trip',
		endsAt: new Date(now + 30 * 3_600_000).toISOString()
	});
	if (!taken.ok) throw new Error(taken.error);
	const { snapshot, token } = taken.download;
	const device = await authenticateTripDevice(ctx, token);
	if (device.status === 'none') throw new Error('The demo trip device is missing');
	const press =
		snapshot.uses.find((u) => u.name === 'Local or national press') ?? snapshot.uses[0]!;
	const website = snapshot.uses.find((u) => u.name === 'School website') ?? snapshot.uses[0]!;
	const verdict = (p: (typeof snapshot.pupils)[number], useId: string) =>
		p.verdicts[snapshot.uses.findIndex((u) => u.id === useId)];
	const refused = snapshot.pupils.find((p) => verdict(p, press.id) === 'not-allowed');
	const agreed = snapshot.pupils.filter((p) => verdict(p, press.id) === 'allowed').slice(0, 3);
	const groups = [
		{ useId: website.id, pupils: agreed.slice(0, 1), minutes: 60, how: 'scan' as const },
		{ useId: press.id, pupils: agreed, minutes: 95, how: 'search' as const },
		{
			useId: press.id,
			pupils: refused ? [...agreed.slice(0, 2), refused] : agreed,
			minutes: 130,
			how: 'search' as const
		}
	];
	for (const g of groups) {
		const notAllowed = g.pupils.filter((p) => verdict(p, g.useId) !== 'allowed').map((p) => p.id);
		const at = takenAt + g.minutes * 60_000;
		const stored = await recordTripCheck(then(at + 5 * 60_000), device.trip, {
			id: randomUUID(),
			useId: g.useId,
			pupilIds: g.pupils.map((p) => p.id),
			answer: notAllowed.length > 0 ? 'not-allowed' : 'allowed',
			notAllowed,
			toCheck: [],
			checkedAt: new Date(at).toISOString(),
			how: g.how,
			group: g.pupils.length > 1
		});
		if (stored.status !== 201) throw new Error('A demo trip check was refused');
	}
}
