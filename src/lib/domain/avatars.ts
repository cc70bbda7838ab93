/**
 * Pictures a pupil is known by on cards and on the "Find my name" list: animals,
 * because five-year-olds recognise them before they can read their names.
 */
export const avatars = {
	fox: '🦊',
	owl: '🦉',
	frog: '🐸',
	bee: '🐝',
	whale: '🐳',
	tiger: '🐯',
	panda: '🐼',
	rabbit: '🐰',
	turtle: '🐢',
	lion: '🦁',
	penguin: '🐧',
	octopus: '🐙',
	hedgehog: '🦔',
	unicorn: '🦄',
	butterfly: '🦋',
	koala: '🐨'
} as const;
export type Avatar = keyof typeof avatars;
export const avatarKeys = Object.keys(avatars) as Avatar[];

/** Gives each pupil in a class a picture, spreading them so neighbours rarely share one. */
export function assignAvatars(
	count: number,
	alreadyUsed: readonly string[],
	random = Math.random
): Avatar[] {
	const used = new Map<string, number>(avatarKeys.map((key) => [key, 0]));
	for (const key of alreadyUsed) used.set(key, (used.get(key) ?? 0) + 1);
	const chosen: Avatar[] = [];
	for (let i = 0; i < count; i++) {
		const least = Math.min(...used.values());
		const candidates = avatarKeys.filter((key) => used.get(key) === least);
		const pick = candidates[Math.floor(random() * candidates.length)] ?? avatarKeys[0]!;
		used.set(pick, least + 1);
		chosen.push(pick);
	}
	return chosen;
}

export function avatarPicture(key: string): string {
	return (avatars as Record<string, string>)[key] ?? '🙂';
}
