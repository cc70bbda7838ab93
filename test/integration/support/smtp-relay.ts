import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message as the relay received it: the envelope and the parsed e-mail. */
export interface Received {
	from: string;
	to: string[];
	subject: string;
	text: string;
	/** The whole message as it came over the wire (headers and body). */
	raw: string;
	parsed: ParsedMail;
}

/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package), for tests: it keeps every
 * message it receives, parsed with `mailparser`. It can be stopped (the relay is down) and
 * started again on the same port, and told to refuse some addresses for good (550).
 */
export interface LoopbackRelay {
	/** `smtp://127.0.0.1:<port>`, for LANTERN_SMTP_URL. */
	url: string;
	port: number;
	received: Received[];
	/** Addresses answered "550 no such mailbox" at RCPT TO. */
	refuse: Set<string>;
	/** Resolves once this many messages have arrived (however long it takes: no timer). */
	waitFor(count: number): Promise<Received[]>;
	down(): Promise<void>;
	up(): Promise<void>;
	close(): Promise<void>;
}

export async function startLoopbackRelay(): Promise<LoopbackRelay> {
	const received: Received[] = [];
	const refuse = new Set<string>();
	const waiting: { count: number; resolve: (all: Received[]) => void }[] = [];
	const settle = () => {
		for (const w of [...waiting])
			if (received.length >= w.count) {
				waiting.splice(waiting.indexOf(w), 1);
				w.resolve(received);
			}
	};
	const make = () =>
		new SMTPServer({
			secure: false,
			authOptional: true,
			// Plain SMTP on loopback: Lantern requires STARTTLS only for relays elsewhere.
			disabledCommands: ['STARTTLS'],
			logger: false,
			onRcptTo(address, _session, callback) {
				if (refuse.has(address.address.toLowerCase())) {
					const error = new Error('No such mailbox here') as Error & { responseCode: number };
					error.responseCode = 550;
					return callback(error);
				}
				callback();
			},
			onData(stream, session, callback) {
				const chunks: Buffer[] = [];
				stream.on('data', (chunk: Buffer) => chunks.push(chunk));
				stream.on('end', () => {
					const raw = Buffer.concat(chunks);
					simpleParser(raw).then(
						(parsed) => {
							received.push({
								from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
								to: session.envelope.rcptTo.map((r) => r.address),
								subject: parsed.subject ?? '',
								text: parsed.text ?? '',
								raw: raw.toString('utf8'),
								parsed
							});
							callback();
							settle();
						},
						(error: Error) => callback(error)
					);
				});
			}
		});
	let server = make();
	const listen = (port: number) =>
		new Promise<number>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				const address = server.server.address();
				resolve(typeof address === 'object' && address ? address.port : port);
			});
		});
	const port = await listen(0);
	let isUp = true;
	const down = () =>
		new Promise<void>((resolve) => {
			if (!isUp) return resolve();
			isUp = false;
			server.close(() => resolve());
		});
	return {
		url: `smtp://127.0.0.1:${port}`,
		port,
		received,
		refuse,
		waitFor: (count) =>
			new Promise((resolve) => {
				waiting.push({ count, resolve });
				settle();
			}),
		down,
		up: async () => {
			if (isUp) return;
			server = make();
			await listen(port);
			isUp = true;
		},
		close: down
	};
}
