/**
 * `npm run audit:verify`: checks every school's audit chain — each entry's keyed hash and its
 * link to the one before, the head, and every signed checkpoint in the checkpoint file — and
 * then writes a fresh checkpoint for each chain found whole.
 * Exit code 0 when every chain is whole, 1 when one is broken (a line for each, saying where
 * and why). Uses the same settings as the server (DATABASE_URL or LANTERN_DB_FILE, and
 * LANTERN_AUDIT_KEY or LANTERN_AUDIT_KEY_FILE, LANTERN_AUDIT_CHECKPOINT_FILE).
 */
import { existsSync, statSync } from 'node:fs';
import { readCheckpoints } from '../src/lib/server/audit-seal';
import { createAppContext } from '../src/lib/server/app';
import { readConfig } from '../src/lib/server/config';
import {
	activeAuditSeal,
	auditChains,
	noSchool,
	verifyAuditChain,
	writeAuditCheckpoints,
	type ChainBreak
} from '../src/lib/server/repositories/audit.repository';
import { getSchool } from '../src/lib/server/repositories/school.repository';

const why: Record<ChainBreak, string> = {
	changed:
		'its contents were changed after it was written (or it was not made with this audit key)',
	'removed-or-reordered': 'an entry before it was removed or the order was changed',
	'head-mismatch': 'the chain stops short of its recorded head, or the head is missing',
	missing: 'there are no entries at all, yet every school has one from the day it was made',
	unkeyed: 'it carries no audit key, and only entries from before keys (sealed at the upgrade) may',
	'unknown-key': 'it was made with a key that is not in the audit keyring',
	cut: 'there are fewer entries than a signed checkpoint counted: entries were cut from the end',
	'checkpoint-mismatch':
		'it is not the entry a signed checkpoint recorded: the chain was rewritten',
	'checkpoint-forged': 'a line in the checkpoint file for it does not carry a valid signature'
};

/** `--repin`: the checkpoint file was lost for a known reason; start a new one from what is there. */
const repin = process.argv.includes('--repin');
let ctx;
let checkpointsBefore = true;
try {
	const config = readConfig();
	const file = config.audit.checkpointFile;
	// Looked at before the app starts, which makes an empty file when there is none.
	checkpointsBefore = existsSync(file) && statSync(file).size > 0;
	ctx = await createAppContext(config);
} catch (error) {
	console.log(`BROKEN  could not start: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
let broken = 0;
try {
	const book = readCheckpoints(activeAuditSeal());
	if (book.torn > 0)
		console.log(
			`note    ${book.torn} unfinished line(s) in the checkpoint file (a crash while writing)`
		);
	const whole: string[] = [];
	const entries = await ctx.db
		.selectFrom('audit')
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirstOrThrow();
	if (!checkpointsBefore && Number(entries.n) > 0 && !repin) {
		// Without its checkpoints, entries cut from the end of a chain would go unseen.
		broken++;
		console.log(
			`BROKEN  the checkpoint file is missing or empty, yet the database holds ${Number(entries.n)} audit entries: restore it from a backup (or, if it was lost for a reason you know, run again with --repin)`
		);
	}
	for (const schoolId of await auditChains(ctx.db, book)) {
		const school = schoolId === noSchool ? null : await getSchool(ctx.db, schoolId);
		const name =
			school?.name ??
			(schoolId === noSchool ? 'Sign-ins to unknown emails' : `${schoolId} (no such school)`);
		const check = await verifyAuditChain(ctx.db, schoolId, { checkpoints: book });
		if (check.ok) {
			const pinned = book.bySchool.get(schoolId)?.length ?? 0;
			console.log(
				`ok      ${name}: ${check.entries} entries, every link holds (${pinned} checkpoints)`
			);
			whole.push(schoolId);
			continue;
		}
		broken++;
		const where = check.brokenAt
			? `entry ${check.brokenAt.seq} (${check.brokenAt.action}, ${check.brokenAt.at})`
			: 'the chain as a whole';
		console.log(`BROKEN  ${name}: first broken at ${where}: ${why[check.why]}`);
	}
	// Pin what was found whole, so that what is there now cannot later be cut unnoticed (not
	// while the checkpoints are missing: that must go on failing until someone looks).
	if (checkpointsBefore || repin || Number(entries.n) === 0)
		await writeAuditCheckpoints(ctx.db, whole);
} finally {
	await ctx.close();
}
process.exit(broken > 0 ? 1 : 0);
