import type { OpenedClip } from '../../shared/domain/clip';

/** One playable clip. The audio service drives it; the Howler adapter implements it. */
export type Sound = {
  play(): void;
  pause(): void;
  seek(positionMs: number): void;
  positionMs(): number;
  /** 0 until the media has loaded. */
  durationMs(): number;
  setRate(rate: number): void;
  unload(): void;
};

export type SoundHandlers = {
  ended(): void;
  failed(message: string): void;
};

export type SoundFactory = (url: string, codec: OpenedClip['codec'], handlers: SoundHandlers) => Sound;

const MIME: Readonly<Record<OpenedClip['codec'], string>> = {
  opus: 'audio/ogg; codecs=opus',
  wav: 'audio/wav',
  flac: 'audio/flac',
};

/** The Blob type for a codec, so the media element needs no sniffing. */
export function mimeOf(codec: OpenedClip['codec']): string {
  return MIME[codec];
}
