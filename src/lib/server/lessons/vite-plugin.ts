import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import type { LessonLanguage } from '../../domain/lesson';
import { describeProblems, readLessonFolder, type LessonSource } from './lesson-folder';

/**
 * Turns `lessons/` into modules the app imports, checking every file first: a bad lesson
 * fails the build with the file, the field and the reason.
 *
 * - `virtual:lantern-lessons` — the catalogue (titles, years, strands) and one loader a lesson
 *   and language, so each lesson is a chunk of its own, fetched when opened and precached
 *   by the service worker like any built file.
 * - `virtual:lantern-lesson/<id>/<lang>` — one lesson, its pictures inlined as `data:` addresses.
 * - `virtual:lantern-lessons/all` — every lesson in English without pictures, for the server's
 *   scoring and results.
 */

const CATALOGUE = 'virtual:lantern-lessons';
const ALL = 'virtual:lantern-lessons/all';
const ONE = 'virtual:lantern-lesson/';

export function svgAddress(svg: string): string {
	return `data:image/svg+xml,${encodeURIComponent(svg.replace(/\s+/gu, ' ').trim())}`;
}

function withPictures(value: unknown, pictures: Map<string, string>): unknown {
	if (Array.isArray(value)) return value.map((v) => withPictures(v, pictures));
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([k, v]) => [
				k,
				k === 'picture' && typeof v === 'string'
					? svgAddress(pictures.get(v) ?? '')
					: withPictures(v, pictures)
			])
		);
	}
	return value;
}

export function lessonsPlugin(
	root = resolve(process.env.LANTERN_LESSONS_DIR ?? 'lessons')
): Plugin {
	let lessons: LessonSource[] = [];
	const load = () => {
		const folder = readLessonFolder(root);
		if (folder.problems.length > 0) {
			throw new Error(`Some lesson files need fixing:\n${describeProblems(folder.problems)}`);
		}
		lessons = folder.lessons;
	};
	return {
		name: 'lantern-lessons',
		buildStart() {
			load();
			this.addWatchFile(root);
		},
		resolveId(id) {
			if (id === CATALOGUE || id === ALL || id.startsWith(ONE)) return `\0${id}`;
			return null;
		},
		load(id) {
			if (!id.startsWith('\0virtual:lantern-')) return null;
			const name = id.slice(1);
			if (name === CATALOGUE) {
				const catalogue = lessons.map((l) => ({
					id: l.id,
					version: l.version,
					keyStage: l.english.keyStage,
					years: l.english.years,
					order: l.english.order,
					strands: l.english.strands,
					questions: l.english.questions.length,
					titles: Object.fromEntries(
						Object.entries(l.languages).map(([lang, f]) => [lang, f.title])
					),
					languages: Object.keys(l.languages)
				}));
				const loaders = lessons
					.map(
						(l) =>
							`${JSON.stringify(l.id)}: {${Object.keys(l.languages)
								.map((lang) => `${lang}: () => import(${JSON.stringify(`${ONE}${l.id}/${lang}`)})`)
								.join(', ')}}`
					)
					.join(',\n');
				return `export const catalogue = ${JSON.stringify(catalogue)};\nexport const loaders = {${loaders}};\n`;
			}
			if (name === ALL) {
				return `export default ${JSON.stringify(lessons.map((l) => ({ ...l.english, language: 'en', version: l.version })))};\n`;
			}
			const [lessonId, lang] = name.slice(ONE.length).split('/');
			const source = lessons.find((l) => l.id === lessonId);
			const file = source?.languages[lang as LessonLanguage];
			if (!source || !file) return null;
			const lesson = {
				...(withPictures(file, source.pictures) as object),
				language: lang,
				version: source.version
			};
			return `export default ${JSON.stringify(lesson)};\n`;
		},
		handleHotUpdate(ctx) {
			if (!ctx.file.startsWith(root)) return;
			load();
			for (const id of [CATALOGUE, ALL]) {
				const mod = ctx.server.moduleGraph.getModuleById(`\0${id}`);
				if (mod) ctx.server.moduleGraph.invalidateModule(mod);
			}
			ctx.server.ws.send({ type: 'full-reload' });
			return [];
		}
	};
}
