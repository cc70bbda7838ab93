import { randomUUID } from 'node:crypto';
import { addDays, type Decision } from '$lib/domain/consent';
import type { AppContext, StaffActor } from '../context';
import { insertConsentRecords, type NewConsentRecord } from '../repositories/consent.repository';
import { listPupilsOfClass } from '../repositories/pupil.repository';
import { consentUses, saveUse, schoolToday, setNoPhotos } from '../services/consent.service';
import { saveConsentRules, setPupilCarers } from '../services/consent-rules.service';

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
 *
 * The demo school follows the seed policy that asks for it (shared/seeds/000): "consent has
 * to be given by both parents" (the school's "every carer with parental responsibility" rule
 * is on: both parents answer for most pupils, a guardian alone for some, and for three pupils
 * only one parent's form has come back, so they show "Check") and "pupils' names will not be
 * published alongside their image" (the use "Named together with a photo" is never allowed).
 */
export async function addDemoConsent(
	ctx: AppContext,
	admin: StaffActor,
	classIds: readonly string[]
): Promise<void> {
	const named = (await consentUses(ctx, admin.schoolId)).find((u) => u.key === 'named');
	if (named)
		await saveUse(ctx, admin, {
			id: named.id,
			name: named.name,
			allowedWhenUnanswered: false,
			neverAllowed: true
		});
	await saveConsentRules(ctx, admin, { needsAllCarers: true });
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
			const relationship = n % 3 === 0 ? 'grandparent, guardian' : n % 2 ? 'mother' : 'father';
			// A guardian alone has parental responsibility: the office recorded one carer.
			if (n % 3 === 0) await setPupilCarers(ctx, admin, pupil.id, 1);
			// Both parents answer, except where only one form has come back so far.
			const secondCarer =
				n % 3 === 0 || n === 4 || n === 14 || n === 26
					? null
					: {
							givenBy: demoCarers[(n + 5) % demoCarers.length]!,
							relationship: n % 2 ? 'father' : 'mother'
						};
			for (const use of uses) {
				// Every fifth family says no to the press; every fourth to being named.
				const no =
					(use.key === 'press' && n % 5 === 0) ||
					(use.key === 'named' && n % 4 === 0) ||
					(use.key === 'social-media' && n % 7 === 0);
				const decision: Decision = no ? 'refused' : 'granted';
				for (const who of [{ givenBy: carer, relationship }, ...(secondCarer ? [secondCarer] : [])])
					records.push({
						id: randomUUID(),
						pupilId: pupil.id,
						useId: use.id,
						decision,
						...who,
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
