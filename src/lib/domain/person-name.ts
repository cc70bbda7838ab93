/**
 * Pupils' names as school systems export them. Lantern keeps a first name and a surname
 * initial; files give "Surname, Forename", "Forename Surname", "PRICE Tomos", legal and
 * preferred names, curly apostrophes (D’Arcy), hyphens and accents. These helpers turn any of
 * them into the same comparable form, and say which pupils a cell could mean — all of them,
 * so a caller can refuse an ambiguous match by naming both pupils rather than pick one.
 */

const apostrophes = /[\u2018\u2019\u201b\u02bc\u02bb`\u00b4\u2032]/g;
const dashes = /[\u2010\u2011\u2012\u2013\u2014\u2212]/g;

/**
 * A name as it compares: Unicode-composed, accents folded (Chloë = Chloe, so a file typed
 * without them still matches), apostrophes and dashes made plain, case and spacing ignored.
 */
export function nameKey(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{M}+/gu, '')
		.replace(apostrophes, "'")
		.replace(dashes, '-')
		.toLowerCase()
		.replace(/\s*-\s*/g, '-')
		.replace(/\s+/g, ' ')
		.trim();
}

/** The first letter of a surname, upper case and without its accent: "d’Arcy" → "D", "Öztürk" → "O". */
export function surnameInitial(surname: string): string {
	const letter = /\p{L}/u.exec(nameKey(surname));
	return letter ? letter[0].toUpperCase() : '';
}

/** A name tidied for showing and storing: composed, single spaces, a plain apostrophe kept as typed. */
export function tidyName(text: string): string {
	return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export interface NameCandidate {
	first: string;
	last: string;
}

const isUpper = (word: string) => /\p{L}{2,}/u.test(word) && word === word.toUpperCase();

/**
 * The ways a whole name in one cell can be read as forename and surname.
 * - "Price, Tomos Rhys": surname before the comma; the forename as written and its first word.
 * - "PRICE Tomos": a surname in capitals first, as some registers print it.
 * - "Tomos Rhys Price": every split point, and the first word with every later tail (middle
 *   names skipped), since a cell cannot say where a double-barrelled surname starts.
 * A single word gives nothing: it cannot be matched by first name and initial.
 */
export function splitWholeName(cell: string): NameCandidate[] {
	const text = tidyName(cell);
	const out: NameCandidate[] = [];
	const add = (first: string, last: string) => {
		const f = first.trim();
		const l = last.trim();
		if (f && l && !out.some((c) => c.first === f && c.last === l)) out.push({ first: f, last: l });
	};
	const comma = text.indexOf(',');
	if (comma >= 0) {
		const last = text.slice(0, comma);
		const forenames = text.slice(comma + 1).trim();
		add(forenames, last);
		add(forenames.split(' ')[0] ?? '', last);
		return out;
	}
	const words = text.split(' ').filter((w) => w !== '');
	if (words.length < 2) return out;
	const capitals = words.findIndex((w) => !isUpper(w));
	if (capitals > 0) {
		add(words.slice(capitals).join(' '), words.slice(0, capitals).join(' '));
		add(words[capitals]!, words.slice(0, capitals).join(' '));
	}
	for (let k = 1; k < words.length; k++) add(words.slice(0, k).join(' '), words.slice(k).join(' '));
	for (let j = 2; j < words.length; j++) add(words[0]!, words.slice(j).join(' '));
	return out;
}

/** The pupils whose first name and surname initial fit any of the candidates. */
export function matchPupils<T extends { firstName: string; lastInitial: string }>(
	candidates: readonly NameCandidate[],
	pupils: readonly T[]
): T[] {
	const wanted = candidates.map((c) => ({
		first: nameKey(c.first),
		initial: surnameInitial(c.last)
	}));
	return pupils.filter((p) => {
		const first = nameKey(p.firstName);
		const initial = surnameInitial(p.lastInitial);
		return wanted.some((w) => w.first === first && w.initial === initial);
	});
}
