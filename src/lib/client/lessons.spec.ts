import { describe, expect, it } from 'vitest';
import { catalogue, lessonLanguage, lessonsFor, loadLesson, titleOf } from './lessons';

describe('the lessons built into the app', () => {
	it('lists a year group’s lessons in their order', () => {
		const year1 = lessonsFor(1, 'KS1');
		expect(year1.length).toBeGreaterThanOrEqual(12);
		expect(year1.every((l) => l.years.includes(1))).toBe(true);
		expect(year1.map((l) => l.order)).toEqual([...year1.map((l) => l.order)].sort((a, b) => a - b));
		expect(lessonsFor(5, 'KS2').every((l) => l.years.includes(5))).toBe(true);
		// A roster cached before year groups were sent: the key stage's lessons.
		expect(lessonsFor(null, 'KS2').every((l) => l.keyStage === 'KS2')).toBe(true);
	});

	it('shows a Welsh screen the Welsh lesson where there is one, else English', async () => {
		const k1 = catalogue.find((l) => l.id === 'k1-trusted-grown-ups')!;
		const u1 = catalogue.find((l) => l.keyStage === 'KS2' && !l.languages.includes('cy'))!;
		expect(lessonLanguage(k1, 'cy')).toBe('cy');
		expect(lessonLanguage(u1, 'cy')).toBe('en');
		expect(lessonLanguage(k1, 'pl')).toBe('en');
		expect(titleOf(k1, 'cy')).not.toBe(titleOf(k1, 'en'));
		const welsh = await loadLesson(k1.id, 'cy');
		expect(welsh?.language).toBe('cy');
		expect(await loadLesson('no-such-lesson', 'en')).toBeNull();
	});
});
