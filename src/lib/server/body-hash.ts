import { createHash } from 'node:crypto';

/**
 * A hash of a JSON body that ignores the order of object keys: what tells a true replay of a
 * device's item (same id, same body) from another item reusing its id.
 */
export function bodyHash(value: unknown): string {
	const canonical = (v: unknown): unknown =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(
					Object.keys(v)
						.sort()
						.map((k) => [k, canonical((v as Record<string, unknown>)[k])])
				)
			: v;
	return createHash('sha256')
		.update(JSON.stringify(canonical(value)))
		.digest('hex');
}
