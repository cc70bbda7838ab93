import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n/i18n.svelte';
import '$lib/i18n/audit-log';
import {
	aboutWords,
	actionWords,
	filterSearch,
	kindOf,
	readAuditFilter,
	readableAction
} from './audit-log';
import { staffEventSchema } from './report';

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
	});
}

/** Every action the server writes to the audit log: the quoted names on `action:` lines. */
function actionsInSource(): string[] {
	const found = new Set<string>();
	for (const file of filesUnder('src/lib/server')) {
		for (const line of readFileSync(file, 'utf8').split('\n')) {
			// An action chosen on a line of its own (`decision === 'approve' ? 'a-b' : 'a-c'`):
			// every hyphenated dotted name in the server code is an action.
			for (const match of line.matchAll(/'([a-z]+\.[a-z]+-[a-z-]+)'/g)) found.add(match[1]!);
			if (!/\baction:/.test(line)) continue;
			for (const match of line.matchAll(/'([a-z]+\.[a-z-]+)'/g)) found.add(match[1]!);
			// `report.${event.kind}`: one action for each thing staff can record on a report.
			if (line.includes('`report.${event.kind}`'))
				for (const option of staffEventSchema.options)
					found.add(`report.${option.shape.kind.value}`);
		}
	}
	return [...found].sort();
}

describe('the audit page’s words', () => {
	const actions = actionsInSource();

	it('finds the actions the server writes', () => {
		expect(actions).toContain('staff.sign-in-failed');
		expect(actions).toContain('report.closed');
		expect(actions).toContain('audit.view');
		expect(actions.length).toBeGreaterThan(40);
	});

	it.each(actions)('has English and Welsh words for %s', (action) => {
		for (const lang of ['en', 'cy'] as const) {
			const t = translator(lang);
			const words = actionWords(action, (key, values) => t(key, values));
			expect(words, `${lang} ${action}`).not.toBe(readableAction(action));
		}
	});

	it('reads an action nobody has words for yet', () => {
		const t = translator('en');
		expect(actionWords('consent.something-new', (key, values) => t(key, values))).toBe(
			'consent: something new'
		);
	});

	it('names every kind of record an entry can be about, in English and Welsh', () => {
		const kinds = new Set(
			filesUnder('src/lib/server')
				.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/subjectType: '([a-z-]+)'/g)])
				.map((m) => m[1]!)
		);
		const named = new Set(['pupil', 'staff', 'class', 'device', 'report', 'school']);
		for (const type of [...kinds].filter((k) => !named.has(k)))
			for (const lang of ['en', 'cy'] as const) {
				const t = translator(lang);
				const words = aboutWords({ kind: 'other', type }, (key, values) => t(key, values));
				expect(words, `${lang} ${type}`).not.toBe(type);
			}
	});

	it('sorts actions into kinds', () => {
		expect(kindOf('staff.locked-out')).toBe('failed-sign-in');
		expect(kindOf('staff.signed-in')).toBe('sign-in');
		expect(kindOf('report.view')).toBe('view');
		expect(kindOf('audit.export')).toBe('export');
		expect(kindOf('pupil.archived')).toBe('action');
	});

	it('reads filters from the address and writes them back', () => {
		const { filter, problem } = readAuditFilter(
			new URLSearchParams('person=abc-1&pupil=&report=1A2B3C4D&from=2026-10-01&kind=view&before=99')
		);
		expect(problem).toBeNull();
		expect(filter).toEqual({
			person: 'abc-1',
			pupil: null,
			report: '1a2b3c4d',
			from: '2026-10-01',
			to: null,
			kind: 'view',
			before: 99
		});
		expect(filterSearch(filter)).toBe('?person=abc-1&report=1a2b3c4d&from=2026-10-01&kind=view');
		expect(filterSearch(filter, 50)).toContain('before=50');
		expect(
			readAuditFilter(new URLSearchParams('kind=everything&person=a%27b')).filter
		).toMatchObject({ kind: null, person: null });
		expect(readAuditFilter(new URLSearchParams('to=9999-99-99')).problem).toBe('dates');
	});
});
