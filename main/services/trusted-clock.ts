/**
 * Time that cannot be wound back. It never runs behind the latest time it has vouched for
 * (persisted) plus what the monotonic clock has counted since start, so turning the system
 * clock back does not un-expire a batch.
 */
import type { SettingsRepository } from '../db/repositories/settings.repository';

const KEY = 'clock.lastTrusted';

export type ClockSources = {
  readonly wall: () => number;
  readonly monotonic: () => number;
};

const systemSources: ClockSources = { wall: () => Date.now(), monotonic: () => performance.now() };

export function createTrustedClock(settings: SettingsRepository, sources: ClockSources = systemSources) {
  const stored = Number(settings.get(KEY) ?? 0);
  const base = Math.max(sources.wall(), Number.isFinite(stored) ? stored : 0);
  const started = sources.monotonic();
  let saved = stored;
  return {
    /** Milliseconds since the epoch, never earlier than any time this clock returned before. */
    now(): number {
      const t = Math.max(sources.wall(), base + (sources.monotonic() - started));
      // Persist forward progress at most once a minute: enough to survive a restart.
      if (t - saved >= 60_000 || saved === 0) {
        settings.set(KEY, String(Math.floor(t)));
        saved = t;
      }
      return t;
    },
  };
}

export type TrustedClock = ReturnType<typeof createTrustedClock>;
