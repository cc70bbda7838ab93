import {
	BarcodeFormat,
	BinaryBitmap,
	DecodeHintType,
	HybridBinarizer,
	MultiFormatReader,
	QRCodeReader,
	RGBLuminanceSource
} from '@zxing/library';

/**
 * Reading a QR code from one camera frame, given as luminance (one byte per pixel).
 * Our settings: the QR reader alone (no other barcode formats to try), told the codes are
 * QR, on the hybrid binariser that copes with uneven classroom light.
 */
const qrOnly = new Map<DecodeHintType, unknown>([
	[DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.QR_CODE]]
]);
const reader = new QRCodeReader();

export function decodeLuminance(
	luminance: Uint8ClampedArray,
	width: number,
	height: number
): string | null {
	return (
		decodeOnce(luminance, width, height) ??
		// The finder-pattern arithmetic sometimes lands on an impossible size for one exact
		// module width (about one card in twenty, held dead straight). The same picture at half
		// size has other widths and reads; a picture with no code in it fails fast both times.
		decodeOnce(halfSize(luminance, width, height), width >> 1, height >> 1)
	);
}

function decodeOnce(luminance: Uint8ClampedArray, width: number, height: number): string | null {
	try {
		const bitmap = new BinaryBitmap(
			new HybridBinarizer(new RGBLuminanceSource(luminance, width, height))
		);
		return reader.decode(bitmap, qrOnly).getText();
	} catch {
		// Not found, or found but unreadable: the caller just tries the next frame.
		return null;
	} finally {
		reader.reset();
	}
}

/** Each 2×2 block of pixels averaged into one. */
function halfSize(luminance: Uint8ClampedArray, width: number, height: number): Uint8ClampedArray {
	const w = width >> 1;
	const h = height >> 1;
	const out = new Uint8ClampedArray(w * h);
	for (let y = 0; y < h; y++) {
		for (let x = 0; x < w; x++) {
			const i = 2 * y * width + 2 * x;
			out[y * w + x] =
				(luminance[i]! + luminance[i + 1]! + luminance[i + width]! + luminance[i + width + 1]!) >>
				2;
		}
	}
	return out;
}

/** The library's defaults, every format tried: for the benchmark's comparison only. */
const anyFormat = new MultiFormatReader();
export function decodeWithDefaults(
	luminance: Uint8ClampedArray,
	width: number,
	height: number
): string | null {
	try {
		return anyFormat
			.decode(
				new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, width, height)))
			)
			.getText();
	} catch {
		return null;
	}
}

/** RGBA pixels (a canvas's ImageData) to luminance, with the usual weights. */
export function rgbaToLuminance(
	rgba: Uint8ClampedArray,
	width: number,
	height: number
): Uint8ClampedArray {
	const out = new Uint8ClampedArray(width * height);
	for (let i = 0, p = 0; p < out.length; i += 4, p++) {
		out[p] = (rgba[i]! * 77 + rgba[i + 1]! * 150 + rgba[i + 2]! * 29) >> 8;
	}
	return out;
}
