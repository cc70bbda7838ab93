/**
 * PBKDF2-HMAC-SHA-256 through Web Crypto, which both Node and the browser have, so a class
 * device checks a picture password offline with exactly the server's computation.
 */
export async function pbkdf2Hex(
	input: string,
	saltHex: string,
	iterations: number
): Promise<string> {
	const key = await crypto.subtle.importKey(
		'raw',
		new TextEncoder().encode(input),
		'PBKDF2',
		false,
		['deriveBits']
	);
	const salt = new Uint8Array(saltHex.match(/../g)?.map((byte) => parseInt(byte, 16)) ?? []);
	const bits = await crypto.subtle.deriveBits(
		{ name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
		key,
		256
	);
	return [...new Uint8Array(bits)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
