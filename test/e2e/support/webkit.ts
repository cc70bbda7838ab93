import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Builder, type WebDriver } from 'selenium-webdriver';
import { afterAll } from 'vitest';
import { freePort } from './server';

/**
 * WebKit, the engine of every iPad, through Debian's WebKitWebDriver. The browser is our own
 * WebKitGTK host (`webkit-host.py`): it keeps a profile on disk when asked and writes every
 * console message to a log this module reads. There is no headless WebKitGTK, so one Xvfb
 * display serves every WebKit browser of the test process.
 */
export const webkitDriverPath = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
const hostPath = new URL('./webkit-host.py', import.meta.url).pathname;

let display: { process: ChildProcess; name: string } | null = null;
const running = new Set<ChildProcess>();

/** Kills a child and everything it started (each is the leader of its own process group). */
function killGroup(child: ChildProcess) {
	try {
		if (child.pid) process.kill(-child.pid, 'SIGKILL');
	} catch {
		// Already gone.
	}
}

function killAll() {
	for (const child of running) killGroup(child);
	running.clear();
	if (display) killGroup(display.process);
	display = null;
}
// Nothing outlives the test file: not the drivers, their browsers, nor the display.
afterAll(killAll);
process.once('exit', killAll);

/** One virtual display for the whole test process; `-ac` because the driver drops XAUTHORITY. */
async function virtualDisplay(): Promise<string> {
	if (display) return display.name;
	const child = spawn(
		'Xvfb',
		['-displayfd', '1', '-ac', '-screen', '0', '1400x1400x24', '-nolisten', 'tcp'],
		{
			stdio: ['ignore', 'pipe', 'ignore']
		}
	);
	const name = await new Promise<string>((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error('Xvfb did not start')), 15_000);
		child.stdout?.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const number = out.match(/^(\d+)\n/)?.[1];
			if (number) {
				clearTimeout(timer);
				resolve(`:${number}`);
			}
		});
		child.once('exit', () => reject(new Error('Xvfb stopped at start-up')));
	});
	display = { process: child, name };
	return name;
}

export interface WebKitBrowser {
	driver: WebDriver;
	/** Console messages the browser's pages logged since the last call, one a line. */
	takeConsole(): string[];
	quit(): Promise<void>;
}

export interface WebKitOptions {
	/** Keep the profile here (service worker, caches, IndexedDB, cookies) across launches. */
	profileDir?: string;
	/** No camera and no microphone at all (otherwise WebKit's mock ones, allowed). */
	noCamera?: boolean;
}

/**
 * Starts a driver on a free port and one browser session on it. One session per driver: a
 * teacher's window beside an iPad's is a second call. Always `quit()` in `finally`.
 */
export async function launchWebKit(options: WebKitOptions = {}): Promise<WebKitBrowser> {
	const screen = await virtualDisplay();
	const port = await freePort();
	const logDir = mkdtempSync(join(tmpdir(), 'lantern-webkit-'));
	const log = join(logDir, 'console.log');
	writeFileSync(log, '');
	const driverProcess = spawn(
		webkitDriverPath,
		[`--port=${port}`, '--host=127.0.0.1', '--replace-on-new-session'],
		// Its own process group, so the browser and WebKit's helper processes go with it.
		{ env: { ...process.env, DISPLAY: screen }, stdio: ['ignore', 'pipe', 'pipe'], detached: true }
	);
	running.add(driverProcess);
	let driverOutput = '';
	driverProcess.stdout?.on('data', (c: Buffer) => (driverOutput += c.toString()));
	driverProcess.stderr?.on('data', (c: Buffer) => (driverOutput += c.toString()));
	const stopDriver = () => {
		killGroup(driverProcess);
		running.delete(driverProcess);
		rmSync(logDir, { recursive: true, force: true });
	};

	const args = ['--automation', `--log=${log}`];
	if (options.profileDir) args.push(`--profile=${options.profileDir}`);
	if (options.noCamera) args.push('--no-camera');
	let driver: WebDriver;
	try {
		await waitForPort(port, driverProcess, () => driverOutput);
		driver = await withTimeout(
			new Builder()
				.usingServer(`http://127.0.0.1:${port}`)
				.withCapabilities({
					browserName: 'LanternWebKit',
					'webkitgtk:browserOptions': { binary: hostPath, args }
				})
				.build(),
			30_000,
			() => `WebKit did not start a session:\n${driverOutput}`
		);
		await driver.manage().setTimeouts({ script: 60_000, pageLoad: 30_000 });
	} catch (error) {
		stopDriver();
		throw error;
	}

	let read = 0;
	return {
		driver,
		takeConsole() {
			const text = readFileSync(log, 'utf8');
			const fresh = text.slice(read);
			read = text.length;
			return fresh.split('\n').filter((line) => line.trim() !== '');
		},
		async quit() {
			try {
				await withTimeout(driver.quit(), 15_000, () => 'WebKit did not quit');
			} catch {
				// The driver is killed below whatever happened.
			} finally {
				stopDriver();
			}
		}
	};
}

async function waitForPort(port: number, child: ChildProcess, output: () => string) {
	const started = Date.now();
	for (;;) {
		if (child.exitCode !== null) throw new Error(`WebKitWebDriver stopped:\n${output()}`);
		try {
			const response = await fetch(`http://127.0.0.1:${port}/status`);
			if (response.ok) return;
		} catch {
			// Not listening yet.
		}
		if (Date.now() - started > 15_000)
			throw new Error(`WebKitWebDriver did not start:\n${output()}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
	let timer: ReturnType<typeof setTimeout>;
	return Promise.race([
		promise,
		new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(message())), ms);
		})
	]).finally(() => clearTimeout(timer));
}
