/**
 * CSV a spreadsheet opens safely. A cell a spreadsheet would read as a formula (starting
 * with = + - @, a tab or a carriage return) gets a leading apostrophe, so a pupil typing
 * `=HYPERLINK(...)` produces text, not a live link; every cell is quoted.
 */
const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null | undefined): string {
	let text = value === null || value === undefined ? '' : String(value);
	if (formulaStart.test(text)) text = `'${text}`;
	return `"${text.replaceAll('"', '""')}"`;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
	return values.map(csvCell).join(',');
}

/** Lines joined with CRLF, as RFC 4180 and Excel expect, with a BOM so Excel reads UTF-8. */
export function csvDocument(lines: readonly string[]): string {
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}
