import { describe, expect, it } from 'vitest';
import { assignAvatars, avatarKeys } from './avatars';

describe('assignAvatars', () => {
	it('gives a class of sixteen sixteen different pictures', () => {
		const chosen = assignAvatars(avatarKeys.length, []);
		expect(new Set(chosen).size).toBe(avatarKeys.length);
	});
	it('prefers pictures the class uses least', () => {
		const used = avatarKeys.filter((key) => key !== 'owl');
		expect(assignAvatars(1, used)).toEqual(['owl']);
	});
});
