import { describe, expect, it } from 'vitest';
import {
	addPoint,
	canUndo,
	clear,
	emptyDrawing,
	endStroke,
	exportSize,
	isEmpty,
	isPngDataUrl,
	paint,
	paintLatest,
	pixelRatio,
	pngPrefix,
	segmentAt,
	startStroke,
	strokeSegments,
	toDrawingPoint,
	undo,
	withinLimit,
	type Drawing,
	type Pen,
	type Point
} from './drawing';

const p = (x: number, y: number): Point => ({ x, y });

/** Draws one stroke through the points and lifts the finger. */
function stroke(drawing: Drawing, points: Point[], colour = '#000', size = 8): Drawing {
	const [first, ...rest] = points;
	let next = startStroke(drawing, first ?? p(0, 0), colour, size);
	for (const point of rest) next = addPoint(next, point);
	return endStroke(next);
}

describe('the stroke list', () => {
	it('starts empty, with nothing to undo', () => {
		expect(isEmpty(emptyDrawing)).toBe(true);
		expect(canUndo(emptyDrawing)).toBe(false);
		expect(undo(emptyDrawing)).toBe(emptyDrawing);
	});

	it('adds points to the stroke being drawn and keeps it when the finger lifts', () => {
		let drawing = startStroke(emptyDrawing, p(10, 10), '#c62828', 20);
		drawing = addPoint(drawing, p(20, 10));
		drawing = addPoint(drawing, p(30, 15));
		expect(drawing.strokes).toHaveLength(0);
		expect(isEmpty(drawing)).toBe(false);
		drawing = endStroke(drawing);
		expect(drawing.current).toBeNull();
		expect(drawing.strokes).toEqual([
			{ colour: '#c62828', size: 20, points: [p(10, 10), p(20, 10), p(30, 15)] }
		]);
	});

	it('skips points too close to the last one, returning the same drawing', () => {
		const drawing = startStroke(emptyDrawing, p(10, 10), '#000', 8);
		expect(addPoint(drawing, p(10.5, 10.5))).toBe(drawing);
		expect(addPoint(drawing, p(Number.NaN, 3))).toBe(drawing);
		expect(addPoint(emptyDrawing, p(50, 50))).toBe(emptyDrawing);
	});

	it('keeps a single tap as a dot', () => {
		const drawing = stroke(emptyDrawing, [p(40, 40)]);
		expect(drawing.strokes[0]?.points).toEqual([p(40, 40)]);
	});

	it('ends a forgotten stroke when a new one starts', () => {
		let drawing = startStroke(emptyDrawing, p(1, 1), '#000', 8);
		drawing = startStroke(drawing, p(100, 100), '#000', 8);
		expect(drawing.strokes).toHaveLength(1);
		expect(drawing.current?.points).toEqual([p(100, 100)]);
	});

	it('undoes the last stroke, one at a time', () => {
		let drawing = stroke(emptyDrawing, [p(0, 0), p(50, 50)]);
		drawing = stroke(drawing, [p(100, 0), p(150, 50)]);
		drawing = undo(drawing);
		expect(drawing.strokes).toHaveLength(1);
		expect(drawing.strokes[0]?.points[0]).toEqual(p(0, 0));
		drawing = undo(drawing);
		expect(isEmpty(drawing)).toBe(true);
		expect(canUndo(drawing)).toBe(false);
	});

	it('drops a stroke still being drawn before finished ones', () => {
		let drawing = stroke(emptyDrawing, [p(0, 0), p(50, 50)]);
		drawing = startStroke(drawing, p(9, 9), '#000', 8);
		drawing = undo(drawing);
		expect(drawing.current).toBeNull();
		expect(drawing.strokes).toHaveLength(1);
	});

	it('starts again, and Undo brings the picture back after a mistaken tap', () => {
		let drawing = stroke(emptyDrawing, [p(0, 0), p(50, 50)]);
		drawing = stroke(drawing, [p(100, 0), p(150, 50)]);
		const before = drawing.strokes;
		drawing = clear(drawing);
		expect(isEmpty(drawing)).toBe(true);
		expect(canUndo(drawing)).toBe(true);
		drawing = undo(drawing);
		expect(drawing.strokes).toEqual(before);
	});

	it('forgets the wiped picture once something new is drawn', () => {
		let drawing = clear(stroke(emptyDrawing, [p(0, 0), p(50, 50)]));
		drawing = stroke(drawing, [p(5, 5), p(60, 60)]);
		expect(drawing.cleared).toBeNull();
		drawing = undo(drawing);
		expect(isEmpty(drawing)).toBe(true);
		expect(canUndo(drawing)).toBe(false);
	});

	it('does nothing when starting again on an empty sheet', () => {
		expect(clear(emptyDrawing)).toEqual(emptyDrawing);
	});
});

describe('the size limit', () => {
	it('accepts a PNG data URL up to the limit', () => {
		const url = pngPrefix + 'A'.repeat(100);
		expect(withinLimit(url, url.length)).toBe(true);
		expect(withinLimit(url, url.length - 1)).toBe(false);
	});

	it('refuses anything that is not a PNG data URL', () => {
		expect(isPngDataUrl('data:,')).toBe(false);
		expect(isPngDataUrl(pngPrefix)).toBe(false);
		expect(withinLimit('data:image/jpeg;base64,AAAA', 1000)).toBe(false);
		expect(withinLimit('', 1000)).toBe(false);
	});
});

describe('sizes on screen and in the export', () => {
	it('caps the pixel ratio at 2 and never goes below 1', () => {
		expect(pixelRatio(3)).toBe(2);
		expect(pixelRatio(2)).toBe(2);
		expect(pixelRatio(1.5)).toBe(1.5);
		expect(pixelRatio(0.5)).toBe(1);
		expect(pixelRatio(undefined)).toBe(1);
		expect(pixelRatio(Number.NaN)).toBe(1);
	});

	it('exports at most 800 pixels wide, keeping the 3:2 shape', () => {
		expect(exportSize(1200)).toEqual({ width: 800, height: 533 });
		expect(exportSize(600)).toEqual({ width: 600, height: 400 });
		expect(exportSize(0)).toEqual({ width: 600, height: 400 });
	});

	it('maps a finger on the shrunken canvas to drawing units', () => {
		const box = { left: 20, top: 100, width: 300, height: 200 };
		expect(toDrawingPoint(20, 100, box)).toEqual(p(0, 0));
		expect(toDrawingPoint(170, 200, box)).toEqual(p(300, 200));
		expect(toDrawingPoint(320, 300, box)).toEqual(p(600, 400));
	});

	it('takes a box with no size as 1:1 rather than dividing by nought', () => {
		expect(toDrawingPoint(30, 40, { left: 0, top: 0, width: 0, height: 0 })).toEqual(p(30, 40));
	});
});

describe('smooth strokes', () => {
	const points = [p(0, 0), p(10, 0), p(20, 10), p(30, 10)];

	it('joins pieces end to end, from the first point to the last', () => {
		const pieces = strokeSegments(points);
		expect(pieces).toHaveLength(points.length);
		expect(pieces[0]?.from).toEqual(points[0]);
		expect(pieces.at(-1)?.to).toEqual(points.at(-1));
		for (let i = 1; i < pieces.length; i++) expect(pieces[i]?.from).toEqual(pieces[i - 1]?.to);
	});

	it('bends through the touch points between midpoints', () => {
		expect(segmentAt(points, 1)).toEqual({ from: p(5, 0), via: p(10, 0), to: p(15, 5) });
	});

	it('has no pieces for fewer than two points', () => {
		expect(strokeSegments([])).toEqual([]);
		expect(strokeSegments([p(1, 1)])).toEqual([]);
		expect(segmentAt(points, -1)).toBeNull();
		expect(segmentAt(points, 4)).toBeNull();
	});

	it('settles each piece as points arrive, so live drawing matches the repaint', () => {
		const live = [];
		for (let n = 2; n <= points.length; n++) live.push(segmentAt(points.slice(0, n), n - 2));
		expect(live).toEqual(strokeSegments(points).slice(0, -1));
	});
});

/** A pretend 2D context that records what was painted. */
function fakePen() {
	const calls: string[] = [];
	const pen = {
		fillStyle: '',
		strokeStyle: '',
		lineWidth: 1,
		lineCap: 'butt',
		lineJoin: 'miter',
		setTransform: (...args: number[]) => calls.push(`setTransform ${args.join(',')}`),
		fillRect: (...args: number[]) => calls.push(`fillRect ${args.join(',')}`),
		beginPath: () => calls.push('beginPath'),
		moveTo: (x: number, y: number) => calls.push(`moveTo ${x},${y}`),
		quadraticCurveTo: (...args: number[]) => calls.push(`curve ${args.join(',')}`),
		arc: (x: number, y: number, r: number) => calls.push(`arc ${x},${y},${r}`),
		fill: () => calls.push('fill'),
		stroke: () => calls.push('stroke')
	};
	return { pen: pen as unknown as Pen, calls, state: pen };
}

describe('painting', () => {
	it('fills the sheet white, then paints strokes with round ends at the scale given', () => {
		const { pen, calls, state } = fakePen();
		const drawing = stroke(emptyDrawing, [p(0, 0), p(10, 0), p(20, 10)], '#1d62c4', 20);
		paint(pen, drawing, 2, 1200, 800);
		expect(calls.slice(0, 3)).toEqual([
			'setTransform 1,0,0,1,0,0',
			'fillRect 0,0,1200,800',
			'setTransform 2,0,0,2,0,0'
		]);
		expect(calls).toContain('moveTo 0,0');
		expect(calls.filter((call) => call.startsWith('curve'))).toHaveLength(3);
		expect(state.strokeStyle).toBe('#1d62c4');
		expect(state.lineWidth).toBe(20);
		expect(state.lineCap).toBe('round');
	});

	it('paints a tap as a round dot', () => {
		const { pen, calls } = fakePen();
		paint(pen, stroke(emptyDrawing, [p(40, 50)], '#000', 8), 1, 600, 400);
		expect(calls).toContain('arc 40,50,4');
		expect(calls).toContain('fill');
	});

	it('paints only the newest piece while a finger is drawing', () => {
		const { pen, calls } = fakePen();
		let drawing = startStroke(emptyDrawing, p(0, 0), '#000', 8);
		drawing = addPoint(addPoint(drawing, p(10, 0)), p(20, 10));
		if (!drawing.current) throw new Error('no stroke');
		paintLatest(pen, drawing.current, 1);
		expect(calls.filter((call) => call.startsWith('curve'))).toEqual(['curve 10,0,15,5']);
		expect(calls).not.toContain('fillRect 0,0,600,400');
	});
});
