/**
 * Time that cannot be wound back. It never runs behind the latest time it has vouched for
 * (persisted) plus what the monotonic clock has counted since start, so turning the system
 * clock back does not un-expire a batch.
 *
 * The persisted floor is a sealed monotonic entry (main/db/sealed-state.ts), so it cannot be
 * edited in the database nor restored from an older copy of it. When it was, the clock fails
 * closed: it logs the fault and every `now()` throws the SealedStateError, so nothing that
 * depends on trusted time (opening a clip, saving work, a shift) goes on under a time it cannot
 * vouch for. Resetting it is an administrator's act: re-enrol the workstation.
 *
 * The entry needs the device key, which is refused while the app is locked; the clock then
 * runs on without reading or saving its floor and catches up on a later call.
 */
import { z } from 'zod';
import type { SettingsRepository } from '../db/repositories/settings.repository';
import { SealedStateError, type SealedState } from '../db/sealed-state';
import type { Logger } from '../log/logger';

const ENTRY = 'clock';
const floorSchema = z.number().int().nonnegative();

export type ClockSources = {
  readonly wall: () => number;
  readonly monotonic: () => number;
};

export type TrustedClockDeps = {
  readonly state: SealedState;
  /** Holds the floor older versions kept in plain text, carried over once. */
  readonly settings: SettingsRepository;
  readonly logger: Logger;
};

const systemSources: ClockSources = { wall: () => Date.now(), monotonic: () => performance.now() };

export function createTrustedClock(d: TrustedClockDeps, sources: ClockSources = systemSources) {
  const started = sources.monotonic();
  let base = sources.wall();
  let saved = 0;
  let loaded = false;
  let fault: SealedStateError | undefined;
  let last = base;

  const failClosed = (error: SealedStateError): never => {
    if (!fault) {
      fault = error;
      d.logger.error('clock: the trusted time floor cannot be trusted; trusted time is refused', {
        fault: error.fault,
      });
    }
    throw fault;
  };

  /** Reads the persisted floor once the device key can be had. */
  const load = (): void => {
    let found;
    try {
      found = d.state.read(ENTRY, floorSchema);
    } catch {
      // No device key now (locked, or the key store is away): try again on a later call.
      return;
    }
    if (found.state === 'refused') {
      failClosed(found.error);
    }
    const stored = found.state === 'present' ? found.value : (d.settings.get('clock.lastTrusted') ?? 0);
    base = Math.max(base, stored);
    saved = found.state === 'present' ? found.value : 0;
    loaded = true;
  };

  const persist = (t: number): void => {
    if (d.settings.inTransaction()) {
      // A transaction may still roll back; the floor is saved on a later call outside one.
      return;
    }
    try {
      d.state.advance(ENTRY, floorSchema, t);
    } catch (error) {
      if (error instanceof SealedStateError) {
        failClosed(error);
      }
      // No device key now (locked): the floor is saved on a later call.
      return;
    }
    d.settings.delete('clock.lastTrusted');
    saved = t;
  };

  return {
    /**
     * Milliseconds since the epoch, never earlier than any time this clock returned before.
     * @throws SealedStateError when the persisted floor was altered or rolled back.
     */
    now(): number {
      if (fault) {
        throw fault;
      }
      if (!loaded) {
        load();
      }
      // `last`: a wall clock that jumped ahead and back must not un-expire a batch before a
      // restart either. Whole milliseconds: callers store this in STRICT INTEGER columns.
      const t = Math.floor(Math.max(sources.wall(), base + (sources.monotonic() - started), last));
      last = t;
      // Persist forward progress at most once a minute: enough to survive a restart.
      if (loaded && (t - saved >= 60_000 || saved === 0)) {
        persist(t);
      }
      return t;
    },
  };
}

export type TrustedClock = ReturnType<typeof createTrustedClock>;
