import {
	carerKey,
	isPlausibleDay,
	type ConsentRecord,
	type ConsentSource,
	type Day,
	type Decision
} from './consent';

/**
 * One paper form (or email, or a conversation written down) from one parent or carer: one
 * name, one date, one source, and an answer for each use the form asks about. Staff copy the
 * whole form in one save; a use the carer left blank ("not on the form") records nothing.
 */

/** How a form can come (an import has its own page). */
export const formSources = [
	'paper-form',
	'email',
	'in-person'
] as const satisfies readonly ConsentSource[];
export type FormSource = (typeof formSources)[number];

/** A use's answer on the form: yes, no, or nothing written for it. */
export const formAnswers = ['yes', 'no', 'none'] as const;
export type FormAnswer = (typeof formAnswers)[number];

/** What was typed, as posted (dates as text, `validFrom` and `validUntil` may be empty). */
export interface PaperFormInput {
	givenBy: string;
	relationship: string;
	givenOn: string;
	validFrom: string;
	validUntil: string;
	source: string;
	/** Use id → 'yes' | 'no' | 'none'; a use left out is 'none'. */
	answers: Record<string, string>;
}

export interface PaperForm {
	givenBy: string;
	relationship: string;
	givenOn: Day;
	validFrom: Day;
	validUntil: Day | null;
	source: FormSource;
	/** Only the uses answered yes or no, in the school's order. */
	answers: { useId: string; answer: 'yes' | 'no' }[];
}

/** The first problem, with the field it is in (`answer:<use id>` for one use's answer). */
export interface FormProblem {
	field: string;
	error: string;
}

/** The form field that holds a use's answer. */
export const answerField = (useId: string) => `answer:${useId}`;

const problem = (field: string, error: string): { ok: false } & FormProblem => ({
	ok: false,
	field,
	error
});

/**
 * Checks a whole form against the school's uses (in order) and today. Fields are checked in
 * the order they stand on the page, so the message names the first one to look at.
 */
export function checkPaperForm(
	input: PaperFormInput,
	useIds: readonly string[],
	today: Day
): { ok: true; form: PaperForm } | ({ ok: false } & FormProblem) {
	const givenBy = input.givenBy.trim().replace(/\s+/g, ' ');
	if (givenBy.length === 0 || givenBy.length > 80)
		return problem('givenBy', 'consentForm.error.givenBy');
	const relationship = input.relationship.trim().replace(/\s+/g, ' ');
	if (relationship.length === 0 || relationship.length > 40)
		return problem('relationship', 'consentForm.error.relationship');
	const givenOn = input.givenOn.trim();
	if (!isPlausibleDay(givenOn)) return problem('givenOn', 'consentForm.error.givenOn');
	if (givenOn > today) return problem('givenOn', 'consentForm.error.givenOnFuture');
	const source = formSources.find((s) => s === input.source);
	if (!source) return problem('source', 'consentForm.error.source');
	const validFrom = input.validFrom.trim() || givenOn;
	if (!isPlausibleDay(validFrom)) return problem('validFrom', 'consentForm.error.validFrom');
	const until = input.validUntil.trim();
	if (until !== '' && !isPlausibleDay(until))
		return problem('validUntil', 'consentForm.error.validUntil');
	if (until !== '' && until < validFrom)
		return problem('validUntil', 'consentForm.error.untilBeforeFrom');
	for (const [useId, answer] of Object.entries(input.answers)) {
		if (!useIds.includes(useId)) return problem('answers', 'consentForm.error.use');
		if (!(formAnswers as readonly string[]).includes(answer))
			return problem(answerField(useId), 'consentForm.error.answer');
	}
	const answers = useIds.flatMap((useId): PaperForm['answers'] => {
		const answer = input.answers[useId];
		return answer === 'yes' || answer === 'no' ? [{ useId, answer }] : [];
	});
	if (answers.length === 0) return problem('answers', 'consentForm.error.noAnswers');
	return {
		ok: true,
		form: {
			givenBy,
			relationship,
			givenOn,
			validFrom,
			validUntil: until === '' ? null : until,
			source,
			answers
		}
	};
}

/**
 * What a form's answer for one use is stored as, given the earlier records for this pupil and
 * use (oldest first): "yes" is a grant; "no" is a withdrawal where this carer's latest answer
 * was a yes (or already a withdrawal), and a refusal where it is their first "no". The import
 * decides the same way.
 */
export function formDecision(
	answer: 'yes' | 'no',
	earlier: readonly ConsentRecord[],
	givenBy: string
): Decision {
	if (answer === 'yes') return 'granted';
	const carer = carerKey(givenBy);
	const last = earlier.filter((r) => carerKey(r.givenBy) === carer).at(-1);
	return last && last.decision !== 'refused' ? 'withdrawn' : 'refused';
}
