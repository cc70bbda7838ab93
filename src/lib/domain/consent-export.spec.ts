import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n/i18n.svelte';
import { addConsentWords } from '$lib/i18n/consent';
import type { ConsentRecord } from './consent';
import { answersInForce, consentExportCsv, type ExportPupil } from './consent-export';

addConsentWords();
const t = translator('en');
const today = '2026-11-22';
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
const uses = [
	{ id: 'website', name: 'School website' },
	{ id: 'press', name: 'Local or national press' }
];
const pupil = (over: Partial<ExportPupil> = {}): ExportPupil => ({
	className: 'Hedgehogs',
	name: 'Tomos P.',
	noPhotos: false,
	noPhotosReason: null,
	cells: {
		website: { verdict: 'not-allowed', reason: 'objection' },
		press: { verdict: 'not-allowed', reason: 'unanswered' }
	},
	records: [
		record(),
		record({
			decision: 'withdrawn',
			givenOn: '2026-11-05',
			validFrom: '2026-11-05',
			recordedAt: '2026-11-05T09:00:00.000Z'
		})
	],
	...over
});
const rows = (csv: string) => Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;

describe('the consent overview as CSV', () => {
	it('has one row per pupil with, per use, today’s answer and who answered and when', () => {
		const csv = consentExportCsv({ uses, pupils: [pupil()], showReasons: false, today }, t);
		expect(csv.startsWith('\uFEFF')).toBe(true);
		const [header, row] = rows(csv);
		expect(header).toEqual([
			'Class',
			'Pupil',
			'On the no-photos list',
			'School website',
			'Local or national press'
		]);
		expect(row).toEqual([
			'Hedgehogs',
			'Tomos P.',
			'No',
			'Not allowed — withdrawn by Amara Okoye (mother), 2026-11-05',
			'Not allowed — no answer yet'
		]);
	});

	it('says who gave consent, and until when, and puts objections first', () => {
		const father = record({ givenBy: 'Kofi Okoye', relationship: 'father', decision: 'refused' });
		const limited = record({ validUntil: '2027-07-20' });
		const csv = consentExportCsv(
			{
				uses,
				pupils: [
					pupil({
						cells: {
							website: { verdict: 'allowed', reason: 'granted' },
							press: { verdict: 'not-allowed', reason: 'objection' }
						},
						records: [limited, { ...limited, useId: 'press' }, { ...father, useId: 'press' }]
					})
				],
				showReasons: false,
				today
			},
			t
		);
		const row = rows(csv)[1]!;
		expect(row[3]).toBe(
			'Allowed — consent given by Amara Okoye (mother), 2026-09-05, until 2027-07-20'
		);
		expect(row[4]).toBe(
			'Not allowed — refused by Kofi Okoye (father), 2026-09-05; consent given by Amara Okoye (mother), 2026-09-05, until 2027-07-20'
		);
	});

	it('neutralises anything a spreadsheet would read as a formula', () => {
		const csv = consentExportCsv(
			{
				uses: [{ id: 'website', name: '=HYPERLINK("http://example.org")' }],
				pupils: [
					pupil({
						name: '+Tomos P.',
						className: '@Class',
						records: [record({ givenBy: '-cmd|calc', relationship: '=1+1' })],
						cells: { website: { verdict: 'allowed', reason: 'granted' } }
					})
				],
				showReasons: false,
				today
			},
			t
		);
		const [header, row] = rows(csv);
		expect(header![3]).toBe(`'=HYPERLINK("http://example.org")`);
		expect(row![0]).toBe(`'@Class`);
		expect(row![1]).toBe(`'+Tomos P.`);
		// Inside a longer cell the text does not start the cell, so it is inert; but it is kept.
		expect(row![3]).toContain('-cmd|calc (=1+1)');
		for (const cell of [...header!, ...row!]) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
	});

	it('gives the no-photos reason only to those who may see it', () => {
		const flagged = pupil({
			noPhotos: true,
			noPhotosReason: 'Made-up reason',
			cells: {
				website: { verdict: 'not-allowed', reason: 'no-photos' },
				press: { verdict: 'not-allowed', reason: 'no-photos' }
			}
		});
		const hidden = consentExportCsv({ uses, pupils: [flagged], showReasons: false, today }, t);
		expect(hidden).not.toContain('Made-up reason');
		expect(rows(hidden)[0]).not.toContain('Why on the no-photos list');
		expect(rows(hidden)[1]![2]).toBe('Yes');
		expect(rows(hidden)[1]![3]).toBe(
			'Not allowed — on the no-photos list; withdrawn by Amara Okoye (mother), 2026-11-05'
		);
		const shown = rows(consentExportCsv({ uses, pupils: [flagged], showReasons: true, today }, t));
		expect(shown[0]![3]).toBe('Why on the no-photos list');
		expect(shown[1]![3]).toBe('Made-up reason');
	});

	it('counts each carer’s latest answer in force today, as the verdict does', () => {
		const later = record({
			decision: 'withdrawn',
			givenOn: '2026-11-05',
			validFrom: '2026-11-05',
			recordedAt: '2026-11-05T09:00:00.000Z'
		});
		const future = record({
			givenBy: 'Kofi Okoye',
			givenOn: '2026-11-20',
			validFrom: '2026-12-01',
			recordedAt: '2026-11-20T09:00:00.000Z'
		});
		expect(answersInForce([later, record(), future], 'website', today)).toEqual([later]);
		expect(answersInForce([later], 'press', today)).toEqual([]);
	});
});

describe('the school’s own rules in the CSV', () => {
	it('says "Check" with how many carers have said yes, and "Not allowed (school rule)"', () => {
		const csv = consentExportCsv(
			{
				uses,
				pupils: [
					pupil({
						cells: {
							website: {
								verdict: 'check',
								reason: 'other-carers',
								carers: { granted: 1, needed: 2 }
							},
							press: { verdict: 'not-allowed', reason: 'school-rule' }
						},
						records: [record(), record({ useId: 'press' })]
					})
				],
				showReasons: false,
				today
			},
			t
		);
		const row = rows(csv)[1]!;
		expect(row[3]).toBe(
			'Check — 1 of 2 carers said yes; consent given by Amara Okoye (mother), 2026-09-05'
		);
		expect(row[4]).toBe(
			'Not allowed (school rule) — the school never allows this use, whatever carers say; consent given by Amara Okoye (mother), 2026-09-05'
		);
	});
});
