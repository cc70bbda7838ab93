import { EventEmitter } from 'node:events';
import pg from 'pg';

/**
 * "Something changed in this school's reports": the only thing ever sent. A listener reloads
 * what its own member of staff may see; no report content travels in a notification.
 * With SQLite (one process) this is an in-process emitter; with PostgreSQL it is
 * LISTEN/NOTIFY, so every app process in front of the same database hears it.
 */
export interface Notifier {
	publish(schoolId: string): Promise<void>;
	subscribe(schoolId: string, listener: () => void): () => void;
	/**
	 * Resolves once this process hears what is published (for PostgreSQL, once its LISTEN is in
	 * place). A listener never misses anything that matters before then: an inbox's stream says
	 * "changed" as it opens. Tests wait for it so a notification is not sent into the gap.
	 */
	ready(): Promise<void>;
	close(): Promise<void>;
}

const channel = 'lantern_reports';

export function inProcessNotifier(): Notifier {
	const emitter = new EventEmitter();
	emitter.setMaxListeners(0);
	return {
		publish(schoolId) {
			emitter.emit(schoolId);
			return Promise.resolve();
		},
		subscribe(schoolId, listener) {
			emitter.on(schoolId, listener);
			return () => emitter.off(schoolId, listener);
		},
		ready: () => Promise.resolve(),
		close: () => Promise.resolve()
	};
}

/** One LISTEN connection a process, opened on first subscribe and re-opened if it drops. */
export function postgresNotifier(connectionString: string): Notifier {
	const local = inProcessNotifier();
	let listening: Promise<pg.Client> | null = null;
	let closed = false;

	const listen = (): Promise<pg.Client> => {
		listening ??= (async () => {
			const client = new pg.Client({ connectionString });
			client.on('notification', (message) => {
				if (message.channel === channel && message.payload) void local.publish(message.payload);
			});
			client.on('error', () => {
				// The connection dropped: the next subscribe (or the retry below) opens a new one.
				listening = null;
				if (!closed) setTimeout(() => void listen().catch(() => undefined), 1000).unref();
			});
			await client.connect();
			await client.query(`LISTEN ${channel}`);
			return client;
		})().catch((error: unknown) => {
			listening = null;
			throw error;
		});
		return listening;
	};
	const publisher = new pg.Pool({ connectionString, max: 2 });

	return {
		async publish(schoolId) {
			await publisher.query('select pg_notify($1, $2)', [channel, schoolId]);
		},
		subscribe(schoolId, listener) {
			void listen().catch(() => undefined);
			return local.subscribe(schoolId, listener);
		},
		async ready() {
			await listen();
		},
		async close() {
			closed = true;
			const client = await listening?.catch(() => null);
			await client?.end().catch(() => undefined);
			await publisher.end();
		}
	};
}
