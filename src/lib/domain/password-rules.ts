import { passwordRules } from './sign-in-policy';

/**
 * Whether a new staff password is good enough, and if not, why (an i18n key). Pure: the
 * list of common passwords is the server's (src/lib/server/common-passwords.ts), passed in.
 */
export interface PasswordOwner {
	email: string;
	name: string;
}

export type PasswordProblem =
	| 'password.tooShort'
	| 'password.tooLong'
	| 'password.allSpace'
	| 'password.repeated'
	| 'password.sequence'
	| 'password.common'
	| 'password.hasEmail'
	| 'password.hasName';

/** Rows of letters and numbers in order: a password that walks along one is easy to guess. */
const runs = [
	'abcdefghijklmnopqrstuvwxyz',
	'01234567890123456789',
	'qwertyuiopasdfghjklzxcvbnm',
	'`1234567890-=',
	'qwertyuiop[]',
	"asdfghjkl;'#",
	'zxcvbnm,./',
	'qazwsxedcrfvtgbyhnujmikolp',
	'1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
	'1q2w3e4r5t6y7u8i9o0p'
];

/** Fewer different characters than this (spaces aside) is a repeat, like 'aaaaaaaaaa' or 'abababababab'. */
const fewestDifferent = 4;

export function passwordProblem(
	password: string,
	owner: PasswordOwner,
	isCommon: (lowerCase: string) => boolean
): PasswordProblem | null {
	if (password.length < passwordRules.minLength) return 'password.tooShort';
	if (password.length > passwordRules.maxLength) return 'password.tooLong';
	if (password.trim() === '') return 'password.allSpace';
	const lower = password.normalize('NFKC').toLowerCase();
	const squeezed = lower.replace(/\s+/g, '');
	if (new Set(squeezed).size < fewestDifferent) return 'password.repeated';
	if (isSequence(squeezed)) return 'password.sequence';
	if (commonForms(lower).some(isCommon)) return 'password.common';
	if (emailParts(owner.email).some((part) => squeezed.includes(part))) return 'password.hasEmail';
	if (nameParts(owner.name).some((part) => squeezed.includes(part))) return 'password.hasName';
	return null;
}

/** Nearly all of it (all but two characters at most) is one run along a row, either way. */
function isSequence(text: string): boolean {
	const chars = [...text];
	let longest = 1;
	let current = 1;
	for (let i = 1; i < chars.length; i++) {
		current = follows(chars[i - 1]!, chars[i]!) ? current + 1 : 1;
		longest = Math.max(longest, current);
	}
	return longest >= chars.length - 2;
}

function follows(a: string, b: string): boolean {
	return runs.some((run) => run.includes(a + b) || run.includes(b + a));
}

/** The password as typed, without spaces, and without the digits or marks people add at the end. */
function commonForms(lower: string): string[] {
	const squeezed = lower.replace(/\s+/g, '');
	const stem = squeezed.replace(/[\d\W_]+$/u, '');
	const root = squeezed.replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
	return [...new Set([lower, squeezed, stem, root])].filter((form) => form.length >= 4);
}

function emailParts(email: string): string[] {
	const local = email.trim().toLowerCase().split('@')[0] ?? '';
	const pieces = local.split(/[._+-]+/).filter((p) => p.length >= 4);
	return [...(local.length >= 3 ? [local] : []), ...pieces];
}

function nameParts(name: string): string[] {
	return name
		.normalize('NFKC')
		.toLowerCase()
		.split(/[\s'’.-]+/)
		.filter((p) => p.length >= 4);
}
