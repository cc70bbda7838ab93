import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** "Stay signed in": reaching here at all has already refreshed the session's last-seen time. */
export const POST: RequestHandler = ({ locals }) => json({ signedIn: locals.actor !== null });
