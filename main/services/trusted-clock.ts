/**
 * Time that cannot be wound back by the workstation's own clock.
 *
 * Once the annotation service has said what time it is (a signed answer, verified by the sync
 * client: main/services/sync/service-time.ts), the clock follows service time: the time of the
 * latest signed answer plus what the monotonic clock has counted since. The local wall clock is
 * then not consulted at all, so a local clock set hours or a year ahead neither expires batches
 * nor raises the floor, and one set back un-expires nothing; how far it is off is reported
 * ({@link TrustedClock.skewMs}). The monotonic clock does not count a suspend; the next answer
 * from the service makes up for it.
 *
 * Before any answer in this run, the clock never runs behind the latest time it vouched for
 * (the persisted floor) plus what the monotonic clock has counted since start, and reads the wall
 * clock corrected by the offset to service time last seen, so a local clock that was off then and
 * still is does not raise the floor either.
 *
 * The floor and that offset are one sealed monotonic entry (main/db/sealed-state.ts), so they
 * cannot be edited in the database nor restored from an older copy of it. When they were, or the
 * entry is missing while the workstation holds batches, the clock fails closed: it logs the fault
 * and every `now()` throws the SealedStateError, so nothing that depends on trusted time (opening
 * a clip, saving work, a shift) goes on under a time it cannot vouch for. Resetting it is an
 * administrator's act: re-enrol the workstation.
 *
 * The entry needs the device key; where that is refused (the app locked, with a state that
 * reads no key while locked), the clock runs on without reading or saving its floor and catches
 * up on a later call.
 */
import { z } from 'zod';
import type { SettingsRepository } from '../db/repositories/settings.repository';
import { SealedStateError, type SealedStateAccess } from '../db/sealed-state';
import type { Logger } from '../log/logger';

const ENTRY = 'clock';
const epochMs = z.number().int().nonnegative();
/** The floor, and the service's time minus the wall clock when it was last heard (older versions kept the floor alone). */
const floorSchema = z.union([
  z.strictObject({ floor: epochMs, offsetMs: z.number().int() }),
  epochMs.transform((floor) => ({ floor, offsetMs: 0 })),
]);

/** How far the local clock may be from service time before it is reported, when the policy says nothing. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 300_000;
/** The floor is saved at most this often while it moves forward. */
const SAVE_EVERY_MS = 60_000;
/**
 * A changed offset to service time is saved when it moved by more than this, plus how uncertain
 * the latest reading of it was (half its round trip).
 */
const OFFSET_SAVE_MS = 1_000;

export type ClockSources = {
  readonly wall: () => number;
  readonly monotonic: () => number;
};

export type TrustedClockDeps = {
  readonly state: SealedStateAccess;
  /** Holds the floor older versions kept in plain text, carried over once. */
  readonly settings: SettingsRepository;
  readonly logger: Logger;
  /** Whether the workstation holds any batch: a floor that is missing then was deleted. */
  readonly holdsBatches?: () => boolean;
  /** How far the local clock may be from service time before {@link TrustedClock.skewMs} reports it. */
  readonly maxSkewMs?: number;
};

const systemSources: ClockSources = { wall: () => Date.now(), monotonic: () => performance.now() };

export function createTrustedClock(d: TrustedClockDeps, sources: ClockSources = systemSources) {
  const started = sources.monotonic();
  const maxSkewMs = d.maxSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  let base = sources.wall();
  let offsetMs = 0;
  let saved = { floor: 0, offsetMs: 0 };
  let loaded = false;
  let fault: SealedStateError | undefined;
  let last = 0;
  /** The latest signed service time and the monotonic reading it stands for; undefined before any. */
  let service: { readonly at: number; readonly mark: number } | undefined;
  /**
   * How far that reading may be off: half the time from the request leaving to its answer being
   * read. An event loop held up while a request was out (a thousand saves in a row) makes it
   * seconds, and an offset that moves by no more than this has not been seen to move.
   */
  let uncertaintyMs = 0;

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
    const legacy = d.settings.get('clock.lastTrusted');
    if (found.state === 'absent' && legacy === undefined && d.holdsBatches?.() === true) {
      // Batches are never imported without the floor being saved first (imports read the clock
      // outside their transaction): a floor missing beside them was deleted, with its anchor.
      failClosed(new SealedStateError('rolledBack', ENTRY, 'its row is gone while the workstation holds batches.'));
    }
    const stored = found.state === 'present' ? found.value : { floor: legacy ?? 0, offsetMs: 0 };
    if (!service) {
      // An offset heard in this run is newer than the one saved.
      offsetMs = stored.offsetMs;
      base = Math.max(base + offsetMs, stored.floor);
    }
    saved = found.state === 'present' ? found.value : { floor: 0, offsetMs: 0 };
    loaded = true;
  };

  const persist = (floor: number): void => {
    if (d.settings.inTransaction()) {
      // A transaction may still roll back; the floor is saved on a later call outside one.
      return;
    }
    const next = { floor, offsetMs };
    try {
      d.state.advance(ENTRY, floorSchema, next);
    } catch (error) {
      if (error instanceof SealedStateError) {
        failClosed(error);
      }
      // No device key now (locked): the floor is saved on a later call.
      return;
    }
    d.settings.delete('clock.lastTrusted');
    saved = next;
  };

  /** Service time now, when the service has been heard in this run. */
  const serviceNow = (): number | undefined =>
    service ? service.at + (sources.monotonic() - service.mark) : undefined;

  const due = (t: number): boolean =>
    saved.floor === 0 ||
    t - saved.floor >= SAVE_EVERY_MS ||
    // Service time below the floor: the floor follows it down (a local clock that was ahead raised it).
    t < saved.floor ||
    Math.abs(offsetMs - saved.offsetMs) > OFFSET_SAVE_MS + uncertaintyMs;

  /**
   * Milliseconds since the epoch: service time when the service has been heard in this run,
   * else never earlier than any time this clock returned before.
   * @throws SealedStateError when the persisted floor was altered, rolled back or deleted.
   */
  const now = (): number => {
    if (fault) {
      throw fault;
    }
    if (!loaded) {
      load();
    }
    const byService = serviceNow();
    // `last`: a wall clock that jumped ahead and back must not un-expire a batch before a
    // restart either. Whole milliseconds: callers store this in STRICT INTEGER columns.
    const t = Math.floor(
      byService !== undefined
        ? Math.max(byService, last)
        : Math.max(sources.wall() + offsetMs, base + (sources.monotonic() - started), last),
    );
    last = t;
    if (loaded && due(t)) {
      persist(t);
    }
    return t;
  };

  return {
    now,

    /**
     * Saves the floor now, whatever its schedule. An erase calls it: the saved entry moves past
     * what any copy of the database taken before the erase holds, so such a copy put back reads
     * as rolled back and opens nothing of what was erased. Never throws: a clock that cannot
     * vouch for its time already refuses every use.
     */
    saveFloor(): void {
      try {
        const t = now();
        if (loaded && !fault) {
          persist(t);
        }
      } catch {
        // The fault is kept and logged by failClosed; no device key (locked) saves it later.
      }
    },

    /** A monotonic reading, taken as a request to the service leaves (for {@link observeServiceTime}). */
    mark(): number {
      return sources.monotonic();
    },

    /**
     * The service's signed time `at`, verified by the caller, from an answer to a request sent at
     * `sentMark` ({@link mark}): taken as the service's time halfway through the exchange. From
     * now on this run follows service time, even where that is earlier than the floor.
     */
    observeServiceTime(at: number, sentMark: number): void {
      const mark = sources.monotonic();
      const first = !service;
      uncertaintyMs = (mark - Math.min(sentMark, mark)) / 2;
      service = { at, mark: mark - uncertaintyMs };
      const current = serviceNow() ?? at;
      offsetMs = Math.round(current - sources.wall());
      if (first) {
        // Times this run gave before it heard the service came from the local clock.
        last = 0;
      }
      if (!fault && loaded) {
        const t = Math.floor(Math.max(current, last));
        if (due(t)) {
          persist(t);
        }
      }
    },

    /**
     * How far the local wall clock is from service time (positive: ahead), when that is more than
     * the allowed skew; null when it is within it or the service has not been heard in this run.
     */
    skewMs(): number | null {
      const byService = serviceNow();
      if (byService === undefined) {
        return null;
      }
      const skew = Math.round(sources.wall() - byService);
      return Math.abs(skew) > maxSkewMs ? skew : null;
    },

    /** True once the service's time has been heard in this run. */
    followsService(): boolean {
      return service !== undefined;
    },
  };
}

export type TrustedClock = ReturnType<typeof createTrustedClock>;
