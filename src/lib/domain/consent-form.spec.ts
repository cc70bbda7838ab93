import { describe, expect, it } from 'vitest';
import type { ConsentRecord } from './consent';
import { checkPaperForm, formDecision, type PaperFormInput } from './consent-form';

const uses = ['website', 'press', 'named'];
const today = '2026-11-22';
const input = (over: Partial<PaperFormInput> = {}): PaperFormInput => ({
	givenBy: 'Amara Okoye',
	relationship: 'mother',
	givenOn: '2026-11-20',
	validFrom: '',
	validUntil: '',
	source: 'paper-form',
	answers: { website: 'yes', press: 'no', named: 'none' },
	...over
});
const record = (over: Partial<ConsentRecord> = {}): ConsentRecord => ({
	useId: 'website',
	decision: 'granted',
	givenBy: 'Amara Okoye',
	relationship: 'mother',
	givenOn: '2026-09-05',
	validFrom: '2026-09-05',
	validUntil: null,
	source: 'paper-form',
	recordedAt: '2026-09-05T09:00:00.000Z',
	...over
});

describe('one paper form, every use', () => {
	it('reads one carer, one date, one source and an answer per use; "not on the form" records nothing', () => {
		const checked = checkPaperForm(input(), uses, today);
		expect(checked).toEqual({
			ok: true,
			form: {
				givenBy: 'Amara Okoye',
				relationship: 'mother',
				givenOn: '2026-11-20',
				validFrom: '2026-11-20',
				validUntil: null,
				source: 'paper-form',
				answers: [
					{ useId: 'website', answer: 'yes' },
					{ useId: 'press', answer: 'no' }
				]
			}
		});
	});

	it('names the field of the first problem', () => {
		const bad: [Partial<PaperFormInput>, string, string][] = [
			[{ givenBy: '  ' }, 'givenBy', 'consentForm.error.givenBy'],
			[{ givenBy: 'x'.repeat(81) }, 'givenBy', 'consentForm.error.givenBy'],
			[{ relationship: '' }, 'relationship', 'consentForm.error.relationship'],
			[{ givenOn: '20/11/2026' }, 'givenOn', 'consentForm.error.givenOn'],
			[{ givenOn: '2026-11-23' }, 'givenOn', 'consentForm.error.givenOnFuture'],
			[{ validFrom: '2026-02-30' }, 'validFrom', 'consentForm.error.validFrom'],
			[{ validUntil: 'soon' }, 'validUntil', 'consentForm.error.validUntil'],
			[{ validUntil: '2026-11-01' }, 'validUntil', 'consentForm.error.untilBeforeFrom'],
			[{ source: 'imported' }, 'source', 'consentForm.error.source'],
			[{ answers: { website: 'maybe' } }, 'answer:website', 'consentForm.error.answer'],
			[{ answers: { elsewhere: 'yes' } }, 'answers', 'consentForm.error.use'],
			[{ answers: { website: 'none', press: 'none' } }, 'answers', 'consentForm.error.noAnswers']
		];
		for (const [over, field, error] of bad)
			expect(checkPaperForm(input(over), uses, today)).toEqual({ ok: false, field, error });
	});

	it('stores a "no" as "withdrawn" where this carer had said yes, and as "refused" the first time', () => {
		expect(formDecision('yes', [], 'Amara Okoye')).toBe('granted');
		expect(formDecision('no', [], 'Amara Okoye')).toBe('refused');
		expect(formDecision('no', [record()], 'Amara Okoye')).toBe('withdrawn');
		// The same carer however the name was typed.
		expect(formDecision('no', [record()], 'amara  okoye.')).toBe('withdrawn');
		// Another carer's yes is not this carer's.
		expect(formDecision('no', [record({ givenBy: 'Kofi Okoye' })], 'Amara Okoye')).toBe('refused');
		// A carer who said no and says no again has not withdrawn anything.
		expect(formDecision('no', [record({ decision: 'refused' })], 'Amara Okoye')).toBe('refused');
		// Yes, then withdrawn, then no again: still withdrawn.
		expect(
			formDecision(
				'no',
				[record(), record({ decision: 'withdrawn', recordedAt: '2026-10-01T09:00:00.000Z' })],
				'Amara Okoye'
			)
		).toBe('withdrawn');
	});
});
