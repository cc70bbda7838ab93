import type { PageServerLoad } from './$types';

/**
 * Nothing to load from the server: the lessons come from the build. This file exists so that
 * moving here inside the app still asks the server, and the hook checks the role each time.
 */
export const load: PageServerLoad = () => ({});
