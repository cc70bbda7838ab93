/**
 * Strict CSV reading for the consent import, with the API of `csv-file.ts` (decodeCsvBytes,
 * parseStrictCsv): a bad quote or a short row refuses the file, and each row carries the file's
 * real line number (header = line 1; a multi-line cell counts all its lines).
 */
export type CsvEncoding = 'utf-8' | 'windows-1252' | 'utf-16le';

export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
	if (bytes[0] === 0xff && bytes[1] === 0xfe)
		return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
	try {
		const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		return { text: text.replace(/^\uFEFF/, ''), encoding: 'utf-8' };
	} catch {
		return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
	}
}

export interface CsvProblem {
	line: number;
	reason: 'quote' | 'columns' | 'duplicateHeader';
	detail?: string;
}
export type StrictCsv =
	| { ok: true; headers: string[]; rows: { line: number; cells: string[] }[] }
	| { ok: false; error: 'tooBig' | 'empty' | 'noHeader' }
	| { ok: false; error: 'malformed'; problems: CsvProblem[] };

export function parseStrictCsv(text: string, maxBytes: number): StrictCsv {
	if (new TextEncoder().encode(text).length > maxBytes) return { ok: false, error: 'tooBig' };
	const clean = text.replace(/^\uFEFF/, '');
	if (clean.trim() === '') return { ok: false, error: 'empty' };
	const records: { line: number; cells: string[] }[] = [];
	const problems: CsvProblem[] = [];
	let line = 1;
	let i = 0;
	const n = clean.length;
	while (i < n) {
		const start = line;
		const cells: string[] = [];
		let bad = false;
		for (;;) {
			let cell = '';
			if (clean[i] === '"') {
				i++;
				let closed = false;
				while (i < n) {
					const c = clean[i]!;
					if (c === '"') {
						if (clean[i + 1] === '"') {
							cell += '"';
							i += 2;
							continue;
						}
						i++;
						closed = true;
						break;
					}
					if (c === '\n') line++;
					cell += c;
					i++;
				}
				if (!closed) {
					problems.push({ line: start, reason: 'quote' });
					return { ok: false, error: 'malformed', problems };
				}
				if (i < n && clean[i] !== ',' && clean[i] !== '\r' && clean[i] !== '\n') {
					bad = true;
					while (i < n && clean[i] !== ',' && clean[i] !== '\r' && clean[i] !== '\n') i++;
				}
			} else {
				while (i < n && clean[i] !== ',' && clean[i] !== '\r' && clean[i] !== '\n') {
					if (clean[i] === '"') bad = true;
					cell += clean[i];
					i++;
				}
			}
			cells.push(cell);
			if (i < n && clean[i] === ',') {
				i++;
				continue;
			}
			break;
		}
		if (clean[i] === '\r') i++;
		if (clean[i] === '\n') i++;
		if (bad) problems.push({ line: start, reason: 'quote' });
		else records.push({ line: start, cells });
		line++;
	}
	const [header, ...rest] = records;
	if (!header || header.line !== 1 || header.cells.every((c) => c.trim() === ''))
		return problems.length > 0
			? { ok: false, error: 'malformed', problems }
			: { ok: false, error: 'noHeader' };
	const headers = header.cells.map((h) => h.trim());
	const seen = new Set<string>();
	for (const h of headers) {
		const key = h.toLowerCase();
		if (h !== '' && seen.has(key)) problems.push({ line: 1, reason: 'duplicateHeader', detail: h });
		seen.add(key);
	}
	const rows = rest.filter((r) => r.cells.some((c) => c.trim() !== ''));
	for (const r of rows)
		if (r.cells.length !== headers.length)
			problems.push({
				line: r.line,
				reason: 'columns',
				detail: `${r.cells.length}/${headers.length}`
			});
	if (problems.length > 0)
		return { ok: false, error: 'malformed', problems: problems.sort((a, b) => a.line - b.line) };
	return { ok: true, headers, rows };
}
