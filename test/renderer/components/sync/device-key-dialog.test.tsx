import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { groupFingerprint } from '../../../../renderer/components/sync/device-key-dialog';
import type { SyncStatus } from '../../../../shared/domain/sync';
import { click, pressKey } from '../../../support/render';
import { renderApp, type Mounted } from '../../../support/render-app';

describe('device key dialog', () => {
  let mounted: Mounted | undefined;

  afterEach(() => {
    mounted?.cleanup();
    mounted = undefined;
  });

  const dialog = (): HTMLElement | null => document.querySelector<HTMLElement>('[role="dialog"].device-key');
  const fingerprint = (): string => dialog()?.querySelector('[data-testid="device-fingerprint"]')?.textContent ?? '';
  /** Lets main answer and React render, until `check` passes. */
  const until = (check: () => void) =>
    vi.waitFor(async () => {
      await act(() => new Promise((resolve) => setTimeout(resolve, 5)));
      check();
    });
  const loaded = () =>
    until(() => {
      expect(fingerprint()).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){15}$/);
    });

  it('groups a fingerprint in blocks of four', () => {
    expect(groupFingerprint('0123456789abcdef01')).toBe('0123 4567 89ab cdef 01');
  });

  it('opens from the batch list by key, shows the fingerprint and the state, and closes on Esc', async () => {
    mounted = await renderApp();
    const { main, store } = mounted;
    pressKey(document.body, { code: 'KeyK', key: 'K', ctrlKey: true, shiftKey: true });
    expect(dialog()).not.toBeNull();
    await loaded();

    const info = main.services.device.info();
    expect(fingerprint().replaceAll(' ', '')).toBe(info.fingerprint);
    expect(dialog()?.textContent).toContain(info.keyId);
    expect(dialog()?.querySelector('[data-state]')?.textContent).toBe('Not enrolled');
    expect(dialog()?.textContent).not.toContain('PRIVATE');

    const status = store.getState().sync.status;
    act(() => {
      store.getState().sync.received({ ...(status as SyncStatus), deviceState: 'pending' });
    });
    expect(dialog()?.querySelector('[data-state="pending"]')?.textContent).toBe(
      "Pending: waiting for an operator's approval",
    );

    // The service's key, once there is one, with where it came from.
    expect(dialog()?.querySelector('[data-testid="service-key-fingerprint"]')).toBeNull();
    act(() => {
      store.getState().sync.received({
        ...(status as SyncStatus),
        serviceKey: { fingerprint: 'ab'.repeat(32), pinned: false, refused: null },
      });
    });
    expect(dialog()?.querySelector('[data-testid="service-key-fingerprint"]')?.textContent).toBe(
      groupFingerprint('ab'.repeat(32)),
    );
    expect(dialog()?.textContent).toContain("Taken at the first sign-in; compare it with your administrator's");

    pressKey(document.activeElement ?? document.body, { code: 'Escape', key: 'Escape' });
    expect(dialog()).toBeNull();
    expect(store.getState().ui.deviceKeyOpen).toBe(false);
  });

  it('opens from the batch list button, which names its keys, and says why saving is not possible here', async () => {
    mounted = await renderApp();
    const button = [...mounted.view.container.querySelectorAll('.batches-head button')].find((b) =>
      b.textContent.startsWith('Workstation key…'),
    );
    expect(button?.getAttribute('aria-keyshortcuts')).toBe('Ctrl+Shift+K');
    click(button);
    await loaded();
    // The in-process harness has no native file chooser: the refusal is shown, nothing is saved.
    click(dialog()?.querySelector('.dialog-actions button'));
    await until(() => {
      expect(dialog()?.querySelector('[role="status"]')?.textContent).toMatch(/^Could not read or save the key: /);
    });
  });

  it('is listed in the help under its own command', async () => {
    mounted = await renderApp();
    pressKey(document.body, { code: 'F1', key: 'F1' });
    const row = document.querySelector('[data-command="device.key"]');
    expect(row?.textContent).toBe("Show this workstation's keyCtrl+Shift+K");
  });
});
