/**
 * `npm run audit:verify`: walks every school's audit chain and says whether it is whole.
 * Exit code 0 when every chain is whole, 1 when one is broken (with its first broken link).
 * Uses the same settings as the server (DATABASE_URL or LANTERN_DB_FILE).
 */
import { createAppContext } from '../src/lib/server/app';
import { auditChains, verifyAuditChain } from '../src/lib/server/repositories/audit.repository';
import { getSchool } from '../src/lib/server/repositories/school.repository';

const ctx = await createAppContext();
let broken = 0;
try {
	for (const schoolId of await auditChains(ctx.db)) {
		const school = schoolId === '-' ? null : await getSchool(ctx.db, schoolId);
		const name = school?.name ?? (schoolId === '-' ? 'Sign-ins to unknown emails' : schoolId);
		const check = await verifyAuditChain(ctx.db, schoolId);
		if (check.ok) {
			console.log(`ok      ${name}: ${check.entries} entries, every link holds`);
			continue;
		}
		broken++;
		const where = check.brokenAt
			? `entry ${check.brokenAt.seq} (${check.brokenAt.action}, ${check.brokenAt.at})`
			: 'the end of the chain (its last entries are missing)';
		const why = {
			changed: 'its contents were changed after it was written',
			'removed-or-reordered': 'an entry before it was removed or the order was changed',
			'head-mismatch': 'the chain stops short of its recorded head'
		}[check.why];
		console.log(`BROKEN  ${name}: first broken link at ${where}: ${why}`);
	}
} finally {
	await ctx.close();
}
process.exit(broken > 0 ? 1 : 0);
