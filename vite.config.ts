import { readFileSync, realpathSync } from 'node:fs';
import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { searchForWorkspaceRoot } from 'vite';
import { defineConfig } from 'vitest/config';
import { lessonsPlugin } from './src/lib/server/lessons/vite-plugin';

const { version } = JSON.parse(
	readFileSync(new URL('./package.json', import.meta.url), 'utf8')
) as {
	version: string;
};

export default defineConfig({
	plugins: [lessonsPlugin(), sveltekit()],
	// Class devices report which version they run on the Devices page.
	define: { __LANTERN_VERSION__: JSON.stringify(process.env.LANTERN_BUILD_VERSION ?? version) },
	server: {
		host: '127.0.0.1',
		// A git worktree may share another checkout's node_modules through a link.
		fs: { allow: [searchForWorkspaceRoot(process.cwd()), realpathSync('node_modules')] }
	},
	preview: { host: '127.0.0.1' },
	test: {
		projects: [
			{
				extends: true,
				plugins: [svelteTesting()],
				test: {
					name: 'unit',
					// Pure specs run in Node; a component or browser-API spec says so on its first line
					// (`// @vitest-environment jsdom`), since a DOM for every file costs a minute a run.
					environment: 'node',
					include: ['src/**/*.spec.ts'],
					setupFiles: ['test/setup-unit.ts']
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					environment: 'node',
					include: ['test/integration/**/*.test.ts'],
					// One database server per run: files share it, so run them one at a time.
					fileParallelism: false,
					// A guard against hangs, not a speed check: migrating a new database twice with
					// every commit synced to disk takes seconds on a busy shared machine.
					testTimeout: 30_000,
					hookTimeout: 60_000
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					environment: 'node',
					include: ['test/e2e/**/*.e2e.ts'],
					fileParallelism: false,
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
