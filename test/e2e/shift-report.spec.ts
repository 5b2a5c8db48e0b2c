import type { Page } from '@playwright/test';
import { expectAccessible } from './support/axe';
import { expect, test } from './support/harness';
import { pdfText } from './support/pdf-text';
import { demoBatch, hearInFull, openBatchByKeyboard } from './support/review-steps';
import { signInVouched } from '../support/signed-identity';

/** Hears the open clip, picks a disposition by Alt+digit and submits with Ctrl+Enter. */
async function reviewClip(page: Page, digit: number, nextId: string): Promise<void> {
  await hearInFull(page);
  await page.keyboard.press(`Alt+${digit}`);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('clip-id')).toHaveText(nextId);
}

test.describe('shift metrics and the supervisor report', () => {
  test('a reviewer’s keyboard shift shows on the pace panel and in the supervisor’s printed report', async ({
    page,
    app,
  }) => {
    await app.open();
    const { clip, clips } = demoBatch(app);
    await openBatchByKeyboard(page);

    // Two clips, then an escalation with the break it offers, then a third clip.
    await reviewClip(page, 1, clip(1).id);
    await reviewClip(page, 4, clip(2).id);
    await page.keyboard.press('Control+Shift+E');
    const dialog = page.getByRole('dialog', { name: 'Escalate this clip' });
    await expect(dialog.getByRole('radio', { name: 'Crime or abuse' })).toBeFocused();
    await page.keyboard.press('Space');
    await page.keyboard.press('Control+Enter');
    await expect(dialog.getByTestId('escalation-saved')).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('break-panel')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Resume' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('#transcript')).toBeVisible();
    await page.locator('#transcript').focus();
    // After a break the clip stays stopped until the reviewer plays it.
    await page.keyboard.press('Control+KeyK');
    await reviewClip(page, 3, clip(3).id);

    const pace = page.getByTestId('pace-panel');
    await expect(pace.getByTestId('pace-done')).toHaveText('3');
    await expect(pace.getByTestId('pace-median')).toHaveText(/^\d+\.\d s$/);
    await expectAccessible(page, '[data-testid="pace-panel"]');

    // A supervisor signs in on this workstation: the reviewer's shift ends there.
    signInVouched(app.services, { pseudonym: 'sv-1', role: 'supervisor' });
    const shift = app.services.reports.shifts().find((s) => s.clipsDone === 3);
    expect(shift).toBeDefined();
    // The supervisor's sign-in started no shift of their own.
    expect(app.services.reports.shifts().map((s) => s.shift.pseudonym)).not.toContain('sv-1');
    const report = app.services.reports.report([shift?.shift.id ?? '']);
    const summary = report.summaries[0];
    expect(summary).toMatchObject({ clipsDone: 3, escalations: 1, breaks: 1, submittedBeforeHeard: 0 });

    await page.reload();
    await page.getByRole('banner').waitFor();
    const open = page.getByRole('button', { name: 'Shift reports' });
    await open.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Shift reports' })).toBeFocused();
    await expect(page.getByTestId('report-page')).toBeVisible();
    await expect(page.locator('[data-figure="clipsDone"] td')).toHaveText('3');
    await expectAccessible(page, '[data-testid="report-screen"]');

    const median = `${((summary?.medianHandleMs ?? 0) / 1_000).toFixed(1)} s`;
    const text = await pdfText(await page.pdf({ format: 'A4', printBackground: true }));
    expect(text).toContain('Shift report');
    expect(text).toMatch(/Clips done 3\b/);
    expect(text).toContain(`Median handle time ${median}`);
    expect(text).toMatch(/Escalations 1\b/);
    expect(text).toMatch(/Breaks 1 \(/);
    expect(text).toMatch(/Submitted before heard in full 0\b/);
    // Clips per hour with and without idle time, and the idle time between them.
    expect(text).toContain('Clips per hour (idle time included)');
    expect(text).toContain('Clips per hour without idle time');
    expect(text).toContain('Idle time (work time less active time)');
    for (const title of [
      'Throughput: clips done per',
      'Handle time per clip',
      'Disposition mix',
      'Escalations and breaks',
    ]) {
      expect(text).toContain(title);
    }
    // Alt+1, Alt+4 and Alt+3: one clip each, labelled in the disposition chart.
    for (const label of ['Transcribed', 'Noise only', 'TV or media']) {
      expect(text).toContain(label);
    }
    // The controls are not printed, and no transcript or hypothesis is in the report.
    expect(text).not.toContain('Save as PDF');
    for (const c of clips.slice(0, 4)) {
      if (c.asr.trim().split(/\s+/).length > 2) {
        expect(text).not.toContain(c.asr.trim());
      }
    }
  });
});
