import { decodeLuminance, rgbaToLuminance } from './decode';

/**
 * The front camera, read about ten times a second. Loaded only on screens that scan.
 * If the picture freezes the stream is restarted once; after that, or if the camera is
 * refused, `onTrouble` says so and the screen offers "Find my name" instead.
 */
export type CameraTrouble = 'denied' | 'unavailable' | 'frozen';

export interface ScanSession {
	stop(): void;
}

const frameEveryMs = 100;
const frozenAfterMs = 3000;

export async function startScanning(
	video: HTMLVideoElement,
	onText: (text: string) => void,
	onTrouble: (trouble: CameraTrouble) => void
): Promise<ScanSession> {
	let stream: MediaStream | null = null;
	let timer: ReturnType<typeof setInterval> | undefined;
	let restarted = false;
	let lastTime = -1;
	let lastChange = Date.now();
	const canvas = document.createElement('canvas');
	const context = canvas.getContext('2d', { willReadFrequently: true });

	const stopStream = () => {
		stream?.getTracks().forEach((track) => track.stop());
		stream = null;
	};

	const open = async (): Promise<boolean> => {
		try {
			stream = await navigator.mediaDevices.getUserMedia({
				video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } },
				audio: false
			});
		} catch (error) {
			onTrouble(
				error instanceof DOMException && error.name === 'NotAllowedError' ? 'denied' : 'unavailable'
			);
			return false;
		}
		video.srcObject = stream;
		video.muted = true;
		video.playsInline = true;
		await video.play().catch(() => undefined);
		lastChange = Date.now();
		return true;
	};

	const tick = () => {
		if (!context || video.readyState < 2 || video.videoWidth === 0) return;
		if (video.currentTime !== lastTime) {
			lastTime = video.currentTime;
			lastChange = Date.now();
		} else if (Date.now() - lastChange > frozenAfterMs) {
			if (restarted) {
				session.stop();
				onTrouble('frozen');
				return;
			}
			restarted = true;
			stopStream();
			void open();
			return;
		}
		const { videoWidth: width, videoHeight: height } = video;
		canvas.width = width;
		canvas.height = height;
		context.drawImage(video, 0, 0, width, height);
		const text = decodeLuminance(
			rgbaToLuminance(context.getImageData(0, 0, width, height).data, width, height),
			width,
			height
		);
		if (text) onText(text);
	};

	const session: ScanSession = {
		stop() {
			clearInterval(timer);
			stopStream();
			video.srcObject = null;
		}
	};
	if (await open()) timer = setInterval(tick, frameEveryMs);
	return session;
}
