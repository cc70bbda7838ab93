// @vitest-environment jsdom
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18nContext } from '$lib/i18n/i18n.svelte';
import { bound } from '../../../../test/unit/bound';
import { mediaStrings, type MediaLanguage } from '$lib/i18n/tell/media';
import VoiceNote from './VoiceNote.svelte';
import type { VoiceRecording } from './voice';

/** The bytes each pretend recording hands over. */
let recorded = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

/** A pretend MediaRecorder: hands over `recorded` when stopped, a moment later, like browsers. */
class FakeRecorder {
	static isTypeSupported = vi.fn((type: string) => type.startsWith('audio/webm'));
	static made: FakeRecorder[] = [];
	state: 'inactive' | 'recording' = 'inactive';
	mimeType: string;
	ondataavailable: ((event: { data: Blob }) => void) | null = null;
	onstop: (() => void) | null = null;
	onerror: (() => void) | null = null;
	start = vi.fn(() => {
		this.state = 'recording';
	});
	stop = vi.fn(() => {
		if (this.state === 'inactive') throw new DOMException('not recording', 'InvalidStateError');
		this.state = 'inactive';
		queueMicrotask(() => {
			this.ondataavailable?.({ data: new Blob([recorded], { type: this.mimeType }) });
			this.onstop?.();
		});
	});
	constructor(
		readonly stream: unknown,
		readonly options: { mimeType?: string; audioBitsPerSecond?: number }
	) {
		this.mimeType = options.mimeType ?? '';
		FakeRecorder.made.push(this);
	}
}

function fakeMicrophone(getUserMedia: () => Promise<unknown>) {
	vi.stubGlobal('MediaRecorder', FakeRecorder);
	Object.defineProperty(navigator, 'mediaDevices', {
		configurable: true,
		value: { getUserMedia: vi.fn(getUserMedia) }
	});
}

/** A pretend microphone stream whose one track can be checked for being switched off. */
function fakeStream() {
	const track = { stop: vi.fn() };
	return { track, stream: { getTracks: () => [track] } };
}

function renderVoice(props: Record<string, unknown> = {}) {
	const value = bound<VoiceRecording | null>(null);
	const result = render(VoiceNote, {
		context: i18nContext('en'),
		props: Object.assign(value.props, props)
	});
	return { ...result, value };
}

const recordButton = () => screen.getByRole('button', { name: /tell.voice.record$/ });
const stopButton = () => screen.getByRole('button', { name: /tell.voice.stop/ });

afterEach(() => {
	vi.useRealTimers();
	vi.unstubAllGlobals();
	Reflect.deleteProperty(navigator, 'mediaDevices');
	FakeRecorder.made = [];
	FakeRecorder.isTypeSupported.mockClear();
	recorded = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

describe('VoiceNote', () => {
	it("says calmly that it can't record here when MediaRecorder is missing", () => {
		const { value } = renderVoice();
		expect(screen.getByRole('status').textContent?.trim()).toBe('tell.voice.unavailable');
		expect(screen.queryByRole('button')).toBeNull();
		expect(value.current).toBeNull();
	});

	it('records, stops, and gives the parent base64 audio, then lets the child listen', async () => {
		const { track, stream } = fakeStream();
		fakeMicrophone(() => Promise.resolve(stream));
		const { value, container } = renderVoice();
		expect(screen.getByRole('status').textContent?.trim()).toBe('');

		await fireEvent.click(recordButton());
		await waitFor(() => stopButton());
		const recorder = FakeRecorder.made[0];
		expect(recorder?.options).toEqual({
			mimeType: 'audio/webm;codecs=opus',
			audioBitsPerSecond: 32000
		});
		expect(recorder?.start).toHaveBeenCalledWith(1000);
		expect(screen.getByRole('timer').getAttribute('aria-label')).toBe('tell.voice.secondsLeft');
		expect(within(screen.getByRole('timer')).getByText('60')).toBeTruthy();

		await fireEvent.click(stopButton());
		expect(track.stop).toHaveBeenCalled();
		await waitFor(() => expect(value.current).not.toBeNull());
		expect(value.current).toEqual({ mime: 'audio/webm', data: 'AQIDBAUGBwgJCg==', seconds: 1 });

		const audio = container.querySelector('audio');
		expect(audio?.hasAttribute('controls')).toBe(true);
		expect(audio?.getAttribute('src')).toBe('data:audio/webm;base64,AQIDBAUGBwgJCg==');
		expect(screen.getByRole('button', { name: /tell.voice.recordAgain/ })).toBeTruthy();

		await fireEvent.click(screen.getByRole('button', { name: /tell.voice.delete/ }));
		expect(value.current).toBeNull();
		expect(container.querySelector('audio')).toBeNull();
		expect(recordButton()).toBeTruthy();
	});

	it('asks for mp4 where it is supported, as on iPads', async () => {
		FakeRecorder.isTypeSupported.mockImplementation(() => true);
		fakeMicrophone(() => Promise.resolve(fakeStream().stream));
		renderVoice();
		await fireEvent.click(recordButton());
		await waitFor(() => stopButton());
		expect(FakeRecorder.made[0]?.options.mimeType).toBe('audio/mp4');
	});

	it('suggests drawing or typing when the microphone is refused, without throwing', async () => {
		fakeMicrophone(() => Promise.reject(new DOMException('no', 'NotAllowedError')));
		const { value } = renderVoice();
		await fireEvent.click(recordButton());
		await waitFor(() =>
			expect(screen.getByRole('status').textContent?.trim()).toBe('tell.voice.denied')
		);
		expect(value.current).toBeNull();
		// They can try again once a grown-up has turned it on.
		expect(recordButton().hasAttribute('disabled')).toBe(false);
	});

	it('says so when there is no microphone', async () => {
		fakeMicrophone(() => Promise.reject(new DOMException('none', 'NotFoundError')));
		renderVoice();
		await fireEvent.click(recordButton());
		await waitFor(() =>
			expect(screen.getByRole('status').textContent?.trim()).toBe('tell.voice.noMicrophone')
		);
	});

	it('refuses a note that is too big, keeping the value null', async () => {
		const { track, stream } = fakeStream();
		fakeMicrophone(() => Promise.resolve(stream));
		recorded = new Uint8Array(100);
		const { value, container } = renderVoice({ maxBytes: 100 });
		await fireEvent.click(recordButton());
		await waitFor(() => stopButton());
		await fireEvent.click(stopButton());
		await waitFor(() =>
			expect(screen.getByRole('status').textContent?.trim()).toBe('tell.voice.tooBig')
		);
		expect(value.current).toBeNull();
		expect(container.querySelector('audio')).toBeNull();
		expect(track.stop).toHaveBeenCalled();
	});

	it('counts down and stops by itself at the time limit', async () => {
		vi.useFakeTimers();
		const { track, stream } = fakeStream();
		fakeMicrophone(() => Promise.resolve(stream));
		const { value } = renderVoice({ maxSeconds: 5 });
		await fireEvent.click(recordButton());
		await act(() => vi.advanceTimersByTimeAsync(0));
		expect(within(screen.getByRole('timer')).getByText('5')).toBeTruthy();

		await act(() => vi.advanceTimersByTimeAsync(2000));
		expect(within(screen.getByRole('timer')).getByText('3')).toBeTruthy();

		await act(() => vi.advanceTimersByTimeAsync(3000));
		expect(FakeRecorder.made[0]?.stop).toHaveBeenCalled();
		expect(track.stop).toHaveBeenCalled();
		vi.useRealTimers();
		await waitFor(() => expect(value.current?.seconds).toBe(5));
		expect(screen.getByRole('status').textContent?.trim()).toBe('tell.voice.full');
	});

	it('lets go of the microphone when it goes away mid-recording', async () => {
		const { track, stream } = fakeStream();
		fakeMicrophone(() => Promise.resolve(stream));
		const { unmount, value } = renderVoice();
		await fireEvent.click(recordButton());
		await waitFor(() => stopButton());
		unmount();
		expect(track.stop).toHaveBeenCalled();
		expect(FakeRecorder.made[0]?.state).toBe('inactive');
		await Promise.resolve();
		expect(value.current).toBeNull();
	});

	it('lets go of a microphone that arrives after it has gone away', async () => {
		const { track, stream } = fakeStream();
		let grant: (stream: unknown) => void = () => undefined;
		fakeMicrophone(() => new Promise((resolve) => (grant = resolve)));
		const { unmount } = renderVoice();
		await fireEvent.click(recordButton());
		unmount();
		grant(stream);
		await waitFor(() => expect(track.stop).toHaveBeenCalled());
		expect(FakeRecorder.made).toHaveLength(0);
	});

	it('uses only words that exist, in every language', async () => {
		const { track, stream } = fakeStream();
		fakeMicrophone(() => Promise.resolve(stream));
		const { container } = renderVoice();
		const seen = new Set<string>();
		const look = () => {
			for (const match of (container.textContent ?? '').matchAll(/tell\.voice\.\w+/g)) {
				seen.add(match[0]);
			}
			for (const el of container.querySelectorAll('[aria-label]')) {
				seen.add(el.getAttribute('aria-label') ?? '');
			}
		};
		look();
		await fireEvent.click(recordButton());
		await waitFor(() => stopButton());
		look();
		await fireEvent.click(stopButton());
		await waitFor(() => screen.getByRole('button', { name: /tell.voice.delete/ }));
		look();
		expect(track.stop).toHaveBeenCalled();
		expect(seen.size).toBeGreaterThan(8);
		// Messages that need a real failure to show are checked by name.
		const messages = ['unavailable', 'denied', 'noMicrophone', 'failed', 'tooBig', 'empty', 'full'];
		const keys = [...seen, ...messages.map((name) => `tell.voice.${name}`)];
		for (const lang of ['en', 'cy', 'pl', 'ur'] satisfies MediaLanguage[]) {
			const voice = mediaStrings(lang).tell.voice as Record<string, unknown>;
			for (const key of keys) {
				expect(typeof voice[key.replace('tell.voice.', '')], `${lang} ${key}`).toBe('string');
			}
		}
	});
});
