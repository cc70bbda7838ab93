import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/** A random secret for a cookie or token, URL-safe. */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Tokens are stored only as their SHA-256, so a copy of the database signs nobody in. */
export const hashToken = (token: string): string =>
	createHash('sha256').update(token).digest('hex');
