import { loadAuditKeys, openCheckpointFile, type AuditSeal } from './audit-seal';
import { systemClock, type Clock } from './clock';
import { readConfig, type LanternConfig } from './config';
import type { AppContext } from './context';
import { openDatabase } from './db/database';
import { migrate } from './db/migrator';
import { setHashingLimits } from './hash-gate';
import type { LessonLibrary } from './lessons/library';
import { inProcessNotifier, postgresNotifier } from './notifier';
import { sealLegacyEntries, startAuditSeal } from './repositories/audit.repository';

/** The migration that brought the keyed audit chain: the entries before it are sealed once. */
const auditMacMigration = '2026-12-02-06-audit-mac';

/** Opens the database and brings its schema up to date; refuses to start on drift. */
export async function createAppContext(
	config: LanternConfig = readConfig(),
	clock: Clock = systemClock,
	lessons?: LessonLibrary
): Promise<AppContext & { close(): Promise<void> }> {
	// The built app passes the lessons compiled into it; scripts and tests read the folder.
	lessons ??= (await import('./lessons/folder-library')).folderLibrary();
	// The audit key never lives in the database: from the environment or a key file (made at
	// first start for SQLite, which keeps everything on one machine).
	const seal: AuditSeal = {
		keys: loadAuditKeys(config.audit, !config.databaseUrl),
		checkpointFile: config.audit.checkpointFile,
		checkpointSeconds: config.audit.checkpointSeconds
	};
	// Before any migration: sealing the entries from before keys must not fail half-way.
	await openCheckpointFile(seal);
	setHashingLimits(config.hashing);
	const handle = openDatabase({
		databaseUrl: config.databaseUrl,
		databaseFile: config.databaseFile
	});
	try {
		const applied = await migrate(handle.db, handle.dialect);
		if (applied.includes(auditMacMigration)) await sealLegacyEntries(handle.db, seal);
	} catch (error) {
		await handle.close();
		throw error;
	}
	const audit = startAuditSeal(handle.db, seal);
	const notifier = config.databaseUrl ? postgresNotifier(config.databaseUrl) : inProcessNotifier();
	return {
		db: handle.db,
		dialect: handle.dialect,
		clock,
		config,
		notifier,
		lessons,
		close: async () => {
			await audit.stop();
			await notifier.close();
			await handle.close();
		}
	};
}

// The process-wide context: a database pool and settings, shared by all requests. Nothing
// about any one user is kept here.
let current: AppContext | undefined;

export async function startApp(lessons: LessonLibrary): Promise<AppContext> {
	current ??= await createAppContext(readConfig(), systemClock, lessons);
	return current;
}

export function app(): AppContext {
	if (!current) throw new Error('Lantern has not started: startApp() runs in the server init hook');
	return current;
}
