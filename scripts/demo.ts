/**
 * `npm run demo`: a made-up school in a fresh SQLite file, then the built app on
 * http://localhost:3000. Every run starts the demo again from scratch.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createAppContext } from '../src/lib/server/app';
import { readConfig } from '../src/lib/server/config';
import {
	createDemoSchool,
	demoPassword,
	demoSchoolName,
	demoSecondFactorSecret,
	demoSecondFactorStaff,
	demoStaff
} from '../src/lib/server/demo/demo-school';

const port = process.env.PORT ?? '3000';
const dbFile = process.env.LANTERN_DB_FILE ?? 'data/demo.sqlite';
for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });

const env = { ...process.env, LANTERN_DB_FILE: dbFile };
const ctx = await createAppContext(readConfig(env));
await createDemoSchool(ctx, undefined, { reports: true });
await ctx.close();

const url = `http://localhost:${port}`;
console.log(`\nLantern demo: ${demoSchoolName}\n`);
console.log(`  Open ${url}  (pupil screen: ${url}/pupil)\n`);
console.log('  Staff sign-ins (password for all: ' + demoPassword + ')');
for (const person of Object.values(demoStaff)) {
	console.log(`    ${person.role.padEnd(8)} ${person.email.padEnd(34)} ${person.name}`);
}
console.log(`
  The ${demoSecondFactorStaff.join(' and ')} also type a six-digit code after the password (a second
  factor). Add this made-up key to an authenticator app on your phone (Microsoft Authenticator,
  Google Authenticator, 2FAS...: "add account", "enter a setup key", time-based):
      ${demoSecondFactorSecret.match(/.{1,4}/g)!.join(' ')}
  or print a code now with:  npx tsx -e "import {TOTP} from 'otpauth'; console.log(new TOTP({secret: '${demoSecondFactorSecret}'}).generate())"
  Each code works once: for the next sign-in, wait for the next code.`);
console.log(`
  To try a class iPad in this browser: sign in as a teacher, open "Class devices",
  make a set-up code and choose "Set up this device instead". Print cards from a
  class's page ("Print pupil cards") and hold one up to the webcam, or tap "Find my name".
  A signed-in pupil sees "My lessons". Teachers present any lesson from "Lessons", and see
  how their class is doing from the class's page ("Lesson results").

  Press Ctrl+C to stop.
`);

// Lantern's own server around the build: it adds the security headers to every response.
const server = spawn(process.execPath, ['server', 'build'], {
	stdio: 'inherit',
	env: {
		...env,
		PORT: port,
		// Room for a drawing and a voice note in one report.
		BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? '2M',
		HOST: process.env.HOST ?? '127.0.0.1',
		ORIGIN: process.env.ORIGIN ?? url
	}
});
server.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
