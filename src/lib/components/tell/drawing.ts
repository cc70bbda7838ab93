/**
 * The drawing behind DrawingCanvas, kept free of the DOM so it can be tested.
 *
 * Strokes are stored in "drawing units" on a fixed 600 × 400 sheet, whatever size the
 * canvas is shown at, so the picture can be repainted sharply after a resize and
 * exported at a different size from the screen.
 */

export const drawingWidth = 600;
export const drawingHeight = 400;
/** Exported pictures are at most this wide, which keeps the PNG small enough to send. */
export const exportMaxWidth = 800;
export const pngPrefix = 'data:image/png;base64,';

/** Dark enough for a white tick to show on each, and easy to tell apart. */
export const colours = {
	black: '#1b1b1f',
	blue: '#1d62c4',
	red: '#c62828',
	green: '#2e7d32'
} as const;
export type ColourName = keyof typeof colours;
export const colourNames = Object.keys(colours) as ColourName[];

/** Pen widths in drawing units (the sheet is 600 wide). */
export const penSizes = { thin: 8, thick: 20 } as const;
export type PenSize = keyof typeof penSizes;
export const penSizeNames = Object.keys(penSizes) as PenSize[];

export interface Point {
	readonly x: number;
	readonly y: number;
}

export interface Stroke {
	readonly colour: string;
	readonly size: number;
	readonly points: readonly Point[];
}

export interface Drawing {
	readonly strokes: readonly Stroke[];
	/** The stroke a finger is drawing now, if any. */
	readonly current: Stroke | null;
	/** What "Start again" wiped, so that Undo can bring it back after a mistaken tap. */
	readonly cleared: readonly Stroke[] | null;
}

export const emptyDrawing: Drawing = { strokes: [], current: null, cleared: null };

/** Points closer than this to the last one add nothing visible, only size. */
const minGap = 1.5;

export function startStroke(drawing: Drawing, point: Point, colour: string, size: number): Drawing {
	const ended = endStroke(drawing);
	return { ...ended, current: { colour, size, points: [point] } };
}

/** Returns the same drawing when nothing changed, so callers know there is nothing to paint. */
export function addPoint(drawing: Drawing, point: Point): Drawing {
	const current = drawing.current;
	if (!current || !Number.isFinite(point.x) || !Number.isFinite(point.y)) return drawing;
	const last = current.points[current.points.length - 1];
	if (last && Math.hypot(point.x - last.x, point.y - last.y) < minGap) return drawing;
	return { ...drawing, current: { ...current, points: [...current.points, point] } };
}

export function endStroke(drawing: Drawing): Drawing {
	if (!drawing.current) return drawing;
	// Drawing something new means the wiped picture is gone for good.
	return { strokes: [...drawing.strokes, drawing.current], current: null, cleared: null };
}

export function canUndo(drawing: Drawing): boolean {
	return drawing.current !== null || drawing.strokes.length > 0 || drawing.cleared !== null;
}

export function undo(drawing: Drawing): Drawing {
	if (drawing.current) return { ...drawing, current: null };
	if (drawing.strokes.length > 0) return { ...drawing, strokes: drawing.strokes.slice(0, -1) };
	if (drawing.cleared) return { strokes: drawing.cleared, current: null, cleared: null };
	return drawing;
}

export function clear(drawing: Drawing): Drawing {
	const ended = endStroke(drawing);
	if (ended.strokes.length === 0) return ended;
	return { strokes: [], current: null, cleared: ended.strokes };
}

export function isEmpty(drawing: Drawing): boolean {
	return drawing.strokes.length === 0 && drawing.current === null;
}

export function isPngDataUrl(url: string): boolean {
	return url.startsWith(pngPrefix) && url.length > pngPrefix.length;
}

/** Whether an exported picture is a PNG no longer than `maxBytes` characters. */
export function withinLimit(url: string, maxBytes: number): boolean {
	return isPngDataUrl(url) && url.length <= maxBytes;
}

/** Screens draw at their own pixel ratio for sharp lines, but never above 2 (memory on old iPads). */
export function pixelRatio(devicePixelRatio: number | undefined): number {
	if (!devicePixelRatio || !Number.isFinite(devicePixelRatio)) return 1;
	return Math.min(2, Math.max(1, devicePixelRatio));
}

export function exportSize(screenWidth: number): { width: number; height: number } {
	const wanted = screenWidth > 0 ? Math.round(screenWidth) : drawingWidth;
	const width = Math.min(exportMaxWidth, wanted);
	return { width, height: Math.round((width * drawingHeight) / drawingWidth) };
}

/** Turns a pointer position into drawing units, given the canvas's place on screen. */
export function toDrawingPoint(
	clientX: number,
	clientY: number,
	box: { left: number; top: number; width: number; height: number }
): Point {
	// A box with no size (not laid out yet, or in tests) is taken as 1:1.
	const sx = box.width > 0 ? drawingWidth / box.width : 1;
	const sy = box.height > 0 ? drawingHeight / box.height : 1;
	return { x: (clientX - box.left) * sx, y: (clientY - box.top) * sy };
}

/** One piece of a stroke: a quadratic curve from `from`, bending towards `via`, to `to`. */
export interface Segment {
	readonly from: Point;
	readonly via: Point;
	readonly to: Point;
}

const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/**
 * The i-th piece of a stroke through `points`. Pieces join at the midpoints between
 * touch points and bend through the points themselves, which turns a finger's jagged
 * path into a smooth line. The first and last pieces are straight (via = from).
 * A stroke of n ≥ 2 points has n pieces; only the last changes when a point is added.
 */
export function segmentAt(points: readonly Point[], i: number): Segment | null {
	const n = points.length;
	if (n < 2 || i < 0 || i >= n) return null;
	const p = (k: number) => points[k] as Point;
	if (i === 0) return { from: p(0), via: p(0), to: mid(p(0), p(1)) };
	const from = mid(p(i - 1), p(i));
	if (i === n - 1) return { from, via: from, to: p(i) };
	return { from, via: p(i), to: mid(p(i), p(i + 1)) };
}

export function strokeSegments(points: readonly Point[]): Segment[] {
	const pieces: Segment[] = [];
	for (let i = 0; i < points.length; i++) {
		const piece = segmentAt(points, i);
		if (piece) pieces.push(piece);
	}
	return pieces;
}

/** The parts of a 2D canvas context that painting uses, so tests can pass a fake. */
export type Pen = Pick<
	CanvasRenderingContext2D,
	| 'fillStyle'
	| 'strokeStyle'
	| 'lineWidth'
	| 'lineCap'
	| 'lineJoin'
	| 'setTransform'
	| 'fillRect'
	| 'beginPath'
	| 'moveTo'
	| 'quadraticCurveTo'
	| 'arc'
	| 'fill'
	| 'stroke'
>;

function dot(pen: Pen, stroke: Stroke, at: Point): void {
	pen.fillStyle = stroke.colour;
	pen.beginPath();
	pen.arc(at.x, at.y, stroke.size / 2, 0, Math.PI * 2);
	pen.fill();
}

function piece(pen: Pen, stroke: Stroke, segment: Segment): void {
	pen.strokeStyle = stroke.colour;
	pen.lineWidth = stroke.size;
	pen.lineCap = 'round';
	pen.lineJoin = 'round';
	pen.beginPath();
	pen.moveTo(segment.from.x, segment.from.y);
	pen.quadraticCurveTo(segment.via.x, segment.via.y, segment.to.x, segment.to.y);
	pen.stroke();
}

export function paintStroke(pen: Pen, stroke: Stroke): void {
	const [first] = stroke.points;
	if (!first) return;
	if (stroke.points.length === 1) {
		dot(pen, stroke, first);
		return;
	}
	pen.strokeStyle = stroke.colour;
	pen.lineWidth = stroke.size;
	pen.lineCap = 'round';
	pen.lineJoin = 'round';
	pen.beginPath();
	pen.moveTo(first.x, first.y);
	for (const segment of strokeSegments(stroke.points)) {
		pen.quadraticCurveTo(segment.via.x, segment.via.y, segment.to.x, segment.to.y);
	}
	pen.stroke();
}

/**
 * Paints only what the latest point added to a stroke in progress, so drawing stays
 * quick however busy the picture is. The stroke's straight last piece is painted when
 * the whole picture is repainted at the end of the stroke.
 */
export function paintLatest(pen: Pen, stroke: Stroke, scale: number): void {
	pen.setTransform(scale, 0, 0, scale, 0, 0);
	const n = stroke.points.length;
	if (n === 1 && stroke.points[0]) dot(pen, stroke, stroke.points[0]);
	const segment = segmentAt(stroke.points, n - 2);
	if (segment) piece(pen, stroke, segment);
}

/** Repaints the whole picture on a white sheet (white, so a PNG never shows as black). */
export function paint(
	pen: Pen,
	drawing: Drawing,
	scale: number,
	width: number,
	height: number
): void {
	pen.setTransform(1, 0, 0, 1, 0, 0);
	pen.fillStyle = '#ffffff';
	pen.fillRect(0, 0, width, height);
	pen.setTransform(scale, 0, 0, scale, 0, 0);
	for (const stroke of drawing.strokes) paintStroke(pen, stroke);
	if (drawing.current) paintStroke(pen, drawing.current);
}
