import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext } from '$lib/server/app';
import { readConfig } from '$lib/server/config';
import { createDemoSchool } from '$lib/server/demo/demo-school';

/**
 * The production build (`build/`, made by `npm run build`) on loopback, served by Lantern's
 * own server (`server/index.js`, as `npm start` runs it), with its own SQLite file. Browser tests always run against this, never the dev server.
 */
export interface RunningServer {
	url: string;
	port: number;
	dbFile: string;
	stop(): Promise<void>;
	/** Kills the process at once (SIGKILL), as a power cut would, keeping the database. */
	kill(): Promise<void>;
	/** Stops the process but keeps the database, so the same server can start again. */
	restart(options?: { buildDir?: string }): Promise<void>;
	cleanUp(): void;
}

export interface ServerOptions {
	/** 'demo-reports': the demo school with its class iPads and example reports, as `npm run demo`. */
	seed?: 'demo' | 'demo-reports' | 'empty';
	env?: Record<string, string>;
	buildDir?: string;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
	const dir = mkdtempSync(join(tmpdir(), 'lantern-e2e-'));
	const dbFile = join(dir, 'lantern.sqlite');
	if (options.seed !== 'empty') {
		const ctx = await createAppContext(readConfig({ LANTERN_DB_FILE: dbFile }));
		await createDemoSchool(ctx, undefined, { reports: options.seed === 'demo-reports' });
		await ctx.close();
	}
	const port = await freePort();
	const url = `http://localhost:${port}`;
	let child: ChildProcess | undefined;

	const launch = async (buildDir = options.buildDir ?? 'build') => {
		// Lantern's own server around the build (server/index.js), as `npm start` runs it.
		child = spawn(process.execPath, ['server', buildDir], {
			env: {
				...process.env,
				PORT: String(port),
				HOST: '127.0.0.1',
				BODY_SIZE_LIMIT: '2M',
				ORIGIN: url,
				...options.env,
				LANTERN_DB_FILE: dbFile
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const started = Date.now();
		while (!output.includes('Listening on')) {
			if (child.exitCode !== null) throw new Error(`The server stopped at start-up:\n${output}`);
			if (Date.now() - started > 20_000) throw new Error(`The server did not start:\n${output}`);
			await new Promise((r) => setTimeout(r, 50));
		}
	};

	const stop = async () => {
		const running = child;
		child = undefined;
		if (!running || running.exitCode !== null) return;
		await new Promise<void>((resolve) => {
			running.once('exit', () => resolve());
			running.kill('SIGTERM');
		});
	};

	const kill = async () => {
		const running = child;
		child = undefined;
		if (!running || running.exitCode !== null) return;
		await new Promise<void>((resolve) => {
			running.once('exit', () => resolve());
			running.kill('SIGKILL');
		});
	};

	await launch();
	return {
		url,
		port,
		dbFile,
		stop,
		kill,
		restart: async (restartOptions = {}) => {
			await stop();
			await launch(restartOptions.buildDir);
		},
		cleanUp: () => rmSync(dir, { recursive: true, force: true })
	};
}
