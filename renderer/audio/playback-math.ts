/**
 * Pure playback arithmetic, kept apart from Howler so it can be tested without audio.
 * Rates are stepped in whole tenths: 0.1 cannot be added in binary floating point without
 * drifting (0.7 + 0.1 = 0.7999…), and the reviewer must see and get exactly 0.8×.
 */
import { PLAYBACK_RATE } from '../../shared/settings/settings';

export const MIN_RATE: number = PLAYBACK_RATE.min;
export const MAX_RATE: number = PLAYBACK_RATE.max;
export const RATE_STEP: number = PLAYBACK_RATE.step;

export const SHORT_SKIP_MS = 1_000;
export const LONG_SKIP_MS = 3_000;

const toTenths = (rate: number): number => Math.round(rate * 10);

/** Clamps any rate into [0.5, 2.0] and rounds it to the nearest tenth. */
export function clampRate(rate: number): number {
  if (!Number.isFinite(rate)) {
    return 1;
  }
  const tenths = Math.min(toTenths(MAX_RATE), Math.max(toTenths(MIN_RATE), toTenths(rate)));
  return tenths / 10;
}

/** One 0.1 step slower (`-1`) or faster (`+1`), held at the ends of the range. */
export function stepRate(rate: number, direction: -1 | 1): number {
  return clampRate((toTenths(clampRate(rate)) + direction) / 10);
}

/** Keeps a position inside the clip. */
export function clampPosition(positionMs: number, durationMs: number): number {
  return Math.min(Math.max(0, durationMs), Math.max(0, positionMs));
}

/** Where a skip by `deltaMs` (negative for back) lands. */
export function skipTarget(positionMs: number, deltaMs: number, durationMs: number): number {
  return clampPosition(positionMs + deltaMs, durationMs);
}

/**
 * Where playback resumes after a pause: a little earlier, so the reviewer hears the word that
 * was cut off again. Never before the start.
 */
export function resumePosition(pausedAtMs: number, backstepMs: number): number {
  return Math.max(0, pausedAtMs - Math.max(0, backstepMs));
}

/** `m:ss.d`, for the position readout. */
export function formatClock(ms: number): string {
  const tenths = Math.floor(Math.max(0, ms) / 100);
  const minutes = Math.floor(tenths / 600);
  const seconds = Math.floor((tenths % 600) / 10);
  return `${minutes}:${String(seconds).padStart(2, '0')}.${tenths % 10}`;
}
