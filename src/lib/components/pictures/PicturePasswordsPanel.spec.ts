// @vitest-environment jsdom
import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { i18nContext } from '$lib/i18n/i18n.svelte';
import PicturePasswordsPanel from './PicturePasswordsPanel.svelte';

const pupil = (firstName: string, hasPictures: boolean, picturesLocked = false) => ({
	id: `id-${firstName}`,
	firstName,
	lastInitial: 'B',
	hasPictures,
	picturesLocked
});

describe('PicturePasswordsPanel', () => {
	it('says plainly when every pupil has pictures, and offers new pictures for each', () => {
		render(PicturePasswordsPanel, {
			context: i18nContext('en'),
			props: {
				on: true,
				className: 'Hedgehogs',
				pupils: [pupil('Alfie', true), pupil('Bea', true, true)]
			}
		});
		expect(screen.getByText(/Every pupil in this class has a picture password/)).toBeTruthy();
		// No button that cannot be pressed.
		expect(screen.queryByRole('button', { name: /Make picture passwords/ })).toBeNull();
		expect(screen.queryAllByRole('button').filter((b) => b.hasAttribute('disabled'))).toEqual([]);
		const reset = screen.getByRole('button', { name: 'New pictures for Alfie B.' });
		expect(reset.closest('form')?.getAttribute('action')).toBe('?/newPictures');
		expect(
			reset.closest('form')?.querySelector('input[name="pupilId"]')?.getAttribute('value')
		).toBe('id-Alfie');
		expect(screen.getByRole('button', { name: 'New pictures for Bea B.' })).toBeTruthy();
		expect(screen.getByText(/Locked after five wrong tries/)).toBeTruthy();
	});

	it('offers pictures for the pupils without them, all at once or one by one', () => {
		render(PicturePasswordsPanel, {
			context: i18nContext('en'),
			props: {
				on: true,
				className: 'Hedgehogs',
				pupils: [pupil('Alfie', true), pupil('Kit', false)]
			}
		});
		expect(
			screen.getByRole('button', { name: 'Make a picture password for the 1 pupil without one' })
		).toBeTruthy();
		expect(screen.getByRole('button', { name: 'Make pictures for Kit B.' })).toBeTruthy();
		expect(screen.queryByText(/Every pupil in this class/)).toBeNull();
	});

	it('lists no pupils while the class does not use picture passwords, and speaks Welsh', () => {
		render(PicturePasswordsPanel, {
			context: i18nContext('cy'),
			props: { on: false, className: 'Draenogod', pupils: [pupil('Alfie', true)] }
		});
		expect(screen.queryByRole('table')).toBeNull();
		expect(
			screen.getByRole('button', { name: "Troi cyfrineiriau lluniau ymlaen i'r dosbarth hwn" })
		).toBeTruthy();
	});
});
