/**
 * Time that cannot be wound back. It never runs behind the latest time it has vouched for
 * (persisted) plus what the monotonic clock has counted since start, so turning the system
 * clock back does not un-expire a batch.
 */
import type { SettingsRepository } from '../db/repositories/settings.repository';

export type ClockSources = {
  readonly wall: () => number;
  readonly monotonic: () => number;
};

const systemSources: ClockSources = { wall: () => Date.now(), monotonic: () => performance.now() };

export function createTrustedClock(settings: SettingsRepository, sources: ClockSources = systemSources) {
  const stored = settings.get('clock.lastTrusted') ?? 0;
  const base = Math.max(sources.wall(), stored);
  const started = sources.monotonic();
  let saved = stored;
  let last = base;
  return {
    /** Milliseconds since the epoch, never earlier than any time this clock returned before. */
    now(): number {
      // `last`: a wall clock that jumped ahead and back must not un-expire a batch before a
      // restart either. Whole milliseconds: callers store this in STRICT INTEGER columns.
      const t = Math.floor(Math.max(sources.wall(), base + (sources.monotonic() - started), last));
      last = t;
      // Persist forward progress at most once a minute: enough to survive a restart.
      if (t - saved >= 60_000 || saved === 0) {
        settings.set('clock.lastTrusted', Math.floor(t));
        saved = t;
      }
      return t;
    },
  };
}

export type TrustedClock = ReturnType<typeof createTrustedClock>;
