import { randomUUID } from 'node:crypto';
import { addDays, type Decision } from '$lib/domain/consent';
import type { AppContext, StaffActor } from '../context';
import { insertConsentRecords, type NewConsentRecord } from '../repositories/consent.repository';
import { listPupilsOfClass } from '../repositories/pupil.repository';
import { consentUses, schoolToday, setNoPhotos } from '../services/consent.service';

/** Made-up parents and carers, so the overview can say who answered. */
const demoCarers = [
	'Amara Okoye',
	'Sam Jones',
	'Rhian Evans',
	'Tomasz Nowak',
	'Priya Shah',
	'Dafydd Lewis',
	'Grace Mensah',
	'Leah Morgan',
	'Owen Price',
	'Hana Ali',
	'Ffion Hughes'
];

/**
 * A made-up consent list for the demo: most families said yes to most uses on the form at
 * the start of the year, some said no to the press or to being named, two withdrew a use
 * recently, one grant runs out soon, and one pupil is on the no-photos list.
 */
export async function addDemoConsent(
	ctx: AppContext,
	admin: StaffActor,
	classIds: readonly string[]
): Promise<void> {
	const uses = await consentUses(ctx, admin.schoolId);
	const today = schoolToday(ctx);
	const year = Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) < 9 ? 1 : 0);
	const formDay = `${year}-09-08`;
	const recordedAt = `${formDay}T15:30:00.000Z`;
	const records: NewConsentRecord[] = [];
	let n = 0;
	for (const classId of classIds) {
		const pupils = await listPupilsOfClass(ctx.db, admin.schoolId, classId);
		for (const pupil of pupils) {
			n++;
			const carer = demoCarers[n % demoCarers.length]!;
			const relationship = n % 3 === 0 ? 'grandparent' : n % 2 ? 'mother' : 'father';
			for (const use of uses) {
				// Every fifth family says no to the press; every fourth to being named.
				const no =
					(use.key === 'press' && n % 5 === 0) ||
					(use.key === 'named' && n % 4 === 0) ||
					(use.key === 'social-media' && n % 7 === 0);
				const decision: Decision = no ? 'refused' : 'granted';
				records.push({
					id: randomUUID(),
					pupilId: pupil.id,
					useId: use.id,
					decision,
					givenBy: carer,
					relationship,
					givenOn: formDay,
					validFrom: formDay,
					// One family's consent for the photographer was for this term only.
					validUntil: use.key === 'photographer' && n === 2 ? addDays(today, 12) : null,
					source: 'paper-form',
					recordedBy: admin.staffId,
					recordedAt,
					importId: null
				});
			}
			if (n === 5 || n === 17) {
				const website = uses.find((u) => u.key === 'website');
				if (website)
					records.push({
						id: randomUUID(),
						pupilId: pupil.id,
						useId: website.id,
						decision: 'withdrawn',
						givenBy: carer,
						relationship,
						givenOn: addDays(today, -6),
						validFrom: addDays(today, -6),
						validUntil: null,
						source: 'email',
						recordedBy: admin.staffId,
						recordedAt: `${addDays(today, -6)}T09:10:00.000Z`,
						importId: null
					});
			}
			if (n === 9)
				await setNoPhotos(ctx, admin, pupil.id, {
					onList: true,
					reason: 'Made up for the demo: the family asked for no photographs at all.'
				});
		}
	}
	await insertConsentRecords(ctx.db, admin.schoolId, records);
}
