import { strands, type Lesson, type Question, type Strand } from '$lib/domain/lesson';
import { attemptProblem, attemptSchema, isScored } from '$lib/domain/quiz';
import { canUseClass } from '$lib/domain/roles';
import { csvDocument, csvLine } from '$lib/domain/csv';
import { bodyHash } from '../body-hash';
import type { AppContext, StaffActor } from '../context';
import { appendAudit } from '../repositories/audit.repository';
import { getClass } from '../repositories/class.repository';
import {
	attemptsOfClass,
	findAttemptHash,
	insertAttempt,
	questionTallies
} from '../repositories/lesson.repository';
import { getPupil, listPupilsOfClass, type PupilRecord } from '../repositories/pupil.repository';
import type { DeviceActor } from './device.service';

// ---- Receiving a finished lesson from a class device ----

export type AttemptResult =
	| { status: 201 | 200; body: { id: string; receivedAt: string } }
	| { status: 400 | 403 | 422; body: { error: string } };

/**
 * Stores a finished lesson exactly once: a replay gets the first answer; the same id with
 * another body, an unknown lesson, a pupil of another class or answers that do not add up
 * (a score no pupil could have got) are refused and change nothing.
 */
export async function submitAttempt(
	ctx: AppContext,
	device: DeviceActor,
	raw: unknown
): Promise<AttemptResult> {
	const parsed = attemptSchema.safeParse(raw);
	if (!parsed.success) {
		const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'body'))];
		return {
			status: 400,
			body: { error: `The lesson result was not in the expected shape (${fields.join(', ')}).` }
		};
	}
	const attempt = parsed.data;
	const hash = bodyHash(attempt);
	const replay = (earlier: {
		schoolId: string;
		bodyHash: string;
		receivedAt: string;
	}): AttemptResult =>
		earlier.schoolId === device.schoolId && earlier.bodyHash === hash
			? { status: 200, body: { id: attempt.id, receivedAt: earlier.receivedAt } }
			: { status: 422, body: { error: 'A different lesson result already has this id.' } };

	const earlier = await findAttemptHash(ctx.db, attempt.id);
	if (earlier) return replay(earlier);

	const lesson = ctx.lessons.get(attempt.lessonId);
	if (!lesson) return { status: 422, body: { error: 'There is no such lesson.' } };
	const problem = attemptProblem(lesson, attempt);
	if (problem)
		return { status: 422, body: { error: `These answers do not fit the lesson: ${problem}.` } };
	const pupil = await getPupil(ctx.db, device.schoolId, attempt.pupilId);
	if (!pupil || pupil.archived || !device.classIds.includes(pupil.classId))
		return { status: 403, body: { error: 'This pupil is not in one of this device’s classes.' } };

	const receivedAt = ctx.clock.now().toISOString();
	const stored = await ctx.db.transaction().execute((trx) =>
		insertAttempt(trx, {
			id: attempt.id,
			schoolId: device.schoolId,
			deviceId: device.deviceId,
			pupilId: pupil.id,
			classId: pupil.classId,
			lessonId: lesson.id,
			version: attempt.version,
			lang: attempt.language,
			startedAt: attempt.startedAt,
			completedAt: attempt.completedAt,
			receivedAt,
			correct: attempt.score.correct,
			total: attempt.score.total,
			bodyHash: hash,
			answers: attempt.answers.map((a, i) => {
				const q = lesson.questions[i]!;
				return {
					questionId: a.questionId,
					strand: q.strand,
					scored: isScored(q),
					firstTime: a.firstTime,
					tries: a.tries,
					given: a.given
				};
			})
		})
	);
	if (!stored) {
		// Another copy of this request got in first.
		const first = await findAttemptHash(ctx.db, attempt.id);
		if (first) return replay(first);
	}
	return { status: 201, body: { id: attempt.id, receivedAt } };
}

// ---- Results for teachers ----

export interface PupilLessonCell {
	finished: boolean;
	/** The first attempt's score: what the pupil knew before practising. */
	correct: number;
	total: number;
	attempts: number;
	lastAt: string | null;
}

export interface StrandResult {
	strand: Strand;
	lessons: number;
	/** Pupils who finished at least one lesson of the strand, of the class. */
	pupilsCovered: number;
	answers: number;
	firstTime: number;
}

export interface HardQuestion {
	lessonId: string;
	lessonTitle: string;
	questionId: string;
	prompt: string;
	strand: string;
	answers: number;
	firstTime: number;
}

export interface ClassResults {
	classId: string;
	className: string;
	yearGroup: number;
	lessons: { id: string; title: string; strands: Strand[] }[];
	pupils: { id: string; name: string; cells: Record<string, PupilLessonCell> }[];
	strands: StrandResult[];
	hardest: HardQuestion[];
}

export type ResultsOutcome = { ok: true; results: ClassResults } | { ok: false; status: 403 | 404 };

/** Lessons shown to a year group, in their order. */
export function lessonsForYear(lessons: readonly Lesson[], yearGroup: number): Lesson[] {
	return lessons.filter((l) => l.years.includes(yearGroup)).sort((a, b) => a.order - b.order);
}

export async function classResults(
	ctx: AppContext,
	actor: StaffActor,
	classId: string
): Promise<ResultsOutcome> {
	if (!canUseClass(actor, classId)) return { ok: false, status: 403 };
	const cls = await getClass(ctx.db, actor.schoolId, classId);
	if (!cls) return { ok: false, status: 404 };
	const [pupils, attempts, tallies] = await Promise.all([
		listPupilsOfClass(ctx.db, actor.schoolId, classId),
		attemptsOfClass(ctx.db, actor.schoolId, classId),
		questionTallies(ctx.db, actor.schoolId, classId)
	]);
	const yearLessons = lessonsForYear(ctx.lessons.all, cls.yearGroup);
	// Lessons taught outside the year's list (a teacher may use another one) still show.
	const extra = [...new Set(attempts.map((a) => a.lessonId))]
		.filter((id) => !yearLessons.some((l) => l.id === id))
		.flatMap((id) => ctx.lessons.get(id) ?? []);
	const lessons = [...yearLessons, ...extra];

	const cellsOf = (pupil: PupilRecord) => {
		const cells: Record<string, PupilLessonCell> = {};
		for (const l of lessons) {
			const mine = attempts.filter((a) => a.pupilId === pupil.id && a.lessonId === l.id);
			const first = mine[0];
			cells[l.id] = {
				finished: mine.length > 0,
				correct: first?.correct ?? 0,
				total: first?.total ?? 0,
				attempts: mine.length,
				lastAt: mine.at(-1)?.completedAt ?? null
			};
		}
		return cells;
	};
	const rows = pupils.map((p) => ({
		id: p.id,
		name: `${p.firstName} ${p.lastInitial}.`,
		cells: cellsOf(p)
	}));

	const strandResults: StrandResult[] = strands.map((strand) => {
		const strandLessons = lessons.filter((l) => l.strands.includes(strand)).map((l) => l.id);
		const covered = pupils.filter((p) =>
			attempts.some((a) => a.pupilId === p.id && strandLessons.includes(a.lessonId))
		).length;
		const mine = tallies.filter((t) => t.strand === strand);
		return {
			strand,
			lessons: strandLessons.length,
			pupilsCovered: covered,
			answers: mine.reduce((n, t) => n + t.answers, 0),
			firstTime: mine.reduce((n, t) => n + t.firstTime, 0)
		};
	});

	return {
		ok: true,
		results: {
			classId,
			className: cls.name,
			yearGroup: cls.yearGroup,
			lessons: lessons.map((l) => ({ id: l.id, title: l.title, strands: l.strands })),
			pupils: rows,
			strands: strandResults,
			hardest: hardestQuestions(ctx, tallies, 5)
		}
	};
}

/** The questions the class most often did not get right first time, hardest first. */
function hardestQuestions(
	ctx: AppContext,
	tallies: Awaited<ReturnType<typeof questionTallies>>,
	limit: number
): HardQuestion[] {
	return tallies
		.filter((t) => t.firstTime < t.answers)
		.sort(
			(a, b) =>
				a.firstTime / a.answers - b.firstTime / b.answers ||
				b.answers - a.answers ||
				a.lessonId.localeCompare(b.lessonId) ||
				a.questionId.localeCompare(b.questionId)
		)
		.flatMap((t) => {
			const lesson = ctx.lessons.get(t.lessonId);
			const q = lesson?.questions.find((x) => x.id === t.questionId);
			return lesson && q ? [{ ...t, lessonTitle: lesson.title, prompt: q.prompt }] : [];
		})
		.slice(0, limit);
}

/**
 * A recap quiz made from the class's earlier answers: the questions most often not right
 * first time (at most six), in the order of the lessons they come from.
 */
export async function recapFor(
	ctx: AppContext,
	actor: StaffActor,
	classId: string
): Promise<
	| { ok: true; className: string; questions: { lessonId: string; question: Question }[] }
	| { ok: false; status: 403 | 404 }
> {
	if (!canUseClass(actor, classId)) return { ok: false, status: 403 };
	const cls = await getClass(ctx.db, actor.schoolId, classId);
	if (!cls) return { ok: false, status: 404 };
	const tallies = await questionTallies(ctx.db, actor.schoolId, classId);
	const picked = hardestQuestions(ctx, tallies, 6);
	const questions = picked.flatMap((h) => {
		const q = ctx.lessons.get(h.lessonId)?.questions.find((x) => x.id === h.questionId);
		return q ? [{ lessonId: h.lessonId, question: q }] : [];
	});
	return { ok: true, className: cls.name, questions };
}

/** The class's results as a spreadsheet: one line a pupil and lesson. Exporting is audited. */
export async function resultsCsv(
	ctx: AppContext,
	actor: StaffActor,
	classId: string
): Promise<{ ok: true; csv: string; filename: string } | { ok: false; status: 403 | 404 }> {
	const outcome = await classResults(ctx, actor, classId);
	if (!outcome.ok) return outcome;
	const r = outcome.results;
	const lines = [
		csvLine([
			'Pupil',
			'Lesson',
			'Strands',
			'Finished',
			'Right first time',
			'Questions scored',
			'Times finished',
			'Last finished (UTC)'
		])
	];
	for (const p of r.pupils) {
		for (const l of r.lessons) {
			const c = p.cells[l.id]!;
			lines.push(
				csvLine([
					p.name,
					l.title,
					l.strands.join(' '),
					c.finished ? 'yes' : 'no',
					c.finished ? c.correct : '',
					c.finished ? c.total : '',
					c.attempts,
					c.lastAt ?? ''
				])
			);
		}
	}
	await ctx.db.transaction().execute((trx) =>
		appendAudit(trx, {
			schoolId: actor.schoolId,
			at: ctx.clock.now(),
			actorId: actor.staffId,
			action: 'lesson.results-exported',
			subjectType: 'class',
			subjectId: classId,
			detail: { rows: lines.length - 1 }
		})
	);
	const safeName = r.className.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'class';
	return { ok: true, csv: csvDocument(lines), filename: `lantern-results-${safeName}.csv` };
}
