import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	carerKey,
	consentVerdict,
	groupAnswer,
	tripAnswer,
	worseVerdict,
	type ConsentRecord,
	type Decision
} from './consent';

const record = (over: Partial<ConsentRecord> = {}): ConsentRecord => ({
	useId: 'website',
	decision: 'granted',
	givenBy: 'Sam Jones',
	relationship: 'mother',
	givenOn: '2026-09-05',
	validFrom: '2026-09-05',
	validUntil: null,
	source: 'paper-form',
	recordedAt: '2026-09-06T09:00:00.000Z',
	...over
});
const today = '2026-11-22';
const ask = (
	records: ConsentRecord[],
	over: { noPhotos?: boolean; allowedWhenUnanswered?: boolean } = {}
) => consentVerdict({ records, noPhotos: false, allowedWhenUnanswered: false, today, ...over });

describe('the consent verdict, case by case', () => {
	it('is "not allowed" when nobody has answered, unless the school says otherwise for the use', () => {
		expect(ask([])).toEqual({ verdict: 'not-allowed', reason: 'unanswered' });
		expect(ask([], { allowedWhenUnanswered: true })).toEqual({
			verdict: 'allowed',
			reason: 'unanswered'
		});
	});
	it('allows with a grant in force', () => {
		expect(ask([record()])).toEqual({ verdict: 'allowed', reason: 'granted' });
	});
	it('lets a withdrawal end a grant, and a later grant from the same carer restore it', () => {
		const withdrawn = record({
			decision: 'withdrawn',
			givenOn: '2026-10-01',
			validFrom: '2026-10-01'
		});
		expect(ask([record(), withdrawn])).toEqual({ verdict: 'not-allowed', reason: 'objection' });
		const again = record({ givenOn: '2026-11-01', validFrom: '2026-11-01' });
		expect(ask([again, record(), withdrawn])).toEqual({ verdict: 'allowed', reason: 'granted' });
	});
	it('lets any carer’s objection win over another’s grant', () => {
		const dad = record({ givenBy: 'Alex Jones', relationship: 'father', decision: 'refused' });
		expect(ask([record(), dad])).toEqual({ verdict: 'not-allowed', reason: 'objection' });
	});
	it('counts a grant only until its last day, and a record only from its first', () => {
		expect(ask([record({ validUntil: '2026-11-21' })])).toEqual({
			verdict: 'not-allowed',
			reason: 'expired'
		});
		expect(ask([record({ validUntil: '2026-11-22' })]).verdict).toBe('allowed');
		expect(ask([record({ validFrom: '2026-11-23' })])).toEqual({
			verdict: 'not-allowed',
			reason: 'unanswered'
		});
		// A withdrawal dated next week does not end the grant yet.
		const future = record({
			decision: 'withdrawn',
			givenOn: '2026-11-20',
			validFrom: '2026-11-29'
		});
		expect(ask([record(), future]).verdict).toBe('allowed');
	});
	it('puts "no photos" above everything', () => {
		expect(ask([record()], { noPhotos: true, allowedWhenUnanswered: true })).toEqual({
			verdict: 'not-allowed',
			reason: 'no-photos'
		});
	});
	it('knows a carer however the name was typed', () => {
		expect(carerKey('  Mrs. S  Jones ')).toBe(carerKey('mrs s jones'));
		const typedAgain = record({
			givenBy: 'SAM  JONES',
			decision: 'withdrawn',
			givenOn: '2026-10-01',
			validFrom: '2026-10-01'
		});
		expect(ask([record(), typedAgain]).verdict).toBe('not-allowed');
	});
	it('lets an objection win a perfect tie between two answers from one carer', () => {
		const refused = record({ decision: 'refused' });
		expect(ask([record(), refused]).verdict).toBe('not-allowed');
		expect(ask([refused, record()]).verdict).toBe('not-allowed');
	});
	it('lets the longer of two grants recorded at the same moment count', () => {
		const shortOne = record({ validUntil: '2026-09-30' });
		expect(ask([record(), shortOne]).verdict).toBe('allowed');
		expect(ask([shortOne, record()]).verdict).toBe('allowed');
	});
	it('orders two answers on one day by when they were recorded', () => {
		const morning = record({ decision: 'withdrawn', recordedAt: '2026-09-05T09:00:00.000Z' });
		const afternoon = record({ recordedAt: '2026-09-05T15:00:00.000Z' });
		expect(ask([afternoon, morning]).verdict).toBe('allowed');
	});
});

// ---- Every combination: properties over random histories ----

const days = ['2026-09-01', '2026-10-01', '2026-11-22', '2026-12-01', '2027-01-01'];
const arbRecord = fc
	.record({
		decision: fc.constantFrom<Decision>('granted', 'refused', 'withdrawn'),
		carer: fc.constantFrom('Sam Jones', 'Alex Jones', 'Robin Carer'),
		givenOn: fc.constantFrom(...days),
		from: fc.constantFrom(...days),
		until: fc.option(fc.constantFrom(...days), { nil: null }),
		// Few minutes, so that ties between two answers are common.
		minute: fc.integer({ min: 0, max: 2 })
	})
	.map((r) =>
		record({
			decision: r.decision,
			givenBy: r.carer,
			givenOn: r.givenOn,
			validFrom: r.from,
			validUntil: r.until !== null && r.until < r.from ? r.from : r.until,
			recordedAt: `${r.givenOn}T10:${String(r.minute).padStart(2, '0')}:00.000Z`
		})
	);
const arbInput = fc.record({
	records: fc.array(arbRecord, { maxLength: 8 }),
	noPhotos: fc.boolean(),
	allowedWhenUnanswered: fc.boolean(),
	today: fc.constantFrom(...days)
});

describe('the consent verdict, over every combination', () => {
	it('never allows a pupil on the no-photos list', () => {
		fc.assert(
			fc.property(
				arbInput,
				(input) => consentVerdict({ ...input, noPhotos: true }).verdict === 'not-allowed'
			)
		);
	});

	it('does not depend on the order the records arrive in', () => {
		const withPermutation = arbInput.chain((input) =>
			fc.tuple(
				fc.constant(input),
				fc.shuffledSubarray(input.records, {
					minLength: input.records.length,
					maxLength: input.records.length
				})
			)
		);
		fc.assert(
			fc.property(withPermutation, ([input, permuted]) => {
				expect(consentVerdict({ ...input, records: permuted })).toEqual(consentVerdict(input));
			}),
			{ numRuns: 2000 }
		);
	});

	it('is never turned to "allowed" by one more objection', () => {
		fc.assert(
			fc.property(arbInput, arbRecord, (input, extra) => {
				const objection = { ...extra, decision: 'refused' as const };
				const before = consentVerdict(input);
				const after = consentVerdict({ ...input, records: [...input.records, objection] });
				return !(before.verdict === 'not-allowed' && after.verdict === 'allowed');
			})
		);
	});

	it('allows only with a grant in force from someone, or an unanswered use the school allows', () => {
		fc.assert(
			fc.property(arbInput, (input) => {
				const result = consentVerdict(input);
				if (result.verdict !== 'allowed') return true;
				if (result.reason === 'granted')
					return input.records.some(
						(r) =>
							r.decision === 'granted' &&
							r.validFrom <= input.today &&
							(r.validUntil === null || r.validUntil >= input.today)
					);
				return input.allowedWhenUnanswered && !input.noPhotos;
			})
		);
	});

	it('says "not allowed" whenever a carer’s latest answer in force is an objection', () => {
		fc.assert(
			fc.property(arbInput, (input) => {
				const inForce = input.records.filter((r) => r.validFrom <= input.today);
				const byCarer = new Map<string, ConsentRecord>();
				for (const r of inForce) {
					const k = carerKey(r.givenBy);
					const known = byCarer.get(k);
					if (
						!known ||
						r.givenOn > known.givenOn ||
						(r.givenOn === known.givenOn && r.recordedAt > known.recordedAt)
					)
						byCarer.set(k, r);
				}
				const objected = [...byCarer.values()].some((r) => r.decision !== 'granted');
				return !objected || consentVerdict(input).verdict === 'not-allowed';
			})
		);
	});
});

describe('on a trip', () => {
	it('turns an old "allowed" into "check with the trip lead", never an old "not allowed"', () => {
		expect(tripAnswer('allowed', 2, 48)).toBe('allowed');
		expect(tripAnswer('allowed', 49, 48)).toBe('check');
		expect(tripAnswer('not-allowed', 500, 48)).toBe('not-allowed');
	});
	it('allows a group photo only when everyone in it is allowed, naming who is not', () => {
		expect(
			groupAnswer([
				{ pupilId: 'a', answer: 'allowed' },
				{ pupilId: 'b', answer: 'allowed' }
			]).answer
		).toBe('allowed');
		expect(
			groupAnswer([
				{ pupilId: 'a', answer: 'allowed' },
				{ pupilId: 'b', answer: 'check' },
				{ pupilId: 'c', answer: 'not-allowed' }
			])
		).toEqual({ answer: 'not-allowed', notAllowed: ['c'], toCheck: ['b'] });
		expect(groupAnswer([{ pupilId: 'b', answer: 'check' }]).answer).toBe('check');
	});
});

describe('the worse of two verdicts', () => {
	it('puts "not allowed" below "check", and "check" below "allowed", either way round', () => {
		const verdicts = ['allowed', 'check', 'not-allowed'] as const;
		for (const [i, a] of verdicts.entries())
			for (const [j, b] of verdicts.entries()) {
				expect(worseVerdict(a, b)).toBe(verdicts[Math.max(i, j)]);
			}
	});
});

describe('the school’s own rules', () => {
	const mum = record();
	const dad = record({ givenBy: 'Alex Jones', relationship: 'father' });
	const both = (records: ConsentRecord[], over: { allowedWhenUnanswered?: boolean } = {}) =>
		consentVerdict({
			records,
			noPhotos: false,
			allowedWhenUnanswered: false,
			today,
			carersNeeded: 2,
			...over
		});

	it('makes a single carer’s yes "check" when every carer with parental responsibility must answer', () => {
		expect(both([mum])).toEqual({
			verdict: 'check',
			reason: 'other-carers',
			carers: { granted: 1, needed: 2 }
		});
		// The same carer twice, however the name was typed, is still one carer.
		expect(both([mum, record({ givenBy: 'sam  jones.' })]).verdict).toBe('check');
	});
	it('allows once both carers have said yes', () => {
		expect(both([mum, dad])).toEqual({ verdict: 'allowed', reason: 'granted' });
	});
	it('lets one carer’s no win over the other’s yes', () => {
		expect(both([mum, { ...dad, decision: 'refused' }])).toEqual({
			verdict: 'not-allowed',
			reason: 'objection'
		});
	});
	it('counts a carer whose yes has run out as not having said yes', () => {
		expect(both([mum, { ...dad, validUntil: '2026-10-01' }]).verdict).toBe('check');
	});
	it('needs only the carers the office recorded: one carer with parental responsibility is enough', () => {
		expect(both([mum]).verdict).toBe('check');
		expect(
			consentVerdict({
				records: [mum],
				noPhotos: false,
				allowedWhenUnanswered: false,
				today,
				carersNeeded: 1
			})
		).toEqual({ verdict: 'allowed', reason: 'granted' });
	});
	it('counts one carer typed two ways as one carer, so one parent’s yes is still "check"', () => {
		const amara = record({ givenBy: 'Amara Okoye', relationship: 'Mother' });
		expect(both([amara, record({ givenBy: 'Mrs Okoye', relationship: 'mother' })]).verdict).toBe(
			'check'
		);
		expect(
			both([amara, record({ givenBy: 'Mrs Okoye', relationship: 'parent or carer' })])
		).toEqual({ verdict: 'check', reason: 'other-carers', carers: { granted: 1, needed: 2 } });
		expect(
			both([amara, record({ givenBy: 'Amara Okoye (Mother)', relationship: 'parent' })]).verdict
		).toBe('check');
		expect(carerKey('Mrs. Amara  Okoye (Mother)')).toBe(carerKey('amara okoye'));
		expect(carerKey('Dr Sam O’Neill-Okoye')).toBe(carerKey('sam oneill okoye'));
	});
	it('still allows with two real parents’ yeses', () => {
		expect(
			both([
				record({ givenBy: 'Amara Okoye', relationship: 'mother' }),
				record({ givenBy: 'Sam Okoye', relationship: 'father' })
			])
		).toEqual({ verdict: 'allowed', reason: 'granted' });
		expect(
			both([
				record({ givenBy: 'Amara Okoye', relationship: 'Mum' }),
				record({ givenBy: 'Sam Okoye', relationship: 'father' }),
				record({ givenBy: 'Jo Okoye', relationship: '' })
			]).verdict
		).toBe('allowed');
	});
	it('keeps the rule off by default: one yes allows', () => {
		expect(ask([mum])).toEqual({ verdict: 'allowed', reason: 'granted' });
	});
	it('never allows a use the school never allows, whatever carers say', () => {
		const input = {
			records: [mum, dad],
			noPhotos: false,
			allowedWhenUnanswered: true,
			today,
			neverAllowed: true
		};
		expect(consentVerdict(input)).toEqual({ verdict: 'not-allowed', reason: 'school-rule' });
		expect(consentVerdict({ ...input, records: [] })).toEqual({
			verdict: 'not-allowed',
			reason: 'school-rule'
		});
		expect(consentVerdict({ ...input, carersNeeded: 1 }).verdict).toBe('not-allowed');
	});
	it('never turns a "check" into "allowed" on a trip, nor in a group photo', () => {
		expect(tripAnswer('check', 0, 48)).toBe('check');
		expect(tripAnswer('check', 500, 48)).toBe('check');
		expect(
			groupAnswer([
				{ pupilId: 'a', answer: 'allowed' },
				{ pupilId: 'b', answer: tripAnswer('check', 0, 48) }
			])
		).toEqual({ answer: 'check', notAllowed: [], toCheck: ['b'] });
	});
	it('never allows with fewer carers’ yeses in force than needed, over every combination', () => {
		const decision = fc.constantFrom<Decision>('granted', 'refused', 'withdrawn');
		const carer = fc.constantFrom('Sam Jones', 'Alex Jones', 'Kim Lee');
		const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-10-${String(d).padStart(2, '0')}`);
		fc.assert(
			fc.property(
				fc.array(fc.record({ decision, givenBy: carer, givenOn: day, until: fc.option(day) }), {
					maxLength: 6
				}),
				fc.integer({ min: 1, max: 3 }),
				(rows, needed) => {
					const records = rows.map((r) =>
						record({
							decision: r.decision,
							givenBy: r.givenBy,
							givenOn: r.givenOn,
							validFrom: r.givenOn,
							validUntil: r.until
						})
					);
					const result = consentVerdict({
						records,
						noPhotos: false,
						allowedWhenUnanswered: false,
						today,
						carersNeeded: needed
					});
					if (result.verdict !== 'allowed') return true;
					// Allowed: at least `needed` carers have a grant in force behind it.
					const inForce = new Set(
						records
							.filter(
								(r) => r.decision === 'granted' && (r.validUntil === null || r.validUntil >= today)
							)
							.map((r) => carerKey(r.givenBy))
					);
					return inForce.size >= needed;
				}
			)
		);
	});
});
