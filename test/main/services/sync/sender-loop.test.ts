import { describe, expect, it } from 'vitest';
import { createSenderLoop, type CycleResult } from '../../../../main/services/sync/sender-loop';
import { silentLogger } from '../../../../main/log/logger';
import { recordingTimers, TEST_POLL_MS } from '../../../support/sync-driver';

const BASE_MS = 1_000;

/** A loop on a clock at 0, with no jitter and the default backoff, running `cycle`. */
const loopOf = (cycle: () => Promise<CycleResult>, changed: () => unknown = () => undefined) =>
  createSenderLoop({
    timers: recordingTimers(),
    now: () => 0,
    random: () => 0,
    backoff: {},
    pollMs: TEST_POLL_MS,
    logger: silentLogger,
    changed,
    cycle,
  });

/**
 * A service that takes `uploads` requests, failing every `every`-th one (counted from the first),
 * as the reference service's fault switch does, and a loop that drains it.
 */
function drainAgainst(uploads: number, every: number) {
  const timers = recordingTimers();
  let sent = 0;
  let tries = 0;
  let failures = 0;
  let finish: () => void = () => undefined;
  const drained = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const loop = createSenderLoop({
    timers,
    now: () => 0,
    random: () => 0.99,
    backoff: { baseMs: BASE_MS },
    pollMs: TEST_POLL_MS,
    logger: silentLogger,
    changed: () => undefined,
    cycle: (): Promise<CycleResult> => {
      while (sent < uploads) {
        tries += 1;
        if (tries % every === 1 % every) {
          failures += 1;
          return Promise.resolve({ kind: 'failed', failure: { kind: 'unreachable' } });
        }
        sent += 1;
        loop.dispatch({ type: 'answered' });
      }
      finish();
      return Promise.resolve({ kind: 'finished', outcome: { kind: 'done' }, deviceApproved: true });
    },
  });
  return { timers, loop, drained, failures: () => failures };
}

describe('sender loop', () => {
  it('waits within the base range after each failure that follows a success', async () => {
    const run = drainAgainst(50, 5);
    run.loop.start();
    await run.drained;
    const waits = run.timers.delays.filter((d) => d > 0 && d < TEST_POLL_MS);
    expect(waits).toHaveLength(run.failures());
    expect(Math.max(...waits)).toBeLessThanOrEqual(BASE_MS);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(run.failures() * BASE_MS);
  });

  it('doubles the wait only while requests fail in a row', async () => {
    const run = drainAgainst(1, 1);
    run.loop.start();
    // Every request fails: the waits grow until the test stops the sender.
    while (run.timers.delays.filter((d) => d > 0).length < 4) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    run.loop.dispatch({ type: 'stop' });
    await run.loop.settled();
    expect(run.timers.delays.filter((d) => d > 0).slice(0, 4)).toEqual([995, 1_990, 3_980, 7_960]);
  });

  it('polls once a cycle succeeds and sets no timer once disposed', async () => {
    const run = drainAgainst(3, 100);
    run.loop.start();
    await run.drained;
    await run.loop.settled();
    expect(run.loop.current().state).toEqual({ kind: 'idle' });
    expect(run.timers.delays.at(-1)).toBe(TEST_POLL_MS);
    run.loop.dispatch({ type: 'dispose' });
    const before = run.timers.delays.length;
    run.loop.dispatch({ type: 'run', force: true });
    expect([run.loop.current().state.kind, run.timers.delays.length]).toEqual(['disposed', before]);
  });

  it('disposes without asking a clock that failed closed', () => {
    let asked = 0;
    const loop = createSenderLoop({
      timers: recordingTimers(),
      now: () => {
        asked += 1;
        throw new Error('the trusted clock failed closed');
      },
      random: () => 0,
      backoff: {},
      pollMs: TEST_POLL_MS,
      logger: silentLogger,
      changed: () => undefined,
      cycle: () => Promise.resolve({ kind: 'failed', failure: { kind: 'unreachable' } }),
    });
    expect(() => loop.dispatch({ type: 'dispose' })).not.toThrow();
    expect([loop.current().state.kind, asked]).toEqual(['disposed', 0]);
  });

  it('runs the cycle asked for during one that crashed, then backs off, never stuck in running', async () => {
    let cycles = 0;
    const loop = loopOf(async () => {
      cycles += 1;
      if (cycles === 1) {
        // "Sync now" while the first cycle runs, once it had the batch status; then it crashes.
        loop.dispatch({ type: 'reached', stage: 'checked' });
        loop.dispatch({ type: 'run', force: true });
        await Promise.resolve();
        throw new Error('a bug in a step');
      }
      return { kind: 'failed', failure: { kind: 'unreachable' } };
    });
    loop.dispatch({ type: 'run', force: true });
    await loop.settled();
    expect(cycles).toBe(2);
    expect(loop.current().state.kind).toBe('backingOff');
  });

  it('runs a recovery cycle at once when a cycle reports the service behind', async () => {
    const outcomes: CycleResult[] = [
      { kind: 'finished', outcome: { kind: 'serviceBehind', missing: 2 }, deviceApproved: true },
      { kind: 'finished', outcome: { kind: 'done' }, deviceApproved: true },
    ];
    const seen: string[] = [];
    const loop = loopOf(
      () => Promise.resolve(outcomes.shift() ?? { kind: 'failed', failure: { kind: 'unreachable' } }),
      () => seen.push(loop.current().state.kind),
    );
    loop.dispatch({ type: 'run', force: true });
    expect(loop.current().state).toEqual({ kind: 'running', again: 'no', recovering: null, stage: 'starting' });
    await loop.settled();
    expect(seen).toEqual(['running', 'idle']);
    expect(outcomes).toEqual([]);
  });
});
