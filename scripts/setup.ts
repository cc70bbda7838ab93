/**
 * `npm run setup -- --school "Name" --name "Admin Name" --email admin@school.example`
 * Creates a school and its first admin from the command line (the password is read from
 * LANTERN_ADMIN_PASSWORD or asked for). Refuses a school name that is already set up.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { firstProblem, firstRunSchema } from '../src/lib/domain/staff';
import { createAppContext } from '../src/lib/server/app';
import { createSchoolWithAdmin } from '../src/lib/server/services/setup.service';

const { values } = parseArgs({
	options: { school: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' } }
});

let password = process.env.LANTERN_ADMIN_PASSWORD ?? '';
if (!password && process.stdin.isTTY) {
	const rl = createInterface({ input: process.stdin, output: process.stdout });
	password = await rl.question('Password for the new admin (at least 10 characters): ');
	rl.close();
}

const parsed = firstRunSchema.safeParse({
	schoolName: values.school ?? '',
	adminName: values.name ?? '',
	email: values.email ?? '',
	password
});
if (!parsed.success) {
	console.error(`Nothing was created: ${firstProblem(parsed.error)}`);
	console.error(
		'Usage: npm run setup -- --school "School name" --name "Admin name" --email admin@school.example'
	);
	process.exit(2);
}

const ctx = await createAppContext();
const result = await createSchoolWithAdmin(ctx, parsed.data, { firstRun: false });
await ctx.close();
if (!result.ok) {
	console.error(`Nothing was created: ${result.error}`);
	process.exit(1);
}
console.log(`Created ${parsed.data.schoolName} with admin ${parsed.data.email}.`);
