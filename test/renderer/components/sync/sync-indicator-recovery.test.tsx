import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../../shared/domain/sync';
import { settle } from '../../../support/render';
import { renderApp, type Mounted } from '../../../support/render-app';

describe('sync indicator: work the service lost', () => {
  let mounted: Mounted | undefined;

  afterEach(() => {
    mounted?.cleanup();
    mounted = undefined;
  });

  /** The app with a service configured (never reached: nobody signs in), showing `recovery`. */
  const showing = async (recovery: SyncStatus['recovery']): Promise<HTMLElement | null> => {
    mounted = await renderApp({ serviceUrl: 'http://127.0.0.1:9' });
    const { store } = mounted;
    await settle(store, (s) => s.sync.status !== null);
    const status = store.getState().sync.status as SyncStatus;
    act(() => {
      store.getState().sync.received({ ...status, recovery });
    });
    return mounted.view.container.querySelector<HTMLElement>('[data-testid="sync-recovery"]');
  };

  it('shows nothing when no loss was ever found', async () => {
    expect(await showing({ state: 'none', resent: 0, unrecoverable: 0, at: null })).toBeNull();
  });

  it('says the work is being sent again while it is', async () => {
    const line = await showing({ state: 'recovering', resent: 0, unrecoverable: 0, at: null });
    expect(line?.getAttribute('data-state')).toBe('recovering');
    expect(line?.textContent).toBe('The service lost work it had confirmed. Sending it again from this workstation…');
  });

  it('says how much was sent again, and how much could not be', async () => {
    const line = await showing({ state: 'recovered', resent: 45, unrecoverable: 2, at: Date.now() });
    expect(line?.getAttribute('role')).toBe('status');
    expect(line?.textContent).toMatch(
      /^The service had lost work it confirmed; 45 item\(s\) were sent again from this workstation \(.+\)\. 2 confirmed item\(s\) the service lost could not be sent again/,
    );
  });
});
