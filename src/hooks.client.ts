import type { HandleClientError } from '@sveltejs/kit';

/** A fetch that fails outright means the server could not be reached: say so calmly. */
export const handleError: HandleClientError = ({ error }) => {
	if (error instanceof TypeError) return { message: 'unreachable' };
	return { message: 'unexpected' };
};
