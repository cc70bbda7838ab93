import { isHttpError } from '@sveltejs/kit';

/** Reads a form field as a string ('' when missing or a file), so zod sees plain values. */
export function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** Only paths inside the app may be returned to after sign-in (no open redirect). */
export function safeNext(next: string | null, fallback = '/staff'): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\'))
		return fallback;
	return next;
}

/**
 * A form body we can read, or null when it is not a form or is malformed. A body over the
 * server's size limit is not "malformed": it goes on as a 413 that +error.svelte explains.
 */
export async function readForm(request: Request): Promise<FormData | null> {
	try {
		return await request.formData();
	} catch (failure) {
		if (isHttpError(failure, 413) || (failure as { status?: unknown }).status === 413)
			throw failure;
		return null;
	}
}
