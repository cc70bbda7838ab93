import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLessonFolder, unsafeSvg } from './lesson-folder';
import { lessonsPlugin } from './vite-plugin';

/**
 * A bad lesson file stops the build with the file, the field and the reason. Each case
 * copies the model lesson into a scratch folder and breaks one thing.
 */
const model = resolve('lessons/k1-trusted-grown-ups');
let root: string;
let lessonFile: string;

beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'lantern-lessons-'));
	cpSync(model, join(root, 'k1-trusted-grown-ups'), { recursive: true });
	rmSync(join(root, 'k1-trusted-grown-ups', 'lesson.cy.yaml'), { force: true });
	lessonFile = join(root, 'k1-trusted-grown-ups', 'lesson.yaml');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function edit(change: (text: string) => string, file = lessonFile) {
	const before = readFileSync(file, 'utf8');
	const after = change(before);
	expect(after, 'the test changed the file').not.toBe(before);
	writeFileSync(file, after);
}

function problems() {
	return readLessonFolder(root).problems;
}

describe('reading the lessons folder', () => {
	it('reads the model lesson without a problem', () => {
		const folder = readLessonFolder(root);
		expect(folder.problems).toEqual([]);
		expect(folder.lessons.map((l) => l.id)).toEqual(['k1-trusted-grown-ups']);
		expect(folder.lessons[0]!.version).toMatch(/^[0-9a-f]{12}$/);
	});

	it('names a missing field', () => {
		edit((t) => t.replace(/^keyMessage:.*\n/m, ''));
		expect(problems()).toEqual([
			{
				file: 'lessons/k1-trusted-grown-ups/lesson.yaml',
				field: 'keyMessage',
				reason: expect.stringMatching(/expected string/i) as string
			}
		]);
	});

	it('names an unknown question type', () => {
		edit((t) => t.replace('type: thumbs', 'type: crossword'));
		const found = problems();
		expect(found).toHaveLength(1);
		expect(found[0]).toMatchObject({ field: 'questions[1].type' });
		expect(found[0]!.reason).toContain('unknown question type');
		expect(found[0]!.reason).toContain('always-sometimes-never');
	});

	it('names an answer that points at no option', () => {
		edit((t) => t.replace('answer: uh-oh', 'answer: grumpy'));
		expect(problems()).toEqual([
			{
				file: 'lessons/k1-trusted-grown-ups/lesson.yaml',
				field: 'questions[2].answer',
				reason: '"grumpy" is not one of the options'
			}
		]);
	});

	it('names a picture that is not in the folder', () => {
		rmSync(join(root, 'k1-trusted-grown-ups', 'pip-gran.svg'));
		expect(problems()).toEqual([
			{
				file: 'lessons/k1-trusted-grown-ups/lesson.yaml',
				field: 'scenes[2].picture',
				reason: 'the picture "pip-gran.svg" is not in the folder'
			}
		]);
	});

	it('asks for words for every picture', () => {
		edit((t) => t.replace(/\n {4}alt: Pip sits on a beanbag.*/, ''));
		expect(problems()).toMatchObject([{ field: 'scenes[0].alt' }]);
	});

	it('names a question whose outcome or strand is not the lesson’s', () => {
		edit((t) => t.replace('    strand: SII\n    outcome: 2', '    strand: CO\n    outcome: 9'));
		expect(problems().map((p) => p.field)).toEqual(['questions[2].outcome', 'questions[2].strand']);
	});

	it('says where YAML cannot be read', () => {
		edit((t) => t.replace('title: My trusted', 'title: [My trusted'));
		const [first] = problems();
		expect(first!.field).toMatch(/^line \d+$/);
		expect(first!.reason).toContain('not readable YAML');
	});

	it('refuses an id that differs from its folder and a year outside the key stage', () => {
		edit((t) =>
			t
				.replace('id: k1-trusted-grown-ups', 'id: k1-other')
				.replace('years: [1, 2]', 'years: [1, 5]')
		);
		expect(problems().map((p) => `${p.field}: ${p.reason}`)).toEqual([
			'id: must match the folder name "k1-trusted-grown-ups"',
			'years: year 5 is not in KS1'
		]);
	});

	it('refuses an SVG with a script or a link out, and an unused picture', () => {
		expect(unsafeSvg('<svg viewBox="0 0 1 1"><script>alert(1)</script></svg>')).toContain(
			'scripts'
		);
		expect(unsafeSvg('<svg viewBox="0 0 1 1"><a href="https://example.org">x</a></svg>')).toContain(
			'link'
		);
		expect(unsafeSvg('<svg viewBox="0 0 1 1" onload="x()"></svg>')).toContain('event handlers');
		expect(unsafeSvg('<svg><rect/></svg>')).toContain('viewBox');
		writeFileSync(join(root, 'k1-trusted-grown-ups', 'spare.svg'), '<svg viewBox="0 0 1 1"></svg>');
		expect(problems()).toMatchObject([
			{
				file: 'lessons/k1-trusted-grown-ups/spare.svg',
				reason: expect.stringContaining('not used') as string
			}
		]);
	});

	it('refuses a tick, a cross or a thumb beside an answer: it would give the answer away', () => {
		const file = 'lessons/k1-trusted-grown-ups/lesson.yaml';
		const gives = expect.stringContaining('gives the answer away') as string;
		// Beside a right answer, and beside a wrong one (which points at the others).
		edit((t) => t.replace('        emoji: 🧑‍🏫\n', '        emoji: ✅\n'));
		edit((t) => t.replace('        emoji: 🐶\n', '        emoji: ❌\n'));
		// On a step to put in order, too.
		edit((t) => t.replace('        emoji: 🚶\n', '        emoji: 👍🏽\n'));
		expect(problems()).toEqual([
			{ file, field: 'questions[0].options[0].emoji', reason: gives },
			{ file, field: 'questions[0].options[1].emoji', reason: gives },
			{ file, field: 'questions[3].steps[1].emoji', reason: gives }
		]);
	});

	it('refuses a translation that changes more than the words', () => {
		const cy = join(root, 'k1-trusted-grown-ups', 'lesson.cy.yaml');
		writeFileSync(cy, readFileSync(lessonFile, 'utf8').replace('answer: uh-oh', 'answer: happy'));
		expect(problems()).toEqual([
			{
				file: 'lessons/k1-trusted-grown-ups/lesson.cy.yaml',
				field: 'questions[2].answer',
				reason: 'must stay "uh-oh" as in the English lesson'
			}
		]);
		writeFileSync(
			cy,
			readFileSync(lessonFile, 'utf8').replace('Pip likes to watch', 'Mae Pip yn hoffi gwylio')
		);
		expect(problems()).toEqual([]);
	});

	it('refuses a story whose every good ending needs a misstep', () => {
		const story = `
  - id: story
    type: branching
    strand: HWL
    outcome: 1
    prompt: What should Pip do?
    start: begin
    nodes:
      - id: begin
        text: Pip sees something odd.
        choices:
          - text: Keep watching.
            next: later
            misstep: true
          - text: Hide it.
            next: hidden
      - id: later
        text: Pip feels worse.
        choices:
          - text: Tell Gran.
            next: told
          - text: Keep it in.
            next: hidden
      - id: told
        text: Gran helps.
        ending: good
      - id: hidden
        text: Pip still feels bad.
        ending: rethink
`;
		edit((t) => t.replace(/\n {2}- id: how-sure[\s\S]*$/, story));
		expect(problems()).toMatchObject([
			{ field: 'questions[4].nodes', reason: expect.stringContaining('misstep') as string }
		]);
	});

	it('fails the build with every problem listed', () => {
		edit((t) => t.replace('answer: uh-oh', 'answer: grumpy'));
		const plugin = lessonsPlugin(root);
		const start = plugin.buildStart as (this: { addWatchFile(f: string): void }) => void;
		expect(() => start.call({ addWatchFile: () => undefined })).toThrow(
			'lessons/k1-trusted-grown-ups/lesson.yaml — questions[2].answer: "grumpy" is not one of the options'
		);
	});
});
