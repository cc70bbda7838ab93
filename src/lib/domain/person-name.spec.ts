import { describe, expect, it } from 'vitest';
import { matchPupils, nameKey, splitWholeName, surnameInitial, tidyName } from './person-name';

describe('nameKey: one comparable form for a name however a system typed it', () => {
	it('folds accents, apostrophes, dashes, case and spacing', () => {
		expect(nameKey('Chloë')).toBe(nameKey('Chloe'));
		expect(nameKey('Chloe\u0308')).toBe('chloe');
		expect(nameKey('D’Arcy')).toBe("d'arcy");
		expect(nameKey('D‘Arcy')).toBe(nameKey("D'Arcy"));
		expect(nameKey('Anne – Marie')).toBe('anne-marie');
		expect(nameKey('  Mary   Jane ')).toBe('mary jane');
		expect(nameKey('ZOË')).toBe('zoe');
	});
});

describe('surnameInitial', () => {
	it('is the first letter, upper case, without its accent', () => {
		expect(surnameInitial('Price')).toBe('P');
		expect(surnameInitial('d’Arcy')).toBe('D');
		expect(surnameInitial("O'Brien")).toBe('O');
		expect(surnameInitial('Öztürk')).toBe('O');
		expect(surnameInitial('  jones-evans')).toBe('J');
		expect(surnameInitial('')).toBe('');
	});
});

describe('tidyName', () => {
	it('composes and single-spaces, keeping what was typed', () => {
		expect(tidyName(' Chloe\u0308  D’Arcy ')).toBe('Chloë D’Arcy');
	});
});

describe('splitWholeName: the readings of a whole name in one cell', () => {
	it('reads "Surname, Forename", with and without a middle name', () => {
		expect(splitWholeName('Price, Tomos')).toEqual([{ first: 'Tomos', last: 'Price' }]);
		expect(splitWholeName('Jones-Evans, Mary Jane')).toEqual([
			{ first: 'Mary Jane', last: 'Jones-Evans' },
			{ first: 'Mary', last: 'Jones-Evans' }
		]);
	});

	it('reads "Forename Surname" at every split, and skips middle names', () => {
		expect(splitWholeName('Tomos Price')).toEqual([{ first: 'Tomos', last: 'Price' }]);
		expect(splitWholeName('Tomos Rhys Price')).toEqual([
			{ first: 'Tomos', last: 'Rhys Price' },
			{ first: 'Tomos Rhys', last: 'Price' },
			{ first: 'Tomos', last: 'Price' }
		]);
	});

	it('reads a surname in capitals first', () => {
		expect(splitWholeName('PRICE Tomos')[0]).toEqual({ first: 'Tomos', last: 'PRICE' });
		expect(splitWholeName('VAN DER BERG Anya')[0]).toEqual({ first: 'Anya', last: 'VAN DER BERG' });
	});

	it('gives nothing for one word or an empty cell', () => {
		expect(splitWholeName('Tomos')).toEqual([]);
		expect(splitWholeName('   ')).toEqual([]);
		expect(splitWholeName(', Tomos')).toEqual([]);
	});
});

describe('matchPupils', () => {
	const pupils = [
		{ id: 'a', firstName: 'Chloë', lastInitial: 'D' },
		{ id: 'b', firstName: 'Tomos', lastInitial: 'P' },
		{ id: 'c', firstName: 'Mary Jane', lastInitial: 'J' },
		{ id: 'd', firstName: 'Mary', lastInitial: 'J' }
	];
	const ids = (cell: string) => matchPupils(splitWholeName(cell), pupils).map((p) => p.id);

	it('matches on first name and surname initial, whatever the form', () => {
		expect(ids('D’Arcy, Chloe')).toEqual(['a']);
		expect(ids('Chloë d’Arcy')).toEqual(['a']);
		expect(ids('PRICE Tomos')).toEqual(['b']);
		expect(ids('Tomos Rhys Price')).toEqual(['b']);
	});

	it('returns every pupil a cell could mean, so the caller can name both', () => {
		expect(ids('Jones-Evans, Mary Jane')).toEqual(['c', 'd']);
	});

	it('matches nobody for a different initial', () => {
		expect(ids('Tomos Jones')).toEqual([]);
	});
});
