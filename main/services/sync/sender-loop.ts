/**
 * Carries out the scheduler (scheduler.ts): feeds it events, runs one cycle at a time while it
 * says `running`, and keeps exactly one timer for the wait its state asks for. The timer handle
 * and the running loop's promise are the only things held here; neither decides anything.
 */
import type { LogContext, Logger } from '../../log/logger';
import type { BackoffOptions } from './backoff';
import {
  advance,
  initialScheduler,
  waitOf,
  type CycleFailure,
  type CycleOutcome,
  type Scheduler,
  type SchedulerEvent,
} from './scheduler';

/** How the sender waits; tests pass timers that record the delay and fire at once. */
export type SyncTimers = {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

/** How one cycle ended: run to its end, or stopped by a failure (with facts for the log). */
export type CycleResult =
  | { readonly kind: 'finished'; readonly outcome: CycleOutcome; readonly deviceApproved: boolean }
  | { readonly kind: 'failed'; readonly failure: CycleFailure; readonly facts?: LogContext };

export type SenderLoopDeps = {
  readonly timers: SyncTimers;
  readonly now: () => number;
  /** In [0, 1): the backoff's jitter. */
  readonly random: () => number;
  readonly backoff: BackoffOptions;
  readonly pollMs: number;
  /** One sync cycle; never rejects for a failure it can name. */
  readonly cycle: () => Promise<CycleResult>;
  /** After each cycle: the status may have moved. */
  readonly changed: () => void;
  readonly logger: Logger;
};

function logFailure(logger: Logger, s: Scheduler, failure: CycleFailure, at: number, facts: LogContext): void {
  if (failure.kind === 'signIn') {
    logger.info('sync: session expired; sign-in required', facts);
  } else if (s.state.kind === 'backingOff') {
    const waitMs = s.state.retryAt - at;
    if (failure.kind === 'rateLimited') {
      logger.info('sync: rate limited', { waitMs });
    } else {
      logger.warn('sync: cycle failed; backing off', { ...facts, waitMs });
    }
  }
}

export function createSenderLoop(d: SenderLoopDeps) {
  let s: Scheduler = initialScheduler;
  let timer: unknown;
  let loop: Promise<void> | undefined;
  // Read through a call: the state moves while a cycle awaits, which narrowing cannot see.
  const disposed = (): boolean => s.state.kind === 'disposed';

  const arm = (ms: number | null): void => {
    if (timer !== undefined) {
      d.timers.clearTimeout(timer);
      timer = undefined;
    }
    if (ms !== null) {
      timer = d.timers.setTimeout(() => {
        timer = undefined;
        dispatch({ type: 'run', force: true });
      }, ms);
    }
  };

  /** One cycle; one that crashed (threw where it names its failures) counts as unreachable. */
  const cycleOnce = async (): Promise<CycleResult> => {
    try {
      return await d.cycle();
    } catch (error) {
      if (!disposed()) {
        d.logger.error('sync: cycle crashed', { error: error instanceof Error ? error.name : 'unknown' });
      }
      return { kind: 'failed', failure: { kind: 'unreachable' } };
    }
  };

  const runLoop = async (): Promise<void> => {
    try {
      // A failed cycle that still leaves the state running (one asked for meanwhile) runs here:
      // only a loop that has ended lets `dispatch` start another.
      while (s.state.kind === 'running') {
        const result = await cycleOnce();
        if (disposed()) {
          return;
        }
        if (result.kind === 'finished') {
          dispatch({ type: 'finished', outcome: result.outcome, deviceApproved: result.deviceApproved });
        } else {
          const at = d.now();
          dispatch({ type: 'failed', failure: result.failure, at, jitter: d.random() });
          logFailure(d.logger, s, result.failure, at, result.facts ?? {});
        }
        d.changed();
      }
    } catch (error) {
      // Not the cycle (that is handled above) but what follows it: telling the window, the clock.
      if (!disposed()) {
        d.logger.error('sync: sender loop failed', { error: error instanceof Error ? error.name : 'unknown' });
        // Leave `running` so the sender is not stuck: back off as after any failure.
        dispatch({ type: 'failed', failure: { kind: 'unreachable' }, at: d.now(), jitter: d.random() });
      }
    } finally {
      loop = undefined;
    }
  };

  /** Applies one event; starts the loop when a cycle is due, and sets the timer the new state asks for. */
  const dispatch = (e: SchedulerEvent): void => {
    const before = s;
    s = advance(s, e, d.backoff);
    if (s === before) {
      return;
    }
    if (s.state.kind === 'running') {
      arm(null);
      // A loop still between two cycles (a status listener asked for one) picks the new run up
      // itself; `loop` is not assigned yet while a new loop's first cycle starts.
      if (before.state.kind !== 'running' && loop === undefined) {
        loop = runLoop();
      }
      return;
    }
    if (s.state.kind === 'disposed') {
      // Nothing is waited for any more; and the clock is not asked, as it may have failed closed.
      arm(null);
      return;
    }
    if (s.state !== before.state || s.polling !== before.polling) {
      // From the moment the event names, when it names one: a wait counted from a second reading
      // of the clock would come out a millisecond or so short of the backoff.
      arm(waitOf(s, 'at' in e ? e.at : d.now(), d.pollMs));
    }
  };

  return {
    dispatch,
    /** The scheduler as it stands. */
    current: (): Scheduler => s,
    /** Starts polling: a first cycle right away, then one per poll interval. */
    start(): void {
      if (s.polling || s.state.kind === 'disposed') {
        return;
      }
      // Not through `dispatch`: the poll timer it would set is replaced by this first cycle's.
      s = advance(s, { type: 'start' }, d.backoff);
      arm(0);
    },
    /** Resolves when the running cycle (and any queued after it) is done. */
    settled: async (): Promise<void> => {
      await loop;
    },
  };
}

export type SenderLoop = ReturnType<typeof createSenderLoop>;
