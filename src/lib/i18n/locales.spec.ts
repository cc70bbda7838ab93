import { describe, expect, it } from 'vitest';
import cy from './locales/cy.json';
import en from './locales/en.json';
import cyReports from './reports/cy.json';
import enReports from './reports/en.json';
import cyLessons from './lessons/cy.json';
import enLessons from './lessons/en.json';
import cyConsent from './consent/cy.json';
import enConsent from './consent/en.json';
import cyTrip from './trip/cy.json';
import enTrip from './trip/en.json';
import cyAudit from './audit-log/cy.json';
import enAudit from './audit-log/en.json';
import { translator } from './i18n.svelte';
import './reports';
import { addTripWords } from './trip';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
	return Object.entries(tree).flatMap(([key, value]) =>
		typeof value === 'string' ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`)
	);
}

// Plural forms differ by language (English has one/other; Welsh has six), so compare base keys.
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const enKeys = [
	...new Set(
		[
			...keys(en),
			...keys(enReports),
			...keys(enLessons),
			...keys(enConsent),
			...keys(enTrip),
			...keys(enAudit)
		].map(base)
	)
].sort();
const cyKeys = [
	...new Set(
		[
			...keys(cy),
			...keys(cyReports),
			...keys(cyLessons),
			...keys(cyConsent),
			...keys(cyTrip),
			...keys(cyAudit)
		].map(base)
	)
].sort();

describe('locales', () => {
	it.each(enKeys)('has Welsh for %s', (key) => {
		expect(cyKeys).toContain(key);
	});
	it('has no Welsh key that English lacks', () => {
		expect(cyKeys.filter((key) => !enKeys.includes(key))).toEqual([]);
	});
	it('fills in values and picks plural forms', () => {
		expect(translator('en')('class.pupilCount', { count: 1 })).toBe('1 pupil');
		expect(translator('en')('class.pupilCount', { count: 3 })).toBe('3 pupils');
		expect(translator('cy')('class.pupilCount', { count: 3 })).toBe('Disgyblion: 3');
		expect(translator('cy')('dashboard.hello', { name: 'Ffion' })).toBe('Helo, Ffion');
		// The reports screens' words are registered when their module loads.
		expect(translator('en')('reports.state.closed')).toBe('Closed');
	});
	it('finds a plural form for every count in Welsh, which has six', () => {
		addTripWords();
		for (const count of [0, 1, 2, 3, 6, 11])
			expect(translator('cy')('trip.locked.wrong', { count })).toContain(`${count} cynnig`);
		expect(translator('en')('trip.locked.wrong', { count: 1 })).toContain('1 try left');
	});
});
