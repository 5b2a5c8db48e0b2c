import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeServicesOnQuit, QUIT_WAIT_MS } from '../../../main/app/quit';

/** An app that records its quits, and the services it closes. */
function harness() {
  const app = Object.assign(new EventEmitter(), { quits: 0, quit: () => (app.quits += 1) });
  let ended = (): void => undefined;
  const services = {
    closes: 0,
    close: () => (services.closes += 1),
    whenClosed: () =>
      new Promise<void>((resolve) => {
        ended = resolve;
      }),
  };
  closeServicesOnQuit(app as never, () => services);
  const willQuit = () => {
    const event = { prevented: false, preventDefault: () => (event.prevented = true) };
    app.emit('will-quit', event);
    return event;
  };
  return { app, services, willQuit, end: () => ended() };
}

describe('shell: quitting', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds the quit until the services’ threads have ended, then quits once', async () => {
    const h = harness();
    expect(h.willQuit().prevented).toBe(true);
    expect(h.services.closes).toBe(1);
    await Promise.resolve();
    expect(h.app.quits).toBe(0);

    h.end();
    await vi.waitFor(() => expect(h.app.quits).toBe(1));
    // The quit it asked for goes through, and nothing is closed twice.
    expect(h.willQuit().prevented).toBe(false);
    expect(h.services.closes).toBe(1);
  });

  it('quits all the same when a thread has not ended after the wait', async () => {
    vi.useFakeTimers();
    const h = harness();
    h.willQuit();
    await vi.advanceTimersByTimeAsync(QUIT_WAIT_MS - 1);
    expect(h.app.quits).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.app.quits).toBe(1);
  });
});
