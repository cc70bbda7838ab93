import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import {
	checkLessonFile,
	checkTranslation,
	lessonLanguages,
	picturesNamed,
	type LessonFile,
	type LessonLanguage,
	type LessonProblem
} from '../../domain/lesson';

/**
 * Reads the `lessons/` folder (Node only: the build, the content tests and the check script).
 * Relative imports only: the Vite config loads this file before any alias exists.
 */

export interface LessonSource {
	id: string;
	/** A short hash of the lesson's files: attempts say which version they answered. */
	version: string;
	languages: Partial<Record<LessonLanguage, LessonFile>>;
	english: LessonFile;
	/** SVG text by file name. */
	pictures: Map<string, string>;
}

export interface LessonFolder {
	lessons: LessonSource[];
	problems: LessonProblem[];
}

const fileFor = (lang: LessonLanguage) => (lang === 'en' ? 'lesson.yaml' : `lesson.${lang}.yaml`);

/** Why an SVG may not be shown, or null. Pictures are drawn by us: no scripts, no links out. */
export function unsafeSvg(svg: string): string | null {
	if (!/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/u.test(svg))
		return 'is not an SVG drawing (it must start with <svg>)';
	if (/<script|<foreignObject|<iframe|<image/iu.test(svg))
		return 'must not hold scripts, embedded pages or images';
	if (/\son[a-z]+\s*=/iu.test(svg)) return 'must not hold event handlers (on...= attributes)';
	if (/(href|src)\s*=\s*["'](?!#)/iu.test(svg))
		return 'must not link to anything outside the drawing';
	if (!/viewBox\s*=/u.test(svg)) return 'needs a viewBox so it scales to any screen';
	return null;
}

function parseYaml(text: string, file: string): { value: unknown; problems: LessonProblem[] } {
	const lineCounter = new LineCounter();
	const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
	if (doc.errors.length > 0) {
		return {
			value: null,
			problems: doc.errors.map((e) => {
				const at = lineCounter.linePos(e.pos[0]);
				return {
					file,
					field: `line ${at.line}`,
					reason: `not readable YAML: ${e.message.split('\n')[0]}`
				};
			})
		};
	}
	return { value: doc.toJS() as unknown, problems: [] };
}

export function readLessonFolder(root: string): LessonFolder {
	const problems: LessonProblem[] = [];
	const lessons: LessonSource[] = [];
	const folders = readdirSync(root)
		.filter((name) => statSync(join(root, name)).isDirectory())
		.sort();
	for (const folder of folders) {
		const dir = join(root, folder);
		const files = readdirSync(dir);
		const pictures = new Map<string, string>();
		for (const name of files.filter((f) => f.endsWith('.svg'))) {
			const svg = readFileSync(join(dir, name), 'utf8');
			const why = unsafeSvg(svg);
			if (why)
				problems.push({ file: `lessons/${folder}/${name}`, field: '(the picture)', reason: why });
			else pictures.set(name, svg);
		}
		const hash = createHash('sha256');
		const languages: Partial<Record<LessonLanguage, LessonFile>> = {};
		for (const lang of lessonLanguages) {
			const path = join(dir, fileFor(lang));
			const file = `lessons/${folder}/${fileFor(lang)}`;
			if (!existsSync(path)) {
				if (lang === 'en')
					problems.push({
						file,
						field: '(the file)',
						reason: 'every lesson folder needs a lesson.yaml in English'
					});
				continue;
			}
			const text = readFileSync(path, 'utf8');
			hash.update(text);
			const yaml = parseYaml(text, file);
			problems.push(...yaml.problems);
			if (yaml.problems.length > 0) continue;
			const checked = checkLessonFile(
				yaml.value,
				file,
				folder,
				(name) => pictures.has(name) || files.includes(name)
			);
			problems.push(...checked.problems);
			if (checked.lesson) languages[lang] = checked.lesson;
		}
		const stray = files.filter(
			(f) => f.endsWith('.yaml') && !lessonLanguages.some((l) => fileFor(l) === f)
		);
		for (const f of stray)
			problems.push({
				file: `lessons/${folder}/${f}`,
				field: '(the file)',
				reason: `unknown file; lessons are lesson.yaml and ${lessonLanguages
					.filter((l) => l !== 'en')
					.map(fileFor)
					.join(', ')}`
			});
		const english = languages.en;
		if (!english) continue;
		for (const lang of lessonLanguages) {
			const translated = languages[lang];
			if (lang === 'en' || !translated) continue;
			const found = checkTranslation(english, translated, `lessons/${folder}/${fileFor(lang)}`);
			problems.push(...found);
			if (found.length > 0) delete languages[lang];
		}
		const named = new Set(picturesNamed(english).map((p) => p.file));
		for (const name of pictures.keys()) {
			if (!named.has(name))
				problems.push({
					file: `lessons/${folder}/${name}`,
					field: '(the picture)',
					reason: 'is not used by the lesson; remove it or name it'
				});
		}
		for (const name of pictures.keys()) hash.update(pictures.get(name) ?? '');
		lessons.push({
			id: folder,
			version: hash.digest('hex').slice(0, 12),
			languages,
			english,
			pictures
		});
	}
	const orders = new Map<string, string>();
	for (const l of lessons) {
		for (const year of l.english.years) {
			const key = `${year}:${l.english.order}`;
			const other = orders.get(key);
			if (other)
				problems.push({
					file: `lessons/${l.id}/lesson.yaml`,
					field: 'order',
					reason: `year ${year} already has lesson ${l.english.order} ("${other}")`
				});
			orders.set(key, l.id);
		}
	}
	return { lessons, problems };
}

export function describeProblems(problems: LessonProblem[]): string {
	return problems.map((p) => `${p.file} — ${p.field}: ${p.reason}`).join('\n');
}
