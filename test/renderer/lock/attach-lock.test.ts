import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachLock } from '../../../renderer/lock/attach-lock';
import { createAppStore, type AppStore } from '../../../renderer/store';
import { untilState } from '../../support/render';
import { createInProcessApi, type InProcessApi } from '../../support/in-process-api';

describe('attachLock', () => {
  let main: InProcessApi | undefined;
  let stop: (() => void) | undefined;

  afterEach(() => {
    stop?.();
    main?.cleanup();
    vi.useRealTimers();
  });

  const setUp = async (clips = { close: vi.fn(), openBatch: vi.fn(() => Promise.resolve()) }) => {
    main = createInProcessApi();
    const store: AppStore = createAppStore(main.api);
    await store.getState().settings.load();
    const target = new EventTarget();
    stop = attachLock({ api: main.api, store, clips, target });
    await untilState(store, (s) => s.lock.state !== null);
    return { store, target, clips, services: main.services };
  };

  it('locks after the idle minutes of the settings, and input puts the lock off', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { store, target } = await setUp();
    const idle = store.getState().settings.values.idleLockMinutes * 60_000;
    vi.advanceTimersByTime(idle - 1_000);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(idle - 1_000);
    expect(store.getState().lock.state?.locked).toBe(false);
    vi.advanceTimersByTime(2_000);
    await untilState(store, (s) => s.lock.state?.locked === true);
    expect(store.getState().lock.state?.reason).toBe('idle');
  });

  it('closes the open batch when main locks (OS lock) and reopens it on unlock', async () => {
    const { store, clips, services } = await setUp();
    store.setState((s) => ({ review: { ...s.review, batchId: 'b-AAAAAAAAAAAA0PEN' } }));
    services.lock.lock('os_lock');
    await untilState(store, (s) => s.lock.state?.locked === true);
    expect(clips.close).toHaveBeenCalledTimes(1);
    expect(store.getState().lock.resume).toBe('b-AAAAAAAAAAAA0PEN');
    await store.getState().lock.unlock('anything');
    await untilState(store, (s) => s.lock.state?.locked === false);
    expect(clips.openBatch).toHaveBeenCalledWith('b-AAAAAAAAAAAA0PEN');
  });
});
