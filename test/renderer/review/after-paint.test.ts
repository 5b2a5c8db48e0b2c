import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterNextPaint } from '../../../renderer/review/after-paint';

describe('afterNextPaint', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('runs the work once, after the next animation frame has been handled', async () => {
    const frames: (() => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
    const work = vi.fn();

    afterNextPaint(work, 10_000);
    await new Promise((r) => setTimeout(r, 5));
    expect(work).not.toHaveBeenCalled();
    frames.forEach((cb) => cb());

    await vi.waitFor(() => expect(work).toHaveBeenCalledTimes(1));
  });

  it('falls back to a timer when no frame comes (a hidden window), and still runs only once', () => {
    vi.useFakeTimers();
    const frames: (() => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
    const work = vi.fn();

    afterNextPaint(work, 100);
    vi.advanceTimersByTime(99);
    expect(work).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(work).toHaveBeenCalledTimes(1);
    frames.forEach((cb) => cb());
    vi.runAllTimers();
    expect(work).toHaveBeenCalledTimes(1);
  });
});
