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
