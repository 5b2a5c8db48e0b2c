/**
 * The supervisor's desk against the real reference service: two reviewers, each on a data folder
 * of their own, work and one escalates; the supervisor filters the team's shifts, saves the report
 * as CSV and as PDF (the files the app writes are read back: the CSV rows and the PDF's text hold
 * the figures the screen shows), answers the escalation, and the reviewer reads the answer.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { addBatch } from '../../service/seed';
import { testClipId } from '../support/ids';
import { silenceWav } from '../support/packages';
import { expectAccessible } from './support/axe';
import { expect, serviceTest } from './support/harness';
import { pdfText } from './support/pdf-text';
import { reportFiles } from './support/report-files';
import { hearInFull, openBatchByKeyboard } from './support/review-steps';
import { formTeam, signedInApp, TEAM } from './support/team-apps';

const BATCH_A = 'b-AAAAAAAAAAAE2ED1';
const BATCH_B = 'b-AAAAAAAAAAAE2ED2';
/** Words of the reviewer's note: the report, its CSV and its PDF must never hold them. */
const NOTE = 'desk-canary: a child is crying for help';
const GUIDANCE = 'Take a break; Welfare will call you within the hour.';

const test = serviceTest;

/** Hears the open clip, marks it transcribed (Alt+1) and submits it; `next` is the clip that follows. */
async function reviewClip(page: Page, next: string): Promise<void> {
  await hearInFull(page);
  await page.keyboard.press('Alt+1');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('clip-id')).toHaveText(next);
}

/** Escalates the open clip with a note, takes the break offered and comes back to the clip. */
async function escalateClip(page: Page): Promise<void> {
  await page.keyboard.press('Control+Shift+E');
  const dialog = page.getByRole('dialog', { name: 'Escalate this clip' });
  await expect(dialog.getByRole('radio', { name: 'Crime or abuse' })).toBeFocused();
  await page.keyboard.press('Space');
  await dialog.getByRole('textbox').fill(NOTE);
  await dialog.getByRole('radio', { name: 'Crime or abuse' }).focus();
  await page.keyboard.press('Control+Enter');
  await expect(dialog.getByTestId('escalation-saved')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Resume' })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.locator('#transcript').focus();
  // After a break the clip stays stopped until the reviewer plays it.
  await page.keyboard.press('Control+KeyK');
}

/** The CSV records as objects by column name; every field the report writes is unquoted. */
function csvRecords(text: string): Record<string, string>[] {
  expect(text, 'a quoted field').not.toContain('"');
  const [header = '', ...lines] = text.split('\r\n').filter((l) => l !== '');
  const columns = header.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i] ?? `${i}`, v])));
}

test('two reviewers work, the supervisor saves the team report as CSV and PDF and answers an escalation', async ({
  page,
  context,
  bridgeScript,
  svc,
}) => {
  test.setTimeout(240_000);
  await formTeam(svc);
  const clipsA = await svc.addBatch(BATCH_A, 4);
  const clipsB = Array.from({ length: 3 }, (_, i) => testClipId(20 + i, 4));
  await addBatch(svc.service.core, {
    batchId: BATCH_B,
    assignedTo: TEAM.teammate.account,
    clips: clipsB.map((id, i) => ({
      details: { id, durationMs: 300, codec: 'wav', asrText: `other clip ${i}`, consent: 'granted' },
      audio: silenceWav(300),
    })),
  });
  const disposers: (() => void)[] = [];
  try {
    // The first reviewer submits three clips and escalates the last of them.
    const requester = await signedInApp(page, bridgeScript, svc, TEAM.requester);
    disposers.push(() => requester.dispose());
    await openBatchByKeyboard(page);
    await reviewClip(page, clipsA[1] ?? '');
    await reviewClip(page, clipsA[2] ?? '');
    await escalateClip(page);
    await reviewClip(page, clipsA[3] ?? '');
    await requester.services.sync.syncNow();

    // The second, on a data folder of their own, submits one.
    const teammatePage = await context.newPage();
    const teammate = await signedInApp(teammatePage, bridgeScript, svc, TEAM.teammate);
    disposers.push(() => teammate.dispose());
    await openBatchByKeyboard(teammatePage);
    await reviewClip(teammatePage, clipsB[1] ?? '');
    await teammate.services.sync.syncNow();

    // The supervisor lists the team's shifts, filters by reviewer, then takes both.
    const supervisorPage = await context.newPage();
    const saved = reportFiles(supervisorPage);
    disposers.push(() => saved.remove());
    const supervisor = await signedInApp(supervisorPage, bridgeScript, svc, TEAM.supervisor, {
      reportExporter: saved.exporter,
    });
    disposers.push(() => supervisor.dispose());
    await supervisorPage.getByRole('button', { name: 'Shift reports' }).click();
    await expect(supervisorPage.getByTestId('report-page')).toBeVisible();
    await expect(supervisorPage.getByTestId('report-fallback')).toHaveCount(0);
    const boxes = supervisorPage.locator('fieldset.shift-picker input[type="checkbox"]');
    await expect(boxes).toHaveCount(2);
    const reviewerFilter = supervisorPage.getByRole('combobox', { name: 'Reviewer', exact: true });
    await reviewerFilter.fill(TEAM.teammate.pseudonym);
    await supervisorPage.getByRole('button', { name: 'Show shifts' }).click();
    await expect(boxes).toHaveCount(1);
    await expect(supervisorPage.locator('fieldset.shift-picker')).toContainText(TEAM.teammate.pseudonym);
    await reviewerFilter.fill('');
    await supervisorPage.getByRole('button', { name: 'Show shifts' }).click();
    await expect(boxes).toHaveCount(2);
    for (let i = 0; i < 2; i += 1) {
      await boxes.nth(i).check();
    }
    const summary = supervisorPage.getByTestId('report-summary');
    await expect(summary.locator('thead th')).toHaveCount(3);
    await expectAccessible(supervisorPage, '[data-testid="report-screen"]');

    // What the screen shows, by reviewer, for the figures the files must hold.
    const reviewers = (await summary.locator('thead th').allTextContents()).slice(1);
    expect([...reviewers].sort()).toEqual([TEAM.requester.pseudonym, TEAM.teammate.pseudonym].sort());
    const figure = async (key: string) => ({
      label: (await summary.locator(`[data-figure="${key}"] th`).textContent()) ?? '',
      cells: await summary.locator(`[data-figure="${key}"] td`).allTextContents(),
    });
    const shown = {
      clipsDone: await figure('clipsDone'),
      escalations: await figure('escalations'),
      clipsPerHour: await figure('clipsPerHour'),
      medianHandle: await figure('medianHandle'),
    };
    const column = (pseudonym: string): number => reviewers.indexOf(pseudonym);
    expect(shown.clipsDone.cells[column(TEAM.requester.pseudonym)]).toBe('3');
    expect(shown.clipsDone.cells[column(TEAM.teammate.pseudonym)]).toBe('1');
    expect(shown.escalations.cells[column(TEAM.requester.pseudonym)]).toBe('1');
    expect(shown.escalations.cells[column(TEAM.teammate.pseudonym)]).toBe('0');

    // Save as CSV: three files in the chosen folder; the shifts file holds the screen's figures.
    await supervisorPage.getByRole('button', { name: 'Save as CSV' }).click();
    await expect(supervisorPage.locator('.report-status')).toContainText('earmark-shift-report-');
    const csvFiles = (await supervisorPage.locator('.report-status').textContent())?.match(/[^\s,]+\.csv/g) ?? [];
    expect(csvFiles).toHaveLength(3);
    const shiftsFile = csvFiles.find((f) => f.endsWith('-shifts.csv')) ?? '';
    const clipsFile = csvFiles.find((f) => f.endsWith('-clips.csv')) ?? '';
    const shifts = csvRecords(readFileSync(shiftsFile, 'utf8'));
    expect(shifts.map((r) => r.reviewer).sort()).toEqual([...reviewers].sort());
    const plain = (s: string | undefined): number => Number((s ?? '').replace(/[^\d.]/g, ''));
    for (const r of shifts) {
      const col = column(r.reviewer ?? '');
      expect(r.clips_done).toBe(shown.clipsDone.cells[col]);
      expect(r.escalations).toBe(shown.escalations.cells[col]);
      expect(Number(r.clips_per_hour).toFixed(1)).toBe(plain(shown.clipsPerHour.cells[col]).toFixed(1));
      expect((Number(r.median_handle_ms) / 1_000).toFixed(1)).toBe(plain(shown.medianHandle.cells[col]).toFixed(1));
    }
    const clipRows = csvRecords(readFileSync(clipsFile, 'utf8'));
    expect(clipRows.filter((r) => r.reviewer === TEAM.requester.pseudonym)).toHaveLength(3);
    expect(clipRows.filter((r) => r.reviewer === TEAM.teammate.pseudonym).map((r) => r.clip_id)).toEqual([clipsB[0]]);
    for (const f of csvFiles) {
      const text = readFileSync(f, 'utf8');
      expect(text).not.toContain('desk-canary');
      expect(text).not.toMatch(/clip \d/);
    }

    // Save as PDF: the printed page's text holds the same figures, row by row, and no note.
    await supervisorPage.getByRole('button', { name: 'Save as PDF' }).click();
    await expect(supervisorPage.locator('.report-status')).toContainText('.pdf');
    const pdfFile = (await supervisorPage.locator('.report-status').textContent())?.match(/[^\s,]+\.pdf/)?.[0] ?? '';
    const text = await pdfText(readFileSync(pdfFile));
    expect(text).toContain('Shift report');
    for (const name of reviewers) {
      expect(text).toContain(name);
    }
    for (const f of Object.values(shown)) {
      expect(text).toContain(`${f.label} ${f.cells.join(' ')}`);
    }
    expect(text).not.toContain('desk-canary');
    expect(text).not.toContain('Save as PDF');

    // Back from the report, the supervisor answers the escalation from the inbox.
    await supervisorPage.keyboard.press('Alt+ArrowLeft');
    await expect(supervisorPage.getByTestId('report-screen')).toHaveCount(0);
    await supervisor.services.sync.syncNow();
    await supervisorPage.getByTestId('inbox-button').click();
    const inbox = supervisorPage.getByTestId('inbox-screen');
    const rows = inbox.getByRole('listitem').filter({ has: supervisorPage.getByTestId('escalation-age') });
    await expect(rows).toHaveCount(1);
    await expect(rows.nth(0).getByRole('blockquote')).toContainText(NOTE);
    await rows.nth(0).getByRole('button', { name: 'Guidance for the reviewer…' }).click();
    await rows.nth(0).getByLabel('Guidance the reviewer will read').fill(GUIDANCE);
    await rows.nth(0).getByRole('button', { name: 'Send guidance' }).click();
    await expect(rows).toHaveCount(0);
    await supervisor.services.sync.syncNow();
    await expect
      .poll(async () => (await svc.query<{ action: string }>('SELECT action FROM escalation_responses'))[0]?.action)
      .toBe('guidance');

    // The reviewer, back at the batch list, opens their escalations: the answer is there.
    await page.keyboard.press('Alt+ArrowLeft');
    await expect(page.locator('#transcript')).toHaveCount(0);
    await page.getByTestId('inbox-button').click();
    const mine = page.getByTestId('my-escalations-screen');
    await expect(mine).toContainText(GUIDANCE);
    await expect(mine).not.toContainText(TEAM.supervisor.pseudonym);
    await expectAccessible(page);
  } finally {
    for (const dispose of disposers.reverse()) {
      dispose();
    }
  }
});
