import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-rules';

const owner = { email: 'gwen.price@school.example', name: 'Gwen Price' };
const common = new Set(['basketball', 'password', 'dragon']);
const check = (p: string) => passwordProblem(p, owner, (x) => common.has(x));

describe('passwordProblem', () => {
	it('takes a long, personal, uncommon password', () => {
		expect(check('correct horse battery')).toBeNull();
		expect(check('lantern-demo-2026')).toBeNull();
		expect(check('Wrens fly past 9 windows')).toBeNull();
	});

	it('keeps the minimum length', () => {
		expect(check('short')).toBe('password.tooShort');
		expect(check('x'.repeat(201))).toBe('password.tooLong');
	});

	it('refuses a password of spaces only', () => {
		expect(check(' '.repeat(12))).toBe('password.allSpace');
		expect(check('\t \t \t \t \t ')).toBe('password.allSpace');
	});

	it('refuses repeated characters', () => {
		expect(check('aaaaaaaaaa')).toBe('password.repeated');
		expect(check('abababababab')).toBe('password.repeated');
		expect(check('1111 2222 1111')).toBe('password.repeated');
	});

	it('refuses runs in order, either way, and rows of the keyboard', () => {
		for (const p of [
			'1234567890',
			'0987654321',
			'abcdefghij',
			'ABCDEFGHIJK',
			'qwertyuiop',
			'asdfghjkl;',
			'poiuytrewq',
			'zxcvbnm,./',
			'1q2w3e4r5t',
			'abcdefghijk1'
		]) {
			expect(check(p), p).toBe('password.sequence');
		}
	});

	it('refuses common passwords, also with numbers or marks added at the end', () => {
		expect(check('basketball')).toBe('password.common');
		expect(check('BasketBall')).toBe('password.common');
		expect(check('basketball2024!')).toBe('password.common');
		expect(check('password 1234')).toBe('password.common');
		expect(check('dragon123456')).toBe('password.common');
	});

	it("refuses the person's own email or name", () => {
		expect(check('gwen.price is me')).toBe('password.hasEmail');
		expect(check('Price of tea 99')).toBe('password.hasEmail');
		expect(
			passwordProblem(
				'Mr Jones rules',
				{ email: 'teacher7@s.example', name: 'Ifan Jones' },
				() => false
			)
		).toBe('password.hasName');
	});
});
