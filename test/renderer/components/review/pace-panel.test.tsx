import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { queryDb } from '../../../support/services';
import { click, pressKey, settle } from '../../../support/render';
import { REVIEW_BATCH } from '../../review/review-fixture';
import { mountReviewApp, typeInto, type MountedReview } from './mount-review';

describe('pace panel and breaks on the review screen', () => {
  let app: MountedReview | undefined;
  afterEach(() => {
    app?.cleanup();
    app = undefined;
  });

  const $ = (selector: string): HTMLElement | null => document.querySelector<HTMLElement>(selector);
  const text = (selector: string): string => $(selector)?.textContent ?? '';
  const box = (): HTMLTextAreaElement =>
    document.querySelector<HTMLTextAreaElement>('textarea.transcript') as HTMLTextAreaElement;
  const button = (name: string): HTMLButtonElement | undefined =>
    [...document.querySelectorAll('button')].find((b) => b.textContent === name);

  /** Hears the open clip, edits it and submits it by keyboard. */
  const submitOpenClip = async (m: MountedReview): Promise<void> => {
    const index = m.store.getState().review.index;
    act(() => m.audio.play());
    act(() => m.audio.hearToEnd());
    typeInto(box(), `${box().value} now`);
    pressKey(box(), { code: 'Enter', ctrlKey: true });
    await settle(m.store, (s) => s.review.index === index + 1);
  };

  it('shows the reviewer’s clips done and median handle time once main has measured the submit', async () => {
    app = await mountReviewApp();
    await app.openBatch();
    const m = app;
    await settle(m.store, (s) => s.timing.panel !== null);
    expect(text('[data-testid="pace-done"]')).toBe('0');
    expect(text('[data-testid="pace-break"]')).toBe('in 50 min');

    await submitOpenClip(m);
    await settle(m.store, (s) => s.timing.panel?.clipsDone === 1);
    expect(text('[data-testid="pace-done"]')).toBe('1');
    expect(text('[data-testid="pace-median"]')).toMatch(/^\d+\.\d s$/);

    const [row] = queryDb<{ plays: number; edits: number; heard_in_full: number; wer: number }>(
      m.main.dataDir,
      'SELECT plays, edits, heard_in_full, wer FROM clip_metrics WHERE clip_id = ?',
      'c-AAAAAAAAAAAAAAA1',
    );
    // The ASR hypothesis missed the one word added to the six-word transcript.
    expect(row).toEqual({ plays: 1, edits: 1, heard_in_full: 1, wer: 1 / 6 });
  });

  it('offers a due break after a submit; taking it hides the clip and resuming ends it in main', async () => {
    app = await mountReviewApp();
    await app.openBatch();
    const m = app;
    // An escalation saved elsewhere makes an escalation break due (one escalation, by default).
    m.main.services.annotations.escalate({
      batchId: REVIEW_BATCH,
      clipId: 'c-AAAAAAAAAAAAAAA3',
      category: 'other',
      note: '',
    });
    await submitOpenClip(m);
    await settle(m.store, (s) => s.review.panel === 'breakSuggested');
    expect(m.audio.playing).toBe(false);
    const dialog = $('[role="dialog"]');
    expect(dialog?.textContent).toContain('Time for a micro-break');
    expect(document.activeElement?.textContent).toBe('Take a break');

    click(button('Take a break'));
    await settle(m.store, (s) => s.timing.panel?.onBreak !== null && s.timing.panel?.onBreak !== undefined);
    expect($('[data-testid="break-panel"]')).not.toBeNull();
    expect(text('[data-testid="break-length"]')).toBe('A micro-break is 5 min.');
    expect(text('[data-testid="break-countdown"]')).toMatch(/^Time left: [45]:\d\d$/);

    click(button('Resume'));
    await settle(m.store, (s) => s.timing.panel?.onBreak === null);
    const breaks = queryDb<{ trigger: string; ended: number; skipped: number }>(
      m.main.dataDir,
      'SELECT trigger, ended_at IS NOT NULL AS ended, skipped FROM breaks',
    );
    expect(breaks).toEqual([{ trigger: 'escalations', ended: 1, skipped: 0 }]);
    expect(m.store.getState().timing.panel?.breakDue).toBeNull();
  });

  it('records a declined suggestion when the reviewer says not now', async () => {
    app = await mountReviewApp();
    await app.openBatch();
    const m = app;
    m.main.services.annotations.escalate({
      batchId: REVIEW_BATCH,
      clipId: 'c-AAAAAAAAAAAAAAA3',
      category: 'other',
      note: '',
    });
    await submitOpenClip(m);
    await settle(m.store, (s) => s.review.panel === 'breakSuggested');
    click(button('Not now'));
    await settle(m.store, (s) => s.timing.panel?.breakDue === null);
    expect(m.store.getState().review.panel).toBeNull();
    expect(queryDb(m.main.dataDir, 'SELECT trigger, skipped FROM breaks')).toEqual([
      { trigger: 'escalations', skipped: 1 },
    ]);
  });

  it('ends the shift from the panel and goes back to the batch list', async () => {
    app = await mountReviewApp();
    await app.openBatch();
    const m = app;
    await submitOpenClip(m);
    click(button('End shift'));
    await settle(m.store, (s) => s.review.batchId === null && s.timing.panel !== null && s.timing.panel.shift === null);
    expect(queryDb(m.main.dataDir, 'SELECT end_reason FROM shifts')).toEqual([{ end_reason: 'explicit' }]);
  });
});
