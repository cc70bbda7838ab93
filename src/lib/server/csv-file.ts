/**
 * Reading a spreadsheet export a school office uploads: the bytes decoded as what they are,
 * then parsed strictly. A lenient parser guesses when quotes do not balance, and a guess can
 * merge two pupils' rows and turn one child's "No" into another's "Yes"; so any fault in the
 * file's shape refuses the whole file, naming the line as a text editor would count it.
 */

export const csvEncodings = ['utf-8', 'windows-1252', 'utf-16le', 'utf-16be'] as const;
export type CsvEncoding = (typeof csvEncodings)[number];

/**
 * The text of an uploaded file. Excel's "CSV UTF-8" starts with a byte-order mark; its plain
 * "CSV" and older MIS exports are Windows-1252 (the curly apostrophe in D’Arcy is byte 0x92);
 * "Unicode text" is UTF-16 with a mark. Bytes that are valid UTF-8 are read as UTF-8;
 * anything else as Windows-1252, which gives every byte a character.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
	if (bytes[0] === 0xff && bytes[1] === 0xfe)
		return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
	if (bytes[0] === 0xfe && bytes[1] === 0xff)
		return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
	const body =
		bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
	} catch {
		return { text: windows1252(body), encoding: 'windows-1252' };
	}
}

/** Windows-1252's characters for bytes 0x80–0x9F (the rest are Latin-1); the unused five stay as they are. */
const cp1252High =
	'\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
	'\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Decoded by table, so the server and the tests agree whatever their ICU data holds. */
function windows1252(bytes: Uint8Array): string {
	let text = '';
	for (const byte of bytes)
		text += byte >= 0x80 && byte <= 0x9f ? cp1252High[byte - 0x80] : String.fromCharCode(byte);
	return text;
}

/** One record of the file: where it starts, and its cells by column heading (not trimmed). */
export interface CsvRow {
	/** The file's line on which the record starts; the first line is 1. */
	line: number;
	cells: Record<string, string>;
}

export interface CsvProblem {
	line: number;
	/**
	 * `quote`: a quote mark in the middle of a cell, or a quoted cell that never closes (the
	 * line is where it opened); `columns`: a record with more or fewer cells than the header;
	 * `duplicateHeader`: two columns with one heading (`detail` names it).
	 */
	reason: 'quote' | 'columns' | 'duplicateHeader';
	detail?: string;
	/** For `columns`: how many cells the header has, and how many the record has. */
	expected?: number;
	found?: number;
}

export type ParsedCsvFile =
	| { ok: true; headers: string[]; rows: CsvRow[]; delimiter: ',' | ';' | '\t' }
	| { ok: false; error: 'tooBig' | 'empty' | 'noHeader' }
	| { ok: false; error: 'malformed'; problems: CsvProblem[] };

/** How many problems a refused file lists: enough to see the pattern, not a wall. */
const maxProblems = 50;

/** Commas, unless the first line has none and has tabs (Excel's text export) or semicolons. */
function delimiterOf(text: string): ',' | ';' | '\t' {
	let commas = 0;
	let tabs = 0;
	let semicolons = 0;
	let quoted = false;
	for (const ch of text) {
		if (ch === '"') quoted = !quoted;
		else if (!quoted && (ch === '\n' || ch === '\r')) break;
		else if (!quoted && ch === ',') commas++;
		else if (!quoted && ch === '\t') tabs++;
		else if (!quoted && ch === ';') semicolons++;
	}
	if (commas > 0) return ',';
	if (tabs > 0) return '\t';
	if (semicolons > 0) return ';';
	return ',';
}

interface RawRecord {
	line: number;
	cells: string[];
}

/** RFC 4180 records, strictly: the first quote fault ends reading with a problem. */
function records(
	text: string,
	delimiter: string
): { records: RawRecord[]; fault: CsvProblem | null } {
	const out: RawRecord[] = [];
	let line = 1;
	let i = 0;
	const n = text.length;
	while (i < n) {
		const start = line;
		const cells: string[] = [];
		for (;;) {
			let cell = '';
			if (text[i] === '"') {
				const opened = line;
				i++;
				for (;;) {
					if (i >= n)
						return {
							records: out,
							fault: { line: opened, reason: 'quote', detail: 'unclosed' }
						};
					const ch = text[i]!;
					if (ch === '"') {
						if (text[i + 1] === '"') {
							cell += '"';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (ch === '\r' || ch === '\n') {
						if (ch === '\r' && text[i + 1] === '\n') i++;
						line++;
						cell += '\n';
						i++;
						continue;
					}
					cell += ch;
					i++;
				}
				const next = text[i];
				if (next !== undefined && next !== delimiter && next !== '\r' && next !== '\n')
					return { records: out, fault: { line, reason: 'quote', detail: 'after' } };
			} else {
				while (i < n) {
					const ch = text[i]!;
					if (ch === delimiter || ch === '\r' || ch === '\n') break;
					if (ch === '"')
						return { records: out, fault: { line, reason: 'quote', detail: 'inside' } };
					cell += ch;
					i++;
				}
			}
			cells.push(cell);
			if (i >= n) break;
			const ch = text[i]!;
			if (ch === delimiter) {
				i++;
				// A delimiter at the very end still opens one last, empty cell.
				if (i >= n) {
					cells.push('');
					break;
				}
				continue;
			}
			// End of the record.
			if (ch === '\r' && text[i + 1] === '\n') i++;
			i++;
			line++;
			break;
		}
		out.push({ line: start, cells });
	}
	return { records: out, fault: null };
}

const blank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/**
 * A spreadsheet export as a header and records, every fault found (up to 50) and each named by
 * line. Blank lines and rows of empty cells are skipped; columns with no heading must be empty.
 */
export function parseCsvText(text: string, maxBytes: number): ParsedCsvFile {
	if (new TextEncoder().encode(text).length > maxBytes) return { ok: false, error: 'tooBig' };
	const clean = text.replace(/^\uFEFF/, '');
	if (clean.trim() === '') return { ok: false, error: 'empty' };
	const delimiter = delimiterOf(clean);
	const read = records(clean, delimiter);
	const problems: CsvProblem[] = [];
	const nonBlank = read.records.filter((r) => !blank(r.cells));
	const header = nonBlank[0];
	const headers = header ? header.cells.map((h) => h.trim()) : [];
	if (!read.fault && headers.every((h) => h === '')) return { ok: false, error: 'noHeader' };

	const seen = new Set<string>();
	for (const h of headers) {
		if (h === '') continue;
		const key = h.toLowerCase();
		if (seen.has(key)) problems.push({ line: header!.line, reason: 'duplicateHeader', detail: h });
		seen.add(key);
	}
	const rows: CsvRow[] = [];
	for (const record of nonBlank.slice(1)) {
		if (record.cells.length !== headers.length) {
			problems.push({
				line: record.line,
				reason: 'columns',
				expected: headers.length,
				found: record.cells.length
			});
			continue;
		}
		const cells: Record<string, string> = {};
		let stray = false;
		record.cells.forEach((value, index) => {
			const heading = headers[index]!;
			if (heading === '') stray ||= value.trim() !== '';
			else cells[heading] = value;
		});
		if (stray) {
			problems.push({
				line: record.line,
				reason: 'columns',
				detail: 'unnamed',
				expected: headers.filter((h) => h !== '').length,
				found: record.cells.filter((c) => c.trim() !== '').length
			});
			continue;
		}
		rows.push({ line: record.line, cells });
	}
	if (read.fault) problems.push(read.fault);
	if (problems.length > 0)
		return {
			ok: false,
			error: 'malformed',
			problems: problems.sort((a, b) => a.line - b.line).slice(0, maxProblems)
		};
	return { ok: true, headers: headers.filter((h) => h !== ''), rows, delimiter };
}
