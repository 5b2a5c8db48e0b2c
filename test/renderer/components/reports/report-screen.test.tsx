import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { click, pressKey, settle } from '../../../support/render';
import { mountReviewApp, type MountedReview } from '../review/mount-review';
import { signInVouched } from '../../../support/signed-identity';

const inputValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');

describe('shift report screen', () => {
  let app: MountedReview | undefined;
  afterEach(() => {
    app?.cleanup();
    app = undefined;
  });

  const $ = (selector: string): HTMLElement | null => document.querySelector<HTMLElement>(selector);
  const button = (name: string): HTMLButtonElement | undefined =>
    [...document.querySelectorAll('button')].find((b) => b.textContent === name);
  const figure = (key: string): string => $(`[data-figure="${key}"] td`)?.textContent ?? '';

  /** Reviews two clips by keyboard, then a supervisor signs in on the same workstation. */
  const reviewThenSupervise = async (m: MountedReview): Promise<void> => {
    await m.openBatch();
    for (const index of [0, 1]) {
      act(() => m.audio.hearToEnd());
      pressKey($('textarea.transcript') as HTMLElement, { code: `Digit${index + 2}`, altKey: true });
      pressKey($('textarea.transcript') as HTMLElement, { code: 'Enter', ctrlKey: true });
      await settle(m.store, (s) => s.review.index === index + 1);
    }
    await act(() => m.store.getState().timing.refresh());
    await settle(m.store, (s) => s.timing.panel?.clipsDone === 2);
    act(() => m.store.getState().review.closed());
    signInVouched(m.main.services, { pseudonym: 'sv-1', role: 'supervisor' });
    await act(() => m.store.getState().session.load());
  };

  it('is not offered to a reviewer', async () => {
    app = await mountReviewApp();
    expect(button('Shift reports')).toBeUndefined();
  });

  it('shows a supervisor the reviewer’s shift: figures, four charts and no transcript text', async () => {
    app = await mountReviewApp();
    const m = app;
    await reviewThenSupervise(m);
    click(button('Shift reports'));
    await settle(m.store, (s) => s.reports.report !== null);

    expect(document.activeElement?.id).toBe('reports-heading');
    expect(figure('clipsDone')).toBe('2');
    expect(figure('escalations')).toBe('0');
    expect(figure('submittedBeforeHeard')).toBe('0');
    expect($('[data-testid="report-summary"] thead')?.textContent).toMatch(/demo-/);
    for (const chart of ['chart-throughput', 'chart-handle', 'chart-dispositions', 'chart-timeline']) {
      expect($(`[data-testid="${chart}"] svg`)?.getAttribute('role'), chart).toBe('img');
    }
    // Alt+2 and Alt+3: one clip each.
    const mix = $('[data-testid="chart-dispositions"] svg')?.getAttribute('aria-label') ?? '';
    expect(mix).toContain('No wake word: 1');
    expect(mix).toContain('TV or media: 1');
    expect($('[data-testid="report-page"]')?.textContent).not.toMatch(/turn on light/);

    // Esc dismisses only; going back is Alt+Left, as on every screen.
    pressKey($('[data-testid="report-screen"]') as HTMLElement, { key: 'Escape', code: 'Escape' });
    expect(m.store.getState().reports.open).toBe(true);
    pressKey($('[data-testid="report-screen"]') as HTMLElement, { key: 'ArrowLeft', code: 'ArrowLeft', altKey: true });
    await settle(m.store, (s) => !s.reports.open);
    expect($('button.batch-open')).not.toBeNull();
  });

  it('falls back to this workstation’s shifts with a notice, and compares reviewers', async () => {
    app = await mountReviewApp();
    const m = app;
    await reviewThenSupervise(m);
    click(button('Shift reports'));
    await settle(m.store, (s) => s.reports.report !== null);

    // Signed in (vouched) but with no session at a service: the notice says so, filters stay.
    expect(m.store.getState().reports.source).toBe('workstation');
    expect($('[data-testid="report-fallback"]')?.textContent).toMatch(/this workstation’s shifts only/);
    expect($('form.report-filters')).not.toBeNull();
    expect($('.more-shifts')).toBeNull();
    for (const chart of [
      'chart-reviewer-throughput',
      'chart-reviewer-handle',
      'chart-reviewer-escalations-breaks',
      'chart-reviewer-wellbeing',
    ]) {
      const label = $(`[data-testid="${chart}"] svg`)?.getAttribute('aria-label') ?? '';
      expect(label, chart).toMatch(/demo-/);
    }
    expect($('[data-testid="chart-reviewer-wellbeing"] svg')?.getAttribute('aria-label')).toMatch(
      /no escalations; break after 0 of 0/,
    );

    // A reviewer filter that matches no one empties the list.
    const reviewer = $('form.report-filters input[type="text"]') as HTMLInputElement;
    act(() => {
      inputValue?.set?.call(reviewer, 'rv-nobody');
      reviewer.dispatchEvent(new Event('input', { bubbles: true }));
    });
    click(button('Show shifts'));
    await settle(m.store, (s) => s.reports.shifts?.length === 0 && !s.reports.loading);
    expect($('.empty')?.textContent).toBe('No shifts have been recorded on this workstation yet.');
  });

  it('says the PDF needs the desktop app when there is none, and keeps the report', async () => {
    app = await mountReviewApp();
    const m = app;
    await reviewThenSupervise(m);
    click(button('Shift reports'));
    await settle(m.store, (s) => s.reports.report !== null);
    click(button('Save as PDF'));
    await settle(m.store, (s) => s.reports.error !== null);
    expect($('[role="alert"]')?.textContent).toBe(
      'The report could not be made: Saving a report needs the desktop app.',
    );
    expect($('[data-testid="report-page"]')).not.toBeNull();
  });
});
