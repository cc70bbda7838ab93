import { app } from '$lib/server/app';
import { staffActor } from '$lib/server/access';
import { sessionCookie } from '$lib/server/cookies';
import { inboxStreamViewer } from '$lib/server/services/inbox-stream.service';
import { unseenCount } from '$lib/server/services/report.service';
import type { RequestHandler } from './$types';

/**
 * Server-sent events for an open inbox: "something changed" and this person's unseen count.
 * Never any report content: the page reloads what its viewer may see. Each event reads the
 * session and the account again, and the stream closes once the session has ended or the
 * person may no longer see reports.
 */
export const GET: RequestHandler = ({ locals, request, cookies }) => {
	const actor = staffActor(locals);
	const token = cookies.get(sessionCookie);
	const ctx = app();
	const encoder = new TextEncoder();
	let stop = () => {};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			let open = true;
			const send = (text: string) => {
				if (!open) return;
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					stop();
				}
			};
			const changed = () => {
				void inboxStreamViewer(ctx, token)
					.then(async (viewer) => {
						if (!viewer || viewer.staffId !== actor.staffId) return stop();
						const unseen = await unseenCount(ctx, viewer);
						send(`event: changed\ndata: ${JSON.stringify({ unseen })}\n\n`);
					})
					.catch(() => undefined);
			};
			const unsubscribe = ctx.notifier.subscribe(actor.schoolId, changed);
			// A comment now and then keeps proxies from closing a quiet connection.
			const keepAlive = setInterval(() => send(': still here\n\n'), 25_000);
			stop = () => {
				if (!open) return;
				open = false;
				clearInterval(keepAlive);
				unsubscribe();
				try {
					controller.close();
				} catch {
					// Already closed by the client.
				}
			};
			request.signal.addEventListener('abort', () => stop());
			send('retry: 2000\n\n');
			changed();
		},
		cancel() {
			stop();
		}
	});
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store',
			'x-accel-buffering': 'no'
		}
	});
};
