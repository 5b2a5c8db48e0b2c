import { describe, expect, it } from 'vitest';
import { createSubmitRetry, isTransientStorageError, RETRY_DELAYS_MS } from '../../../renderer/review/submit-retry';

/** Timers that record each wait and run it only when the test says so. */
function manualTimers() {
  const waits: { ms: number; run: () => void; cleared: boolean }[] = [];
  return {
    waits,
    setTimeout: (run: () => void, ms: number) => waits.push({ ms, run, cleared: false }) - 1,
    clearTimeout: (handle: unknown) => {
      const w = waits[handle as number];
      if (w) {
        w.cleared = true;
      }
    },
    /** Runs the newest wait and lets its attempt settle. */
    async fire(): Promise<void> {
      waits.at(-1)?.run();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('submit retry', () => {
  it('retries only causes that can pass: a full disk and an I/O error', () => {
    expect(isTransientStorageError({ code: 'STORAGE_FULL', message: '' })).toBe(true);
    expect(isTransientStorageError({ code: 'STORAGE_IO', message: '' })).toBe(true);
    expect(isTransientStorageError({ code: 'STORAGE_READONLY', message: '' })).toBe(false);
    expect(isTransientStorageError({ code: 'STORAGE_CORRUPT', message: '' })).toBe(false);
    expect(isTransientStorageError({ code: 'CONFLICT', message: '' })).toBe(false);
  });

  it('waits longer after each failed try, up to a minute, and starts over once it is done', async () => {
    const timers = manualTimers();
    const retry = createSubmitRetry(timers);
    let outcome: 'again' | 'done' = 'again';
    let tries = 0;
    const attempt = () => {
      tries += 1;
      return Promise.resolve(outcome);
    };
    retry.schedule(attempt);
    for (let i = 0; i < 7; i += 1) {
      await timers.fire();
    }
    expect(tries).toBe(7);
    expect(timers.waits.map((w) => w.ms)).toEqual([...RETRY_DELAYS_MS, 60_000, 60_000]);

    outcome = 'done';
    await timers.fire();
    expect(retry.pending()).toBe(false);
    retry.schedule(attempt);
    expect(timers.waits.at(-1)?.ms).toBe(RETRY_DELAYS_MS[0]);
  });

  it('drops a waiting retry when cancelled', () => {
    const timers = manualTimers();
    const retry = createSubmitRetry(timers);
    retry.schedule(() => Promise.resolve('again'));
    retry.cancel();
    expect(retry.pending()).toBe(false);
    expect(timers.waits.map((w) => w.cleared)).toEqual([true]);
  });
});
