/**
 * What the review flow needs from audio, as an interface: the app uses the Howler-backed
 * service, tests a small in-memory one. The store never holds any of this, only the
 * serializable facts the events report.
 */
import type { OpenedClip } from '../../shared/domain/clip';
import type { ClipRef } from '../../shared/ipc/contract';
import type { Result } from '../../shared/result';

/** A clip as the review screen sees it: everything but its audio bytes. */
export type ClipInfo = Omit<OpenedClip, 'audio'>;

/** What the audio service reports; position at most ten times a second. */
export type AudioEvents = {
  playing(playing: boolean): void;
  position(positionMs: number): void;
  /** The selected clip has now been heard in full (reported once per clip). */
  heardInFull(clipId: string): void;
  /** Waveform peaks of a clip, 0–1, once decoded. */
  peaks(clipId: string, peaks: readonly number[]): void;
  /** The selected clip could not be loaded or played. */
  failed(clipId: string, message: string): void;
};

export type AudioService = {
  /** Opens a clip (from the cache when prefetched) and keeps it until it leaves the window. */
  open(ref: ClipRef): Promise<Result<ClipInfo>>;
  /** The clip at once when it is already opened and loaded (as `open` would give it); else null. */
  openNow(ref: ClipRef): ClipInfo | null;
  /**
   * Keeps exactly these clips (besides the selected one) opened and loaded, fetching missing
   * ones in the background, and releases every other clip.
   */
  prefetch(refs: readonly ClipRef[]): void;
  /** Makes an opened clip the one the controls act on, from its start; null selects none. */
  select(clipId: string | null): void;
  play(): void;
  pause(): void;
  toggle(): void;
  /** Plays the selected clip again from the start. */
  replay(): void;
  /** Moves the playhead by `deltaMs` (negative: back), within the clip. */
  skip(deltaMs: number): void;
  setRate(rate: number): void;
  /** How far playback backs up when it resumes after a pause; 0 = not at all. */
  setAutoBackstep(ms: number): void;
  heardInFull(clipId: string): boolean;
  peaks(clipId: string): readonly number[] | null;
  listen(events: AudioEvents): () => void;
  /** Stops playback and releases every clip. The service stays usable. */
  clear(): void;
};
