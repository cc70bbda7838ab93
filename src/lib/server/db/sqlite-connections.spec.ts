import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every TypeScript and JavaScript file under a folder, skipping build output and modules. */
function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		if (name === 'node_modules' || name.startsWith('.')) return [];
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sources(path);
		return /\.(ts|js|svelte)$/.test(name) ? [path] : [];
	});
}

describe('SQLite connections', () => {
	it('are opened in one place only, so every one runs synchronous=FULL', () => {
		const opening = ['src', 'scripts', 'bench']
			.flatMap(sources)
			.filter((file) =>
				/from\s+['"]better-sqlite3['"]|require\(['"]better-sqlite3['"]\)/.test(
					readFileSync(file, 'utf8')
				)
			);
		expect(opening).toEqual([join('src', 'lib', 'server', 'db', 'database.ts')]);
	});

	it('that place sets synchronous=FULL and never a weaker setting', () => {
		const text = readFileSync(join('src', 'lib', 'server', 'db', 'database.ts'), 'utf8');
		expect(text).toMatch(/synchronous = FULL/);
		expect(text).not.toMatch(/synchronous = (NORMAL|OFF)/);
	});
});
