import { flushSync } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';

/**
 * A stand-in for a parent's `bind:value` in a component test. The box is reactive (a
 * SvelteMap) because a bound prop is read straight from the parent each time.
 */
export function bound<T>(initial: T) {
	const box = new SvelteMap<'value', T>([['value', initial]]);
	return {
		get current() {
			return box.get('value') as T;
		},
		set current(next: T) {
			box.set('value', next);
			flushSync();
		},
		props: {
			get value() {
				return box.get('value') as T;
			},
			set value(next: T) {
				box.set('value', next);
			}
		}
	};
}
