// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18nContext } from '$lib/i18n/i18n.svelte';
import { bound } from '../../../../test/unit/bound';
import { mediaStrings, type MediaLanguage } from '$lib/i18n/tell/media';
import DrawingCanvas from './DrawingCanvas.svelte';
import { pngPrefix } from './drawing';

/** What the pretend canvas exports; tests make it longer to pass the size limit. */
let exported = pngPrefix + 'A'.repeat(1000);
let strokeColours: string[] = [];
/** Whether this pretend browser has a 2D canvas at all. */
let canvasWorks = true;

function fakeContext() {
	const noop = () => undefined;
	return {
		fillStyle: '',
		lineWidth: 1,
		lineCap: 'butt',
		lineJoin: 'miter',
		set strokeStyle(colour: string) {
			strokeColours.push(colour);
		},
		setTransform: noop,
		fillRect: noop,
		beginPath: noop,
		moveTo: noop,
		quadraticCurveTo: noop,
		arc: noop,
		fill: noop,
		stroke: noop
	} as unknown as CanvasRenderingContext2D;
}

beforeEach(() => {
	exported = pngPrefix + 'A'.repeat(1000);
	strokeColours = [];
	// jsdom has no 2D canvas: stand one in so drawing and exporting can be followed.
	canvasWorks = true;
	vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() =>
		canvasWorks ? fakeContext() : null
	);
	vi.spyOn(HTMLCanvasElement.prototype, 'toDataURL').mockImplementation(() => exported);
});

afterEach(() => {
	vi.restoreAllMocks();
});

/** A finger stroke across the canvas. */
async function drawStroke(canvas: HTMLElement, pointerId = 1) {
	const at = (x: number, y: number) => ({
		pointerId,
		pointerType: 'touch',
		clientX: x,
		clientY: y
	});
	await fireEvent.pointerDown(canvas, at(10, 10));
	await fireEvent.pointerMove(canvas, at(40, 30));
	await fireEvent.pointerMove(canvas, at(80, 60));
	await fireEvent.pointerUp(canvas, at(80, 60));
}

function renderCanvas(props: Record<string, unknown> = {}) {
	const value = bound<string | null>(null);
	const onTooBig = vi.fn();
	const result = render(DrawingCanvas, {
		context: i18nContext('en'),
		props: Object.assign(value.props, { onTooBig }, props)
	});
	return { ...result, value, onTooBig, canvas: screen.getByRole('img') };
}

describe('DrawingCanvas', () => {
	it('is a labelled picture with big colour choices, one chosen', () => {
		const { canvas } = renderCanvas();
		expect(canvas.tagName).toBe('CANVAS');
		expect(canvas.getAttribute('aria-label')).toBe('tell.draw.canvasEmpty');
		const colours = within(screen.getByRole('group', { name: 'tell.draw.colours' })).getAllByRole(
			'button'
		);
		expect(colours).toHaveLength(4);
		expect(colours.filter((button) => button.getAttribute('aria-pressed') === 'true')).toHaveLength(
			1
		);
		// Every colour has a name, not only a colour.
		for (const button of colours) expect(button.getAttribute('aria-label')).toMatch(/^tell\.draw/);
		expect(screen.getByRole('button', { name: /tell.draw.undo/ }).hasAttribute('disabled')).toBe(
			true
		);
		expect(screen.getByRole('button', { name: /tell.draw.clear/ }).hasAttribute('disabled')).toBe(
			true
		);
	});

	it('marks the chosen colour with aria-pressed and a tick, and draws with it', async () => {
		const { canvas } = renderCanvas();
		const red = screen.getByRole('button', { name: 'tell.draw.colour.red' });
		await fireEvent.click(red);
		expect(red.getAttribute('aria-pressed')).toBe('true');
		expect(red.textContent).toContain('✓');
		const black = screen.getByRole('button', { name: 'tell.draw.colour.black' });
		expect(black.getAttribute('aria-pressed')).toBe('false');
		expect(black.textContent).not.toContain('✓');
		await drawStroke(canvas);
		expect(strokeColours).toContain('#c62828');
	});

	it('gives the parent a PNG when a stroke ends', async () => {
		const { canvas, value } = renderCanvas();
		await drawStroke(canvas);
		expect(value.current).toBe(exported);
		expect(canvas.getAttribute('aria-label')).toBe('tell.draw.canvasDrawn');
		expect(screen.queryByRole('alert')).toBeNull();
	});

	it('undoes, starts again, and brings a wiped picture back', async () => {
		const { canvas, value } = renderCanvas();
		await drawStroke(canvas);
		await fireEvent.click(screen.getByRole('button', { name: /tell.draw.undo/ }));
		expect(value.current).toBeNull();
		expect(canvas.getAttribute('aria-label')).toBe('tell.draw.canvasEmpty');

		await drawStroke(canvas);
		await fireEvent.click(screen.getByRole('button', { name: /tell.draw.clear/ }));
		expect(value.current).toBeNull();
		await fireEvent.click(screen.getByRole('button', { name: /tell.draw.undo/ }));
		expect(value.current).toBe(exported);
	});

	it('keeps a picture that is too big on screen, but gives null and says so calmly', async () => {
		exported = pngPrefix + 'A'.repeat(600);
		const { canvas, value, onTooBig } = renderCanvas({ maxBytes: 500 });
		await drawStroke(canvas);
		expect(value.current).toBeNull();
		expect(screen.getByRole('alert').textContent).toBe('tell.draw.tooBig');
		expect(canvas.getAttribute('aria-label')).toBe('tell.draw.canvasDrawn');
		expect(onTooBig).toHaveBeenCalledTimes(1);

		// Still too big after another stroke: the parent has already been told.
		await drawStroke(canvas);
		expect(onTooBig).toHaveBeenCalledTimes(1);

		// Small enough again after an undo.
		exported = pngPrefix + 'A'.repeat(100);
		await fireEvent.click(screen.getByRole('button', { name: /tell.draw.undo/ }));
		expect(value.current).toBe(exported);
		expect(screen.queryByRole('alert')).toBeNull();
	});

	it('draws with one finger only', async () => {
		const { canvas, value } = renderCanvas();
		await fireEvent.pointerDown(canvas, { pointerId: 1, clientX: 10, clientY: 10 });
		// A second finger (or the side of a hand) comes and goes: ignored.
		await fireEvent.pointerDown(canvas, { pointerId: 2, clientX: 90, clientY: 90 });
		await fireEvent.pointerUp(canvas, { pointerId: 2, clientX: 90, clientY: 90 });
		expect(value.current).toBeNull();
		await fireEvent.pointerUp(canvas, { pointerId: 1, clientX: 30, clientY: 30 });
		expect(value.current).toBe(exported);
	});

	it('starts a fresh picture when the parent resets the value', async () => {
		const { canvas, value } = renderCanvas();
		await drawStroke(canvas);
		value.current = null;
		expect(canvas.getAttribute('aria-label')).toBe('tell.draw.canvasEmpty');
		expect(screen.getByRole('button', { name: /tell.draw.clear/ }).hasAttribute('disabled')).toBe(
			true
		);
	});

	it('does not crash without a 2D canvas, and gives no picture', async () => {
		canvasWorks = false;
		const { canvas, value } = renderCanvas();
		await drawStroke(canvas);
		expect(value.current).toBeNull();
		expect(screen.queryByRole('alert')).toBeNull();
		await fireEvent.click(screen.getByRole('button', { name: /tell.draw.undo/ }));
		expect(canvas.getAttribute('aria-label')).toBe('tell.draw.canvasEmpty');
	});

	it('uses only words that exist, in every language', async () => {
		const { container, canvas } = renderCanvas({ maxBytes: 10 });
		// A missing word shows as its key, so every key on screen must be found in the files.
		const keysShown = () =>
			[
				...(container.textContent ?? '').matchAll(/tell\.draw\.[\w.]+/g),
				...[...container.querySelectorAll('[aria-label]')].map((el) => [
					el.getAttribute('aria-label') ?? ''
				])
			].map((match) => match[0] ?? '');
		const before = keysShown();
		await drawStroke(canvas);
		const shown = [...new Set([...before, ...keysShown()])];
		expect(shown.length).toBeGreaterThan(8);
		for (const lang of ['en', 'cy', 'pl', 'ur'] satisfies MediaLanguage[]) {
			const words = mediaStrings(lang);
			for (const key of shown) {
				const found = key
					.split('.')
					.reduce<unknown>(
						(tree, part) => (tree as Record<string, unknown> | undefined)?.[part],
						words
					);
				expect(typeof found, `${lang} ${key}`).toBe('string');
			}
		}
	});
});
