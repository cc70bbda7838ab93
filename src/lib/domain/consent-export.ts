import { carerKey, type ConsentRecord, type Day } from './consent';
import { csvDocument, csvLine } from './csv';
import type { Translate } from './report-words';

/**
 * The consent overview as words: for each pupil and use, today's verdict and who answered and
 * when ("Not allowed — withdrawn by Amara Okoye (mother), 2026-11-05"). Used by the overview
 * page (on screen and printed) and by its CSV download. The verdict and its reason come from
 * the server's `consentCell`, so a new kind of verdict or reason flows through unchanged.
 */

/** The answer behind a cell: one carer's latest answer in force today. */
export type Answer = Pick<
	ConsentRecord,
	'decision' | 'givenBy' | 'relationship' | 'givenOn' | 'validUntil'
>;

/**
 * Is `a` a carer's later answer than `b`? As the verdict orders them (consent.ts): by day, then
 * by when it was recorded, then an objection after a grant, then the longer grant.
 */
function later(a: ConsentRecord, b: ConsentRecord): boolean {
	if (a.givenOn !== b.givenOn) return a.givenOn > b.givenOn;
	if (a.recordedAt !== b.recordedAt) return a.recordedAt > b.recordedAt;
	const objects = (r: ConsentRecord) => r.decision !== 'granted';
	if (objects(a) !== objects(b)) return objects(a);
	return (a.validUntil ?? '9999-12-31') > (b.validUntil ?? '9999-12-31');
}

/**
 * Each carer's latest answer for a use that counts today (a record counts from its first day),
 * the objections first, then the latest first: the answers the verdict was made from.
 */
export function answersInForce(
	records: readonly ConsentRecord[],
	useId: string,
	today: Day
): ConsentRecord[] {
	const latest = new Map<string, ConsentRecord>();
	for (const record of records) {
		if (record.useId !== useId || record.validFrom > today) continue;
		const key = carerKey(record.givenBy);
		const known = latest.get(key);
		if (!known || later(record, known)) latest.set(key, record);
	}
	return [...latest.values()].sort((a, b) => {
		const objects = (r: ConsentRecord) => (r.decision === 'granted' ? 1 : 0);
		if (objects(a) !== objects(b)) return objects(a) - objects(b);
		return later(a, b) ? -1 : later(b, a) ? 1 : 0;
	});
}

/** "withdrawn by Amara Okoye (mother), 2026-11-05" (and ", until …" for a grant with an end). */
export function answerWords(answer: Answer, t: Translate): string {
	const values = { name: answer.givenBy, relationship: answer.relationship, day: answer.givenOn };
	const words = t(`consentExport.answer.${answer.decision}`, values);
	return answer.decision === 'granted' && answer.validUntil
		? t('consentExport.until', { words, day: answer.validUntil })
		: words;
}

/** Today's verdict for one use, and why (as `consentCell` gives them). */
export interface CellVerdict {
	verdict: string;
	reason: string;
	/** For "other carers": how many carers' yeses are in force, and how many are needed. */
	carers?: { granted: number; needed: number };
}

/** What a verdict is called, as the overview's mark says it (never colour alone). */
export function verdictWords(cell: CellVerdict, t: Translate): string {
	if (cell.verdict === 'allowed') return t('consent.allowed');
	if (cell.verdict === 'check') return t('consentRules.check');
	return t(
		cell.reason === 'school-rule' ? 'consentRules.notAllowedSchoolRule' : 'consent.notAllowed'
	);
}

/** A cell's reason, unless the answers say it already (a grant, or a carer's "no"). */
export function reasonWords(cell: CellVerdict, t: Translate): string | null {
	if (cell.reason === 'granted' || cell.reason === 'objection') return null;
	// The school's own rules have their own words.
	if (cell.reason === 'other-carers' || cell.reason === 'school-rule')
		return t(`consentRules.reason.${cell.reason}`, cell.carers ?? {});
	return t(`consent.reason.${cell.reason}`);
}

/** One cell in words: "Not allowed — withdrawn by Amara Okoye (mother), 2026-11-05". */
export function cellWords(cell: CellVerdict, answers: readonly Answer[], t: Translate): string {
	const why = [reasonWords(cell, t), ...answers.map((a) => answerWords(a, t))].filter(
		(w): w is string => w !== null
	);
	const verdict = verdictWords(cell, t);
	return why.length === 0 ? verdict : `${verdict} — ${why.join('; ')}`;
}

export interface ExportPupil {
	className: string;
	name: string;
	noPhotos: boolean;
	/** Null unless the person downloading may see it. */
	noPhotosReason: string | null;
	/** Use id → today's verdict and why, from `consentCell`. */
	cells: Record<string, CellVerdict>;
	/** This pupil's records (any order). */
	records: readonly ConsentRecord[];
}

/**
 * One row per pupil, one column per use, safe to open in a spreadsheet (csv.ts). The column
 * with the no-photos reason is there only for those who may see it (`showReasons`).
 */
export function consentExportCsv(
	input: {
		uses: readonly { id: string; name: string }[];
		pupils: readonly ExportPupil[];
		showReasons: boolean;
		today: Day;
	},
	t: Translate
): string {
	const header = [
		t('consentExport.column.class'),
		t('consentExport.column.pupil'),
		t('consentExport.column.noPhotos'),
		...(input.showReasons ? [t('consentExport.column.noPhotosReason')] : []),
		...input.uses.map((u) => u.name)
	];
	const lines = [csvLine(header)];
	for (const p of input.pupils) {
		lines.push(
			csvLine([
				p.className,
				p.name,
				t(p.noPhotos ? 'consentExport.yes' : 'consentExport.no'),
				...(input.showReasons ? [p.noPhotos ? (p.noPhotosReason ?? '') : ''] : []),
				...input.uses.map((u) => {
					const cell = p.cells[u.id];
					if (!cell) return '';
					return cellWords(cell, answersInForce(p.records, u.id, input.today), t);
				})
			])
		);
	}
	return csvDocument(lines);
}
