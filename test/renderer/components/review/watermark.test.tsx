import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Watermark } from '../../../../renderer/components/review/watermark';
import { renderInProviders, type Mounted } from '../../../support/render-app';

describe('Watermark', () => {
  let mounted: Mounted | undefined;

  afterEach(() => {
    mounted?.cleanup();
    mounted = undefined;
    vi.useRealTimers();
  });

  const format = (ms: number): string =>
    new Intl.DateTimeFormat('en', { dateStyle: 'short', timeStyle: 'short' }).format(ms);

  it('shows the reviewer pseudonym and the time, and moves on at each minute boundary', async () => {
    const start = new Date(2025, 0, 15, 9, 30, 40).getTime();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: start });
    mounted = await renderInProviders(<Watermark />);
    const { store } = mounted;
    await act(() => store.getState().session.load());
    const pseudonym = store.getState().session.info?.identity.pseudonym ?? '';
    const mark = (): string => mounted?.view.container.querySelector('[data-testid="watermark"]')?.textContent ?? '';

    expect(mark()).toBe(`${pseudonym} · ${format(start)}`);
    expect(mounted.view.container.querySelector('.watermark')?.getAttribute('aria-hidden')).toBe('true');

    act(() => {
      vi.advanceTimersByTime(19_000);
    });
    expect(mark()).toBe(`${pseudonym} · ${format(start)}`);

    act(() => {
      vi.advanceTimersByTime(1_000);
    });
    expect(mark()).toBe(`${pseudonym} · ${format(new Date(2025, 0, 15, 9, 31).getTime())}`);

    act(() => {
      vi.advanceTimersByTime(60_000);
    });
    expect(mark()).toBe(`${pseudonym} · ${format(new Date(2025, 0, 15, 9, 32).getTime())}`);
  });
});
