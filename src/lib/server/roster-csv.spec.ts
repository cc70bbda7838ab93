import { describe, expect, it } from 'vitest';
import { parseRosterCsv, previewRoster } from './roster-csv';

function parsed(text: string) {
	const result = parseRosterCsv(text);
	if (!result.ok) throw new Error(result.error);
	return result;
}

describe('roster CSV', () => {
	it('reads a school export with a byte-order mark and guesses the columns', () => {
		const preview = previewRoster(
			parsed('\uFEFFForename,Surname,Address\r\nNia,Rhys,1 Any Street\r\nOla,Kay,2 Any Street\r\n'),
			{}
		);
		expect(preview.ready).toBe(true);
		expect(preview.mapping).toEqual({ firstName: 'Forename', lastName: 'Surname' });
		expect(preview.pupils.map((p) => `${p.firstName} ${p.lastInitial}`)).toEqual([
			'Nia R',
			'Ola K'
		]);
	});

	it('waits for the columns to be chosen when it cannot guess them', () => {
		const preview = previewRoster(parsed('A,B\nNia,Rhys\n'), {});
		expect(preview.ready).toBe(false);
		expect(previewRoster(parsed('A,B\nNia,Rhys\n'), { firstName: 'A', lastName: 'B' }).ready).toBe(
			true
		);
	});

	it('lists a row with a stray comma and is not ready', () => {
		const preview = previewRoster(parsed('First name,Last name\nNia,Rhys\nOla,Kay,extra\n'), {});
		expect(preview.ready).toBe(false);
		expect(preview.problems).toEqual([{ line: 3, reason: 'import.error.columnsMismatch' }]);
	});

	it('refuses empty and oversized files', () => {
		expect(parseRosterCsv('   ')).toEqual({ ok: false, error: 'import.error.empty' });
		expect(parseRosterCsv('a,b\n' + 'x'.repeat(300_000))).toEqual({
			ok: false,
			error: 'import.error.tooBig'
		});
	});
});
