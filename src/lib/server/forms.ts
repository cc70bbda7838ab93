/** Reads a form field as a string ('' when missing or a file), so zod sees plain values. */
export function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** Only paths inside the app may be returned to after sign-in (no open redirect). */
export function safeNext(next: string | null, fallback = '/staff'): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
	return next;
}

/** A form body we can read, or null when it is not a form or is malformed. */
export async function readForm(request: Request): Promise<FormData | null> {
	try {
		return await request.formData();
	} catch {
		return null;
	}
}
