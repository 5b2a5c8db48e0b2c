import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HeldClip, ListenQueueItem } from '../../../../shared/domain/hearing';
import type { ReviewerApi } from '../../../../shared/ipc/contract';
import { err, ok } from '../../../../shared/result';
import { click, pressKey, settle } from '../../../support/render';
import { signInVouched } from '../../../support/signed-identity';
import { mountReviewApp, typeInto, type MountedReview } from '../review/mount-review';

const takenElsewhere = '00000000-0000-4000-8000-000000000001';
const free = '00000000-0000-4000-8000-000000000002';

const item = (requestId: string, requester: string, clipId: string): ListenQueueItem => ({
  requestId,
  requester,
  batchId: 'b-AAAAAAAAAAAA0001',
  clipId,
  window: { startMs: 1_000, endMs: 2_500 },
  state: 'open',
  takenByMe: false,
  createdAt: Date.now() - 5 * 60_000,
  expiresAt: Date.now() + 60 * 60_000,
  proposal: null,
});

/** The service's side of the queue, standing in for main's hearing calls. */
function fakeHearing() {
  let queue = [item(takenElsewhere, 'rv-a', 'c-AAAAAAAAAAAA0001'), item(free, 'rv-b', 'c-AAAAAAAAAAAA0002')];
  const held: HeldClip = {
    holdId: free,
    kind: 'second_listen',
    clipId: 'c-AAAAAAAAAAAA0002',
    durationMs: 5_000,
    expiresAt: Date.now() + 30 * 60_000,
    window: { startMs: 1_000, endMs: 2_500 },
  };
  const take = vi.fn(({ requestId }: { readonly requestId: string }) => {
    if (requestId === takenElsewhere) {
      queue = queue.filter((q) => q.requestId !== takenElsewhere);
      return Promise.resolve(err<HeldClip>('CONFLICT', 'taken'));
    }
    return Promise.resolve(ok(held));
  });
  const propose = vi.fn(({ requestId }: { readonly requestId: string; readonly text: string }) => {
    queue = queue.filter((q) => q.requestId !== requestId);
    return Promise.resolve(ok(null));
  });
  const open = vi.fn(() => Promise.resolve(ok({ ...held, codec: 'wav' as const, audio: new Uint8Array(8) })));
  const release = vi.fn(() => Promise.resolve(ok(null)));
  const wrap = (api: ReviewerApi): ReviewerApi => ({
    ...api,
    listen: { ...api.listen, queue: () => Promise.resolve(ok(queue)), take, propose },
    hearing: { ...api.hearing, open, release },
  });
  return { wrap, take, propose, open };
}

describe('team help queue', () => {
  let app: MountedReview | undefined;
  afterEach(() => {
    app?.cleanup();
    app = undefined;
  });

  const $ = (selector: string): HTMLElement | null => document.querySelector<HTMLElement>(selector);
  const button = (name: string): HTMLButtonElement | undefined =>
    [...document.querySelectorAll('button')].find((b) => b.textContent === name);
  const until = async (check: () => boolean): Promise<void> => {
    for (let i = 0; i < 50 && !check(); i++) {
      await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    }
    expect(check()).toBe(true);
  };

  it('takes a request (after another was taken first), hears its stretch and sends a proposal', async () => {
    const service = fakeHearing();
    app = await mountReviewApp({ api: service.wrap });
    const m = app;
    signInVouched(m.main.services, { pseudonym: 'rv-c', role: 'reviewer' });
    await act(() => m.store.getState().session.load());
    await until(() => button('Help queue') !== undefined);

    click(button('Help queue'));
    await until(() => document.querySelectorAll('[data-testid="help-queue-item"]').length === 2);
    expect(document.activeElement?.id).toBe('help-queue-heading');
    const items = [...document.querySelectorAll<HTMLElement>('[data-testid="help-queue-item"]')];
    expect(items[0]?.textContent).toContain('rv-a');
    expect(items[0]?.textContent).toContain('c-AAAAAAAAAAAA0001');
    expect(items[0]?.textContent).toContain('5 min ago');

    // Someone else was quicker: a clear message, and the queue drops the request.
    click(items[0]?.querySelector('button'));
    await until(() => $('[data-testid="help-queue-outcome"]') !== null);
    expect($('[data-testid="help-queue-outcome"]')?.textContent).toBe(
      'Someone else took this request first. The queue was refreshed.',
    );
    await until(() => document.querySelectorAll('[data-testid="help-queue-item"]').length === 1);
    // Esc clears the message only; the screen stays.
    pressKey($('[data-testid="help-queue-screen"]') as HTMLElement, { key: 'Escape', code: 'Escape' });
    expect($('[data-testid="help-queue-outcome"]')).toBeNull();
    expect(m.store.getState().inbox.screen).toBe('listen');

    click(button('Take and hear'));
    await until(() => $('[data-testid="held-request"]') !== null);
    expect(service.take).toHaveBeenLastCalledWith({ requestId: free });
    expect(service.open).toHaveBeenCalledWith({ holdId: free });
    expect($('[data-testid="help-queue-window"]')?.textContent).toBe(
      'The words asked about are heard between 1.0 s and 2.5 s.',
    );
    expect(($('.listen-window-mark') as HTMLElement).style.left).toBe('20%');
    expect(document.activeElement?.id).toBe('help-queue-text');
    click(button('Play from the marked stretch'));
    expect(button('Pause')).toBeDefined();

    // Nothing written: told how long it must be, and nothing sent.
    click(button('Send proposal'));
    expect($('[data-testid="help-queue-outcome"]')?.textContent).toBe(
      'Write between 1 and 500 characters before sending.',
    );
    expect(service.propose).not.toHaveBeenCalled();

    typeInto($('#help-queue-text') as HTMLTextAreaElement, '  forty two  ');
    click(button('Send proposal'));
    await until(() => $('[data-testid="help-queue-outcome"]')?.getAttribute('role') === 'status');
    expect(service.propose).toHaveBeenCalledWith({ requestId: free, text: 'forty two' });
    expect($('[data-testid="held-request"]')).toBeNull();
    await until(() => $('.help-queue .empty') !== null);

    // Back leaves the screen, as from every screen.
    pressKey($('[data-testid="help-queue-screen"]') as HTMLElement, {
      key: 'ArrowLeft',
      code: 'ArrowLeft',
      altKey: true,
    });
    await settle(m.store, (s) => s.inbox.screen === null);
  });
});
