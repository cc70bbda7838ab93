// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { announceLeaving, quietWhileLeaving } from './leaving';

function rejection(reason: unknown) {
	const event = new Event('unhandledrejection', { cancelable: true }) as PromiseRejectionEvent;
	Object.defineProperty(event, 'reason', { value: reason });
	return event;
}

describe('loads cancelled by leaving the page', () => {
	let stop = () => {};
	afterEach(() => {
		stop();
		vi.useRealTimers();
	});

	it('counts errors again when the page stayed after all (a download)', () => {
		vi.useFakeTimers();
		stop = quietWhileLeaving(window, 3000);
		window.dispatchEvent(new Event('beforeunload'));
		vi.advanceTimersByTime(3001);
		const later = rejection(new TypeError('Importing a module script failed.'));
		window.dispatchEvent(later);
		expect(later.defaultPrevented).toBe(false);
	});

	it('drops a cancelled import only while the page is being left', () => {
		stop = quietWhileLeaving(window);
		const before = rejection(new TypeError('Importing a module script failed.'));
		window.dispatchEvent(before);
		expect(before.defaultPrevented).toBe(false);
		window.dispatchEvent(new Event('beforeunload'));
		const during = rejection(new TypeError('Importing a module script failed.'));
		window.dispatchEvent(during);
		expect(during.defaultPrevented).toBe(true);
	});

	it('still reports every other error while leaving, and everything once the page stays', () => {
		stop = quietWhileLeaving(window);
		window.dispatchEvent(new Event('pagehide'));
		const other = rejection(new Error('Something real went wrong'));
		window.dispatchEvent(other);
		expect(other.defaultPrevented).toBe(false);
		window.dispatchEvent(new Event('pageshow'));
		const after = rejection(new TypeError('Importing a module script failed.'));
		window.dispatchEvent(after);
		expect(after.defaultPrevented).toBe(false);
	});

	it('counts a page that says it is leaving (a form it submits itself) as leaving', () => {
		stop = quietWhileLeaving(window);
		announceLeaving(window);
		const during = rejection(new Error('Unable to preload CSS for /_app/immutable/assets/0.css'));
		window.dispatchEvent(during);
		expect(during.defaultPrevented).toBe(true);
	});
});
