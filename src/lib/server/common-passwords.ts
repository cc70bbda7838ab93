import {
	passwordProblem,
	type PasswordOwner,
	type PasswordProblem
} from '$lib/domain/password-rules';
import list from './data/common-passwords.json';

/**
 * The deny-list of common passwords shipped with the app (see `source` in the data file),
 * read once when the server starts. Lower case; compared in lower case.
 */
const common: ReadonlySet<string> = new Set(list.passwords);

export const commonPasswordCount = common.size;

export function isCommonPassword(lowerCase: string): boolean {
	return common.has(lowerCase);
}

/** Why this new password is refused (an i18n key), or null when it will do. */
export function passwordRefusal(password: string, owner: PasswordOwner): PasswordProblem | null {
	return passwordProblem(password, owner, isCommonPassword);
}
