import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { skewAmount } from '../../../../renderer/components/sync/sync-indicator';
import type { SyncStatus } from '../../../../shared/domain/sync';
import { renderApp, type Mounted } from '../../../support/render-app';

const HOUR_MS = 3_600_000;

describe('sync indicator: service time and key', () => {
  let mounted: Mounted | undefined;
  afterEach(() => {
    mounted?.cleanup();
    mounted = undefined;
  });

  it('says how far the clock is off in minutes, hours or days', () => {
    expect(skewAmount(6 * 60_000, 'en')).toBe('6 minutes');
    expect(skewAmount(-2 * HOUR_MS, 'en')).toBe('2 hours');
    expect(skewAmount(365 * 24 * HOUR_MS, 'en')).toBe('365 days');
    expect(skewAmount(9 * HOUR_MS, 'es')).toBe('9 horas');
  });

  it('reports a skewed clock and a refused service key in the top bar', async () => {
    mounted = await renderApp();
    const { store } = mounted;
    const base = store.getState().sync.status as SyncStatus;
    act(() => {
      store.getState().sync.received({ ...base, configured: true, connection: 'online', clockSkewMs: 9 * HOUR_MS });
    });
    expect(document.querySelector('[data-testid="sync-clock-skew"]')?.textContent).toBe(
      "This computer's clock is 9 hours ahead of the service's. The service's time is used; ask your IT administrator to fix the clock.",
    );
    act(() => {
      store.getState().sync.received({
        ...base,
        configured: true,
        connection: 'offline',
        clockSkewMs: -2 * HOUR_MS,
        serviceKey: { fingerprint: 'ab'.repeat(32), pinned: true, refused: 'cd'.repeat(32) },
      });
    });
    expect(document.querySelector('[data-testid="sync-clock-skew"]')?.textContent).toMatch(/2 hours behind/);
    expect(document.querySelector('[data-testid="sync-key-refused"]')?.getAttribute('role')).toBe('alert');
  });
});
