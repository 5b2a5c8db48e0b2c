import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { click, pressKey, settle } from '../../../support/render';
import { queryDb } from '../../../support/services';
import { mountReviewApp, typeInto, type MountedReview } from './mount-review';

describe('review screen panels', () => {
  let app: MountedReview | undefined;

  afterEach(() => {
    app?.cleanup();
    app = undefined;
  });

  const $ = (selector: string): HTMLElement | null => document.querySelector<HTMLElement>(selector);
  const box = (): HTMLTextAreaElement => {
    const el = document.querySelector<HTMLTextAreaElement>('textarea.transcript');
    if (!el) {
      throw new Error('no transcript box');
    }
    return el;
  };
  const dialog = (): HTMLElement | null => $('[role="dialog"]');
  const button = (name: string): HTMLButtonElement | undefined =>
    [...document.querySelectorAll('button')].find((b) =>
      (b.getAttribute('aria-label') ?? b.textContent).includes(name),
    );
  const open = async (): Promise<MountedReview> => {
    app = await mountReviewApp();
    await app.openBatch();
    return app;
  };

  it('escalates by chord while typing: audio stops, a modal dialog takes the focus and keeps it', async () => {
    const { audio, main, store } = await open();
    expect(audio.playing).toBe(true);

    const e = pressKey(box(), { code: 'KeyE', key: 'E', ctrlKey: true, shiftKey: true });

    expect(e.defaultPrevented).toBe(true);
    expect(audio.playing).toBe(false);
    const d = dialog();
    expect(d?.getAttribute('aria-modal')).toBe('true');
    expect(d?.contains(document.activeElement)).toBe(true);
    expect($(`#${d?.getAttribute('aria-labelledby') ?? ''}`)?.textContent).toBe('Escalate this clip');
    const radios = [...(d?.querySelectorAll<HTMLInputElement>('input[type="radio"]') ?? [])];
    expect(radios.map((r) => r.closest('label')?.textContent.trim())).toEqual([
      'Crime or abuse',
      'Self-harm',
      'Child safety',
      'Something else',
    ]);
    for (const control of d?.querySelectorAll('button, textarea') ?? []) {
      expect(control.textContent.trim() || control.closest('label')?.textContent.trim()).toBeTruthy();
    }

    // Tab from the last control wraps to the first.
    const buttons = [...(d?.querySelectorAll('button') ?? [])];
    buttons[buttons.length - 1]?.focus();
    pressKey(document.activeElement ?? document.body, { key: 'Tab', code: 'Tab' });
    expect(d?.contains(document.activeElement)).toBe(true);

    click(radios[1]);
    const note = d?.querySelector('textarea');
    if (!note) {
      throw new Error('no note');
    }
    typeInto(note, 'sounded at risk');
    pressKey(note, { key: 'Enter', code: 'Enter', ctrlKey: true });
    await settle(store, (s) => s.review.panel === 'escalated');

    expect($('[data-testid="escalation-saved"]')?.textContent).toContain('Escalation saved');
    // Stored sealed: main opens it; the database shows neither the category nor which clip it is.
    const rows = queryDb<{ id: string; clipId: string | null; clipRef: string | null; category: string | null }>(
      main.dataDir,
      'SELECT id, clip_id AS clipId, clip_ref AS clipRef, category FROM escalations',
    );
    expect(rows.map((r) => ({ clipId: r.clipId, category: r.category }))).toEqual([{ clipId: null, category: null }]);
    expect(rows[0]?.clipRef).toMatch(/.{16,}/);
    expect(rows[0]?.clipRef).not.toContain('c-AAAAAAAAAAAAAAA1');
    const opened = main.services.annotations.escalationById(rows[0]?.id ?? '');
    expect([opened?.clipId, opened?.category]).toEqual(['c-AAAAAAAAAAAAAAA1', 'self_harm']);
    click(button('Take a break now'));
    await settle(store, (s) => s.timing.panel?.onBreak !== null && s.timing.panel?.onBreak !== undefined);

    expect($('[data-testid="break-panel"]')).not.toBeNull();
    expect($('textarea.transcript')).toBeNull();
    expect(audio.playing).toBe(false);
    expect(document.activeElement?.textContent).toBe('Resume');

    click(button('Resume'));
    expect(box()).toBe(document.activeElement);
    expect(audio.playing).toBe(false);
    await settle(store, (s) => s.timing.panel?.onBreak === null);
  });

  it('cancels the escalation with Escape and puts the focus back in the transcript box', async () => {
    const { store } = await open();
    pressKey(box(), { code: 'KeyE', key: 'E', ctrlKey: true, shiftKey: true });

    pressKey(document.activeElement ?? document.body, { key: 'Escape', code: 'Escape' });

    expect(dialog()).toBeNull();
    expect(store.getState().review.batchId).toBe('b-AAAAAAAAAAREV1EW');
    expect(document.activeElement).toBe(box());
  });

  it('refuses to save an escalation without a category, keeping the note', async () => {
    await open();
    pressKey(box(), { code: 'KeyE', key: 'E', ctrlKey: true, shiftKey: true });
    const note = dialog()?.querySelector('textarea');
    if (!note) {
      throw new Error('no note');
    }
    typeInto(note, 'keep me');

    click(button('Save escalation'));

    expect($('[role="dialog"] [role="alert"]')?.textContent).toBe('Choose what the escalation is about.');
    expect(note.value).toBe('keep me');
  });

  it('tags the selected text as critical data, lists it, and shows the outgoing transcript', async () => {
    const { store } = await open();
    act(() => box().setSelectionRange(8, 13));

    pressKey(box(), { code: 'KeyC', key: 'C', ctrlKey: true, shiftKey: true });
    expect($('[data-testid="tag-selection"]')?.textContent).toBe('light');
    const checked = document.querySelector<HTMLInputElement>('[role="dialog"] input[type="radio"]:checked');
    expect(document.activeElement).toBe(checked);
    pressKey(checked ?? document.body, { key: 'Enter', code: 'Enter' });

    expect(dialog()).toBeNull();
    expect(store.getState().review.body.critical).toEqual([{ start: 8, end: 13, category: 'bank_card' }]);
    expect($('[data-testid="tag-list"]')?.textContent).toContain('light');
    expect($('[data-testid="tag-list"]')?.textContent).toContain('Critical data: Bank card');
    expect($('[data-testid="critical-flag"]')).not.toBeNull();
    expect($('[data-testid="outgoing-transcript"]')?.textContent).toBe('turn on [CRITICAL:bank_card] number 1');

    click(button('Remove the tag on “light”'));
    expect(store.getState().review.body.critical).toEqual([]);
    expect($('[data-testid="critical-flag"]')).toBeNull();
  });
});
