/**
 * The hand-over in the sync panel against the real workstation services and a reference
 * service: reached and confirmed from the keyboard, cancelled with Esc, and its result (or why it
 * did not happen) said in words.
 */
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp, type Mounted } from '../../../support/render-app';
import { click, pressKey, settle } from '../../../support/render';
import { startTestService, type TestService } from '../../../support/reference-service';

const BATCH = 'b-AAAAAAAAAAAA0001';

describe('sync panel: hand a batch over', () => {
  let mounted: Mounted | undefined;
  let svc: TestService | undefined;

  afterEach(async () => {
    mounted?.cleanup();
    mounted = undefined;
    await svc?.stop();
    svc = undefined;
  });

  const $ = (selector: string): HTMLElement | null =>
    mounted?.view.container.querySelector<HTMLElement>(selector) ?? null;
  const button = (text: string): HTMLButtonElement | undefined =>
    [...(mounted?.view.container.querySelectorAll('button') ?? [])].find((b) => b.textContent === text);

  /** Waits (inside act) until the hand-over has said how it ended. */
  const outcome = async (): Promise<void> => {
    const ended = (): boolean =>
      ['done', 'failed'].includes($('[data-testid="sync-hand-over-result"]')?.getAttribute('data-outcome') ?? '');
    for (let i = 0; i < 500 && !ended(); i += 1) {
      await act(() => new Promise((resolve) => setTimeout(resolve, 10)));
    }
  };

  /** Signed in, with the service's batch checked out here. */
  const start = async (): Promise<{ m: Mounted; service: TestService }> => {
    const service = await startTestService();
    svc = service;
    await service.addBatch(BATCH, 2);
    const m = await renderApp({ serviceUrl: service.url });
    mounted = m;
    await act(() => m.store.getState().sync.signIn(service.credentials()));
    await settle(m.store, (s) => s.batches.items.some((b) => b.id === BATCH && b.status === 'active'));
    return { m, service };
  };

  it('asks first, takes Esc as no, then hands the batch over and says so', async () => {
    const { m, service } = await start();
    const panel = $('[data-testid="sync-hand-over"]');
    expect(panel?.querySelector('h3')?.textContent).toBe('Hand a batch over');
    expect(panel?.querySelector('select')?.value).toBe(BATCH);

    const startButton = button('Hand over…');
    click(startButton);
    const confirm = $('[data-testid="sync-hand-over-confirm"]');
    expect(confirm?.getAttribute('role')).toBe('alertdialog');
    expect(confirm?.textContent).toContain(`Hand batch ${BATCH} over to another of your workstations?`);
    // The confirmation takes the focus, so Enter or Space answers it from the keyboard.
    expect(document.activeElement).toBe(button('Hand over'));
    pressKey(document.activeElement ?? document.body, { key: 'Escape' });
    expect($('[data-testid="sync-hand-over-confirm"]')).toBeNull();
    expect(document.activeElement).toBe(startButton);
    expect(service.requests.filter((l) => l.includes('/release'))).toEqual([]);

    click(button('Hand over…'));
    click(button('Hand over'));
    await settle(m.store, (s) => !s.batches.items.some((b) => b.id === BATCH && b.status === 'active'));
    await outcome();
    const result = $('[data-testid="sync-hand-over-result"]');
    expect(result?.getAttribute('data-outcome')).toBe('done');
    expect(result?.textContent).toBe(
      `Batch ${BATCH} was handed over: your work on it is with the service, and another of your workstations can check it out now.`,
    );
    expect(service.requests.filter((l) => l.includes(`/v1/batches/${BATCH}/release`))).toEqual([
      `POST /v1/batches/${BATCH}/release 200`,
    ]);
  });

  it('says the batch stayed here when the service cannot be reached', async () => {
    const { m, service } = await start();
    await service.stop();
    svc = undefined;
    click(button('Hand over…'));
    click(button('Hand over'));
    await settle(m.store, (s) => s.sync.status?.connection === 'offline');
    await outcome();
    const result = $('[data-testid="sync-hand-over-result"]');
    expect(result?.getAttribute('role')).toBe('alert');
    expect(result?.textContent).toBe(
      `Batch ${BATCH} was not handed over: the annotation service could not be reached. Nothing was removed; try again when you are online.`,
    );
    expect(m.store.getState().batches.items.find((b) => b.id === BATCH)?.status).toBe('active');
  });
});
