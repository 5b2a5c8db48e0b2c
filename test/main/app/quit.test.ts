import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeServicesOnQuit, QUIT_WAIT_MS } from '../../../main/app/quit';

/** An app that records its quits, services that record what was asked of them, and a log. */
function harness(o: { closeThrows?: boolean } = {}) {
  const app = Object.assign(new EventEmitter(), { quits: 0, quit: () => (app.quits += 1) });
  const calls: string[] = [];
  const errors: string[] = [];
  let ended = (): void => undefined;
  const services = {
    endWorkers: () => {
      calls.push('endWorkers');
      return new Promise<void>((resolve) => {
        ended = resolve;
      });
    },
    close: () => {
      calls.push('close');
      if (o.closeThrows) {
        throw new Error('the database would not close');
      }
    },
  };
  closeServicesOnQuit(app as never, () => services, { error: (message: string) => errors.push(message) });
  const willQuit = () => {
    const event = { prevented: false, preventDefault: () => (event.prevented = true) };
    app.emit('will-quit', event);
    return event;
  };
  return { app, calls, errors, willQuit, end: () => ended() };
}

describe('shell: quitting', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds the quit until the import workers have ended, then closes the services and quits once', async () => {
    const h = harness();
    expect(h.willQuit().prevented).toBe(true);
    await Promise.resolve();
    // Nothing closed yet: whatever ends during the wait still has its database.
    expect(h.calls).toEqual(['endWorkers']);
    expect(h.app.quits).toBe(0);

    h.end();
    await vi.waitFor(() => expect(h.app.quits).toBe(1));
    expect(h.calls).toEqual(['endWorkers', 'close']);
    // The quit it asked for goes through, and nothing is closed twice.
    expect(h.willQuit().prevented).toBe(false);
    expect(h.calls).toEqual(['endWorkers', 'close']);
    expect(h.errors).toEqual([]);
  });

  it('asks for the quit from a later turn, never from inside the handler it held back', async () => {
    vi.useFakeTimers();
    const h = harness();
    h.willQuit();
    h.end();
    // Every promise settled, but the quit waits for a timer: Electron ignores one asked while it
    // is still handling the quit this handler held back.
    for (let i = 0; i < 1_000 && !h.calls.includes('close'); i += 1) {
      await Promise.resolve();
    }
    for (let i = 0; i < 20; i += 1) {
      await Promise.resolve();
    }
    expect(h.calls).toEqual(['endWorkers', 'close']);
    expect(h.app.quits).toBe(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.app.quits).toBe(1);
  });

  it('closes and quits all the same when a worker has not ended after the wait', async () => {
    vi.useFakeTimers();
    const h = harness();
    h.willQuit();
    await vi.advanceTimersByTimeAsync(QUIT_WAIT_MS - 1);
    expect(h.calls).toEqual(['endWorkers']);
    expect(h.app.quits).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.calls).toEqual(['endWorkers', 'close']);
    await vi.waitFor(() => expect(h.app.quits).toBe(1));
  });

  it('holds a second quit asked while closing, so the services still close before the app goes', async () => {
    const h = harness();
    h.willQuit();
    await Promise.resolve();
    expect(h.willQuit().prevented).toBe(true);
    expect(h.calls).toEqual(['endWorkers']);

    h.end();
    await vi.waitFor(() => expect(h.app.quits).toBe(1));
    expect(h.calls).toEqual(['endWorkers', 'close']);
    expect(h.willQuit().prevented).toBe(false);
  });

  it('quits, and logs why, when closing the services throws', async () => {
    const h = harness({ closeThrows: true });
    h.willQuit();
    h.end();
    await vi.waitFor(() => expect(h.app.quits).toBe(1));
    expect(h.errors).toEqual(['app: closing the services failed']);
  });
});
