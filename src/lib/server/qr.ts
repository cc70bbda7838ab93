import QRCode from 'qrcode';

/**
 * A QR code as SVG markup, drawn on the server from text we made ourselves (a card token or
 * an enrolment code), so it is safe to place in the page. Error correction Q survives a
 * crease or a thumb over a corner.
 */
export function qrSvg(text: string): Promise<string> {
	return QRCode.toString(text, {
		type: 'svg',
		errorCorrectionLevel: 'Q',
		margin: 2,
		color: { dark: '#000000', light: '#ffffff' }
	});
}
