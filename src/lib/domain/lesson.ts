import { z } from 'zod';

/**
 * The lesson format: what a teacher writes in `lessons/<id>/lesson.yaml` (and, translated,
 * `lesson.cy.yaml`). The build reads every file through `checkLessonFile`, which answers
 * with the file, the field and the reason for anything wrong; nothing here does I/O.
 * `lessons/README.md` explains the same rules in a teacher's words.
 */

export const strands = ['SII', 'OREL', 'OREP', 'OB', 'MOI', 'HWL', 'PS', 'CO'] as const;
export type Strand = (typeof strands)[number];

export const curriculumStatements = [
	'NC-KS1-private',
	'NC-KS1-help',
	'NC-KS2-safe',
	'NC-KS2-behaviour',
	'NC-KS2-report'
] as const;

export const lessonLanguages = ['en', 'cy'] as const;
export type LessonLanguage = (typeof lessonLanguages)[number];

export const questionTypes = [
	'choice',
	'best-step',
	'thumbs',
	'sort',
	'always-sometimes-never',
	'order',
	'hotspot',
	'branching',
	'how-sure'
] as const;
export type QuestionType = (typeof questionTypes)[number];

/** The bins of a sort, in the order they are shown. */
export const sortBins = {
	sort: ['ok', 'ask', 'not-ok'],
	'always-sometimes-never': ['always', 'sometimes', 'never']
} as const;
export type SortBin = 'ok' | 'ask' | 'not-ok' | 'always' | 'sometimes' | 'never';

export const sureLevels = ['sure', 'bit-sure', 'not-sure'] as const;
export type SureLevel = (typeof sureLevels)[number];

const id = z
	.string()
	.regex(
		/^[a-z0-9]+(-[a-z0-9]+)*$/,
		'use lower-case letters, digits and dashes, like "tell-a-grown-up"'
	);
const words = z.string().trim().min(1, 'must not be empty');
const pictureFile = z
	.string()
	.regex(/^[a-z0-9-]+\.svg$/, 'name an SVG file in the lesson folder, like "tablet.svg"');
const emoji = z.string().trim().min(1).max(16, 'one or two emoji, not a sentence');

/**
 * Ticks, crosses, thumbs and "no" signs. The app marks a pupil's answer with such signs, so
 * one beside a choice says which is right (or which is not) before the pupil has thought.
 */
const answerMarks = [
	'✅',
	'✔',
	'✓',
	'☑',
	'✗',
	'✘',
	'❌',
	'❎',
	'✖',
	'👍',
	'👎',
	'🚫',
	'⛔',
	'🆗',
	'💯'
];

/** The tick, cross or thumb in a choice's emoji, if it has one. */
export function answerMarkIn(picture: string | undefined): string | null {
	return picture ? (answerMarks.find((mark) => picture.includes(mark)) ?? null) : null;
}

/** A picture: an SVG drawn for the lesson (with words for those who cannot see it) or emoji. */
const pictured = {
	picture: pictureFile.optional(),
	emoji: emoji.optional(),
	alt: words.optional()
};

const scene = z.strictObject({
	text: words,
	...pictured,
	/** Spoken instead of the text, where reading it aloud word for word would not work. */
	narration: words.optional(),
	/** For the teacher's screen only. */
	notes: words.optional()
});

const questionBase = {
	id,
	strand: z.enum(strands, { error: `must be one of ${strands.join(', ')}` }),
	/** Which of the lesson's outcomes this question checks, counting from 1. */
	outcome: z.number().int().min(1),
	prompt: words,
	...pictured,
	narration: words.optional(),
	/** For the teacher's screen only (presenter mode). */
	notes: words.optional()
};

const option = z.strictObject({ id, text: words, ...pictured, feedback: words });

const choice = z.strictObject({
	...questionBase,
	type: z.literal('choice'),
	options: z.array(option).min(2).max(6),
	/** One option id, or a list when the pupil picks every right one. */
	answer: z.union([id, z.array(id).min(1)])
});

const bestStep = z.strictObject({
	...questionBase,
	type: z.literal('best-step'),
	options: z
		.array(option.extend({ step: z.enum(['best', 'helpful', 'unhelpful']) }))
		.min(3)
		.max(5)
});

const thumbs = z.strictObject({
	...questionBase,
	type: z.literal('thumbs'),
	answer: z.enum(['up', 'down']),
	feedback: z.strictObject({ up: words, down: words })
});

const sortItem = z.strictObject({ id, text: words, ...pictured, feedback: words });
const sort = z.strictObject({
	...questionBase,
	type: z.literal('sort'),
	items: z
		.array(sortItem.extend({ bin: z.enum(sortBins.sort) }))
		.min(2)
		.max(6)
});
const alwaysSometimesNever = z.strictObject({
	...questionBase,
	type: z.literal('always-sometimes-never'),
	items: z
		.array(sortItem.extend({ bin: z.enum(sortBins['always-sometimes-never']) }))
		.min(2)
		.max(6)
});

const order = z.strictObject({
	...questionBase,
	type: z.literal('order'),
	/** In the right order; the pupil sees them shuffled. `feedback` is said when a step is out of place. */
	steps: z
		.array(z.strictObject({ id, text: words, ...pictured, feedback: words }))
		.min(2)
		.max(5)
});

const percent = z.number().min(0).max(100);
const hotspot = z.strictObject({
	...questionBase,
	type: z.literal('hotspot'),
	picture: pictureFile,
	alt: words,
	/** Places on the picture, in percent of its width and height from the top left. */
	spots: z
		.array(
			z.strictObject({
				id,
				label: words,
				x: percent,
				y: percent,
				width: percent,
				height: percent,
				feedback: words
			})
		)
		.min(2)
		.max(8),
	/** The spot or spots to find. */
	answer: z.union([id, z.array(id).min(1)])
});

const storyNode = z.strictObject({
	id,
	text: words,
	...pictured,
	narration: words.optional(),
	/**
	 * `misstep`: not the protective choice, though the story can still end well from it (the
	 * character puts things right later). Reaching a good ending that way finishes the story
	 * but is not "right first time".
	 */
	choices: z
		.array(z.strictObject({ text: words, next: id, misstep: z.boolean().optional() }))
		.optional(),
	/** An ending: "good" is where the protective choice leads; "rethink" asks the pupil to rewind. */
	ending: z.enum(['good', 'rethink']).optional()
});
const branching = z.strictObject({
	...questionBase,
	type: z.literal('branching'),
	start: id,
	nodes: z.array(storyNode).min(3).max(12)
});

const howSure = z.strictObject({
	...questionBase,
	type: z.literal('how-sure'),
	feedback: z.strictObject({ sure: words, 'bit-sure': words, 'not-sure': words })
});

export const questionSchema = z.discriminatedUnion(
	'type',
	[choice, bestStep, thumbs, sort, alwaysSometimesNever, order, hotspot, branching, howSure],
	{
		error: (issue) =>
			issue.code === 'invalid_union'
				? `unknown question type; use one of ${questionTypes.join(', ')}`
				: undefined
	}
);

export const lessonSchema = z.strictObject({
	id,
	title: words,
	keyStage: z.enum(['KS1', 'KS2']),
	years: z.array(z.number().int().min(0).max(6)).min(1),
	/** Where the lesson sits in its year's list. */
	order: z.number().int().min(1),
	strands: z.array(z.enum(strands)).min(1),
	curriculum: z.array(z.enum(curriculumStatements)).min(1),
	outcomes: z.array(words).min(1).max(5),
	keyMessage: words,
	teacherNotes: z.strictObject({
		before: words,
		/** How to respond if a child tells you something: required in every lesson. */
		disclosure: words,
		discussion: z.array(words).optional(),
		help: words.optional()
	}),
	scenes: z.array(scene).min(1).max(8),
	questions: z.array(questionSchema).min(3).max(6)
});

export type LessonFile = z.infer<typeof lessonSchema>;
export type Question = z.infer<typeof questionSchema>;
export type Scene = z.infer<typeof scene>;
export type ChoiceQuestion = z.infer<typeof choice>;
export type BestStepQuestion = z.infer<typeof bestStep>;
export type ThumbsQuestion = z.infer<typeof thumbs>;
export type SortQuestion = z.infer<typeof sort> | z.infer<typeof alwaysSometimesNever>;
export type OrderQuestion = z.infer<typeof order>;
export type HotspotQuestion = z.infer<typeof hotspot>;
export type BranchingQuestion = z.infer<typeof branching>;
export type StoryNode = z.infer<typeof storyNode>;
export type HowSureQuestion = z.infer<typeof howSure>;

/** A lesson as the app ships it: pictures replaced by `data:` addresses the browser shows. */
export type Lesson = LessonFile & { language: LessonLanguage; version: string };

export interface LessonProblem {
	file: string;
	field: string;
	reason: string;
}

function asList(answer: string | string[]): string[] {
	return typeof answer === 'string' ? [answer] : answer;
}

/** Every picture file a lesson names, with the field that names it. */
export function picturesNamed(lesson: LessonFile): { field: string; file: string }[] {
	const found: { field: string; file: string }[] = [];
	const visit = (value: unknown, path: string) => {
		if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${path}[${i}]`));
		else if (value && typeof value === 'object') {
			for (const [key, inner] of Object.entries(value)) {
				const field = path ? `${path}.${key}` : key;
				if (key === 'picture' && typeof inner === 'string') found.push({ field, file: inner });
				else visit(inner, field);
			}
		}
	};
	visit(lesson, '');
	return found;
}

function fieldOf(path: PropertyKey[]): string {
	return path
		.map((part, i) =>
			typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`
		)
		.join('');
}

/**
 * Checks one parsed lesson file: the schema, then what a schema cannot say (answers that
 * name options, stories whose every path ends, pictures that exist, words for every picture).
 */
export function checkLessonFile(
	raw: unknown,
	file: string,
	folder: string,
	pictureExists: (name: string) => boolean
): { lesson: LessonFile | null; problems: LessonProblem[] } {
	const parsed = lessonSchema.safeParse(raw);
	if (!parsed.success) {
		return {
			lesson: null,
			problems: parsed.error.issues.map((issue) => ({
				file,
				field: fieldOf(issue.path) || '(the whole file)',
				reason: issue.message
			}))
		};
	}
	const lesson = parsed.data;
	const problems: LessonProblem[] = [];
	const problem = (field: string, reason: string) => problems.push({ file, field, reason });

	if (lesson.id !== folder) problem('id', `must match the folder name "${folder}"`);
	const wrongYears = lesson.years.filter((y) =>
		lesson.keyStage === 'KS1' ? y < 0 || y > 2 : y < 3 || y > 6
	);
	if (wrongYears.length > 0)
		problem('years', `year ${wrongYears.join(', ')} is not in ${lesson.keyStage}`);

	for (const { field, file: name } of picturesNamed(lesson)) {
		if (!pictureExists(name)) problem(field, `the picture "${name}" is not in the folder`);
	}
	const needsAlt = (field: string, thing: { picture?: string; alt?: string }) => {
		if (thing.picture && !thing.alt)
			problem(`${field}.alt`, 'a picture needs words (alt) for those who cannot see it');
	};
	lesson.scenes.forEach((s, i) => needsAlt(`scenes[${i}]`, s));
	const noAnswerMark = (field: string, thing: { emoji?: string }) => {
		const mark = answerMarkIn(thing.emoji);
		if (mark)
			problem(
				`${field}.emoji`,
				`"${mark}" gives the answer away before the pupil chooses (the app marks answers with ticks and crosses): show the thing itself`
			);
	};

	const questionIds = new Set<string>();
	lesson.questions.forEach((q, qi) => {
		const at = `questions[${qi}]`;
		if (questionIds.has(q.id)) problem(`${at}.id`, `"${q.id}" is used by another question`);
		questionIds.add(q.id);
		if (q.outcome > lesson.outcomes.length)
			problem(`${at}.outcome`, `there are only ${lesson.outcomes.length} outcomes`);
		if (!lesson.strands.includes(q.strand))
			problem(`${at}.strand`, `"${q.strand}" is not one of the lesson's strands`);
		if (q.type !== 'hotspot') needsAlt(at, q);

		const unique = (ids: string[], field: string) => {
			const seen = new Set<string>();
			for (const value of ids) {
				if (seen.has(value)) problem(field, `"${value}" is used twice`);
				seen.add(value);
			}
		};
		switch (q.type) {
			case 'choice':
			case 'hotspot': {
				const ids = q.type === 'choice' ? q.options.map((o) => o.id) : q.spots.map((s) => s.id);
				unique(ids, q.type === 'choice' ? `${at}.options` : `${at}.spots`);
				for (const a of asList(q.answer)) {
					if (!ids.includes(a))
						problem(
							`${at}.answer`,
							`"${a}" is not one of the ${q.type === 'choice' ? 'options' : 'spots'}`
						);
				}
				if (asList(q.answer).length >= ids.length)
					problem(
						`${at}.answer`,
						'at least one choice must be wrong, or there is nothing to think about'
					);
				if (q.type === 'choice')
					q.options.forEach((o, oi) => {
						needsAlt(`${at}.options[${oi}]`, o);
						noAnswerMark(`${at}.options[${oi}]`, o);
					});
				break;
			}
			case 'best-step': {
				unique(
					q.options.map((o) => o.id),
					`${at}.options`
				);
				const best = q.options.filter((o) => o.step === 'best').length;
				if (best !== 1)
					problem(`${at}.options`, `exactly one option must be the "best" step (found ${best})`);
				q.options.forEach((o, oi) => {
					needsAlt(`${at}.options[${oi}]`, o);
					noAnswerMark(`${at}.options[${oi}]`, o);
				});
				break;
			}
			case 'sort':
			case 'always-sometimes-never':
				unique(
					q.items.map((o) => o.id),
					`${at}.items`
				);
				q.items.forEach((o, oi) => {
					needsAlt(`${at}.items[${oi}]`, o);
					noAnswerMark(`${at}.items[${oi}]`, o);
				});
				break;
			case 'order':
				unique(
					q.steps.map((o) => o.id),
					`${at}.steps`
				);
				q.steps.forEach((o, oi) => {
					needsAlt(`${at}.steps[${oi}]`, o);
					noAnswerMark(`${at}.steps[${oi}]`, o);
				});
				break;
			case 'branching':
				checkStory(q, at, problem);
				break;
			case 'thumbs':
			case 'how-sure':
				break;
		}
	});
	return { lesson: problems.length === 0 ? lesson : null, problems };
}

function checkStory(
	q: BranchingQuestion,
	at: string,
	problem: (field: string, reason: string) => void
): void {
	const byId = new Map(q.nodes.map((n) => [n.id, n]));
	if (byId.size !== q.nodes.length) problem(`${at}.nodes`, 'two parts of the story share an id');
	if (!byId.has(q.start)) problem(`${at}.start`, `"${q.start}" is not a part of the story`);
	q.nodes.forEach((n, ni) => {
		const field = `${at}.nodes[${ni}]`;
		if (n.picture && !n.alt)
			problem(`${field}.alt`, 'a picture needs words (alt) for those who cannot see it');
		if (n.ending && n.choices) problem(field, 'an ending has no choices');
		if (!n.ending && (!n.choices || n.choices.length < 2))
			problem(`${field}.choices`, 'a part that is not an ending needs at least two choices');
		n.choices?.forEach((c, ci) => {
			if (!byId.has(c.next))
				problem(`${field}.choices[${ci}].next`, `"${c.next}" is not a part of the story`);
		});
	});
	if (!q.nodes.some((n) => n.ending === 'good'))
		problem(`${at}.nodes`, 'the story needs a "good" ending');
	else if (byId.has(q.start) && !protectivePathExists(q))
		problem(
			`${at}.nodes`,
			'no path reaches a "good" ending without a misstep, so no pupil could get it right first time'
		);
	// Every part must be reachable, and the story must not go round in circles.
	const reached = new Set<string>();
	const onPath = new Set<string>();
	let loops = false;
	const walk = (nodeId: string) => {
		if (onPath.has(nodeId)) {
			loops = true;
			return;
		}
		if (reached.has(nodeId)) return;
		reached.add(nodeId);
		onPath.add(nodeId);
		for (const c of byId.get(nodeId)?.choices ?? []) walk(c.next);
		onPath.delete(nodeId);
	};
	if (byId.has(q.start)) walk(q.start);
	if (loops)
		problem(`${at}.nodes`, 'the story goes round in a circle; every path must reach an ending');
	q.nodes.forEach((n, ni) => {
		if (byId.has(q.start) && !reached.has(n.id))
			problem(`${at}.nodes[${ni}]`, `"${n.id}" cannot be reached from the start`);
	});
}

/** Fields a translation must keep exactly as they are in English. */
const fixedInTranslation = new Set([
	'id',
	'type',
	'answer',
	'step',
	'bin',
	'next',
	'start',
	'ending',
	'picture',
	'emoji',
	'strand',
	'strands',
	'keyStage',
	'years',
	'order',
	'curriculum',
	'outcome',
	'x',
	'y',
	'width',
	'height'
]);

/**
 * A translation must be the same lesson: the same questions, options, answers and story,
 * in another language. Only words may differ; the first difference is named.
 */
export function checkTranslation(
	english: LessonFile,
	translated: LessonFile,
	file: string
): LessonProblem[] {
	const problems: LessonProblem[] = [];
	const compare = (a: unknown, b: unknown, field: string, fixed: boolean): boolean => {
		if (Array.isArray(a) || Array.isArray(b)) {
			if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
				problems.push({ file, field, reason: 'must have as many entries as the English lesson' });
				return false;
			}
			return a.every((v, i) => compare(v, b[i], `${field}[${i}]`, fixed));
		}
		if (a && typeof a === 'object' && b && typeof b === 'object') {
			const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
			for (const key of keys) {
				const inner = field ? `${field}.${key}` : key;
				const av = (a as Record<string, unknown>)[key];
				const bv = (b as Record<string, unknown>)[key];
				if ((av === undefined) !== (bv === undefined)) {
					problems.push({
						file,
						field: inner,
						reason:
							av === undefined
								? 'is not in the English lesson'
								: 'is missing; the English lesson has it'
					});
					return false;
				}
				if (!compare(av, bv, inner, fixedInTranslation.has(key))) return false;
			}
			return true;
		}
		if (fixed && a !== b) {
			problems.push({
				file,
				field,
				reason: `must stay ${JSON.stringify(a)} as in the English lesson`
			});
			return false;
		}
		return true;
	};
	compare(english, translated, '', false);
	return problems;
}

/** The story parts from the start to a good ending without a misstep, or null when there is none. */
export function protectivePath(q: BranchingQuestion): string[] | null {
	const walk = (id: string, seen: string[]): string[] | null => {
		const node = q.nodes.find((n) => n.id === id);
		if (!node || seen.includes(id)) return null;
		if (node.ending) return node.ending === 'good' ? [id] : null;
		for (const c of node.choices ?? []) {
			if (c.misstep) continue;
			const rest = walk(c.next, [...seen, id]);
			if (rest) return [id, ...rest];
		}
		return null;
	};
	return walk(q.start, []);
}

function protectivePathExists(q: BranchingQuestion): boolean {
	return protectivePath(q) !== null;
}
