import { isHttpError } from '@sveltejs/kit';
import { csvEncodings, decodeCsvBytes, type CsvEncoding } from './csv-file';

/** Reads a form field as a string ('' when missing or a file), so zod sees plain values. */
export function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** Only paths inside the app may be returned to after sign-in (no open redirect). */
export { safeNext } from '$lib/domain/safe-next';

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

/**
 * A CSV import's text: from the uploaded file's bytes on the first step (decoded as what they
 * are: see `decodeCsvBytes`), then from the hidden `csv` and `encoding` fields the later steps
 * carry. `errors` names the message keys of the importing screen.
 */
export async function readUploadedCsv(
	form: FormData,
	maxBytes: number,
	errors: { tooBig: string; noFile: string }
): Promise<{ csv: string; encoding: CsvEncoding } | { error: string; status: number }> {
	const file = form.get('file');
	if (file instanceof File && file.size > 0) {
		if (file.size > maxBytes) return { error: errors.tooBig, status: 413 };
		const decoded = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
		return { csv: decoded.text, encoding: decoded.encoding };
	}
	const csv = field(form, 'csv');
	if (!csv) return { error: errors.noFile, status: 400 };
	const posted = field(form, 'encoding');
	const encoding = (csvEncodings as readonly string[]).includes(posted)
		? (posted as CsvEncoding)
		: 'utf-8';
	return { csv, encoding };
}
