import { cardHashInput } from '$lib/domain/pupil-card';

/** SHA-256 of a card's token, hex: the same value the server keeps (see server/ids.ts). */
export async function hashCard(cardId: string, secret: string): Promise<string | null> {
	if (!globalThis.crypto?.subtle) return null;
	const digest = await crypto.subtle.digest(
		'SHA-256',
		new TextEncoder().encode(cardHashInput(cardId, secret))
	);
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
