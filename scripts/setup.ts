/**
 * `npm run setup -- --school "Name" --name "Admin Name" --email admin@school.example
 *   [--dsl-name "DSL Name" --dsl-email dsl@school.example]`
 * Creates a school and its first admin from the command line (the password is read from
 * LANTERN_ADMIN_PASSWORD or asked for, so whoever runs this may not be the admin: the admin
 * changes it at first sign-in). Refuses a school name that is already set up. The school's
 * first DSL can only come from setup (later DSLs wait for their approval); they are given a
 * one-time link to choose their own password.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { firstDslSchema, firstProblem, firstRunSchema } from '../src/lib/domain/staff';
import { passwordLinkPath } from '../src/lib/server/services/password-link.service';
import { createAppContext } from '../src/lib/server/app';
import { createSchoolWithAdmin } from '../src/lib/server/services/setup.service';

const { values } = parseArgs({
	options: {
		school: { type: 'string' },
		name: { type: 'string' },
		email: { type: 'string' },
		'dsl-name': { type: 'string' },
		'dsl-email': { type: 'string' }
	}
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

const dsl = firstDslSchema.safeParse({
	name: values['dsl-name'] ?? '',
	email: values['dsl-email'] ?? ''
});
if (!dsl.success) {
	console.error(`Nothing was created: ${firstProblem(dsl.error)}`);
	process.exit(2);
}

const ctx = await createAppContext();
const result = await createSchoolWithAdmin(ctx, parsed.data, {
	firstRun: false,
	passwordChosenElsewhere: true,
	...(dsl.data ? { dsl: dsl.data } : {})
});
await ctx.close();
if (!result.ok) {
	console.error(`Nothing was created: ${result.error}`);
	process.exit(1);
}
console.log(`Created ${parsed.data.schoolName} with admin ${parsed.data.email}.`);
console.log('The admin chooses a new password at first sign-in.');
if (result.dsl) {
	const origin = process.env.ORIGIN ?? '';
	console.log(
		`Give ${dsl.data?.name} this link to choose a password (once, within 60 minutes): ${origin}${passwordLinkPath(result.dsl.token)}`
	);
}
