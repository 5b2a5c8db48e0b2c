import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { TimingRecord } from '../../shared/sync/messages';
import { CLI_SOURCE } from '../../service/audit';
import { DEMO_REVIEWER, DEMO_SUPERVISOR, type SeedAccount } from '../../service/seed';
import { addTeamMember, createTeam, setTeamRole } from '../../service/teams';
import { holdAnnotations } from '../support/held-annotations';
import { startTestService, type TestService } from '../support/reference-service';
import { startApp, type RunningApp } from './support/app-harness';
import { expectAccessible } from './support/axe';
import { expect, test } from './support/harness';
import { pdfText } from './support/pdf-text';
import { UNBOUNDED_ROOM } from '../support/timing-room';

const MIN = 60_000;
const HOUR = 60 * MIN;
const OPERATOR = { operator: 'tests', source: CLI_SOURCE };
const BATCH = 'b-AAAAAAAAAAAA0001';
/** What only a note holds: no screen or PDF may show it. */
const CANARY = 'CANARY-the-callers-own-words';
const SHOTS = 'test-results/team-report';

/** Nine reviewers, some with the longest pseudonyms sign-in allows. */
const reviewers: SeedAccount[] = Array.from({ length: 9 }, (_, i) => ({
  account: `reviewer-${i}`,
  password: `password of reviewer-${i}`,
  totpSecret: DEMO_REVIEWER.totpSecret,
  pseudonym:
    i % 3 === 0
      ? `rv-${i}-${'a-very-long-pseudonym-'.repeat(3)}`.slice(0, 64)
      : `rv-${String.fromCharCode(97 + i)}${i}f3a2`,
  role: 'reviewer',
}));

let seq = 0;
const id = (): string => `key1-${(seq += 1)}`;

/** A finished shift with `clips` clips, a break, and `escalations` escalations before it. */
function shiftRecords(pseudonym: string, shiftId: string, start: number, clips: number): TimingRecord[] {
  return [
    {
      id: id(),
      kind: 'shift',
      values: {
        id: shiftId,
        pseudonym,
        startedAt: start,
        startReason: 'first_clip',
        lastActivityAt: start + 2 * HOUR,
        endedAt: start + 2 * HOUR,
        endReason: 'sign_out',
      },
    },
    ...Array.from({ length: clips }, (_, n): TimingRecord => {
      const handleMs = 8_000 + ((n * 7_919) % 50_000);
      return {
        id: id(),
        kind: 'clip',
        values: {
          shiftId,
          batchId: BATCH,
          clipId: `c-${shiftId.slice(-4).toUpperCase()}AAAAAAA${String(n).padStart(5, '0')}`.slice(0, 18),
          revision: 1,
          submittedAt: start + (n + 1) * MIN,
          durationMs: 4_000,
          handleMs,
          activeMs: handleMs - 2_000,
          idleMs: 2_000,
          listenMs: 4_000,
          realTimeFactor: 2,
          plays: 1,
          replays: 0,
          seeks: 0,
          rateChanges: 0,
          edits: 1,
          firstEditMs: 800,
          wer: 0.1,
          wordErrors: 1,
          referenceWords: 10,
          disposition: n % 5 === 0 ? 'noise_only' : 'transcribed',
          critical: false,
          escalated: false,
          heardInFull: true,
        },
      };
    }),
    {
      id: id(),
      kind: 'break',
      values: {
        id: randomUUID(),
        shiftId,
        trigger: 'escalations',
        startedAt: start + 30 * MIN,
        endedAt: start + 40 * MIN,
        skipped: false,
      },
    },
  ];
}

test.describe('the supervisor’s team report from the service', () => {
  let svc: TestService;
  let app: RunningApp | undefined;

  test.beforeEach(async () => {
    svc = await startTestService();
    await svc.addAccount(DEMO_SUPERVISOR);
    await createTeam(svc.service.core, OPERATOR, 'north');
    await addTeamMember(svc.service.core, OPERATOR, 'north', DEMO_SUPERVISOR.account);
    await setTeamRole(svc.service.core, OPERATOR, 'north', DEMO_SUPERVISOR.account, 'supervisor');
    const t0 = svc.now() - 6 * HOUR;
    const categories = ['crime_or_abuse', 'self_harm', 'child_safety', 'other'] as const;
    for (const [i, r] of reviewers.entries()) {
      await svc.addAccount(r);
      await addTeamMember(svc.service.core, OPERATOR, 'north', r.account);
      const start = t0 + i * 10 * MIN;
      const records = shiftRecords(r.pseudonym, randomUUID(), start, 6 + i * 3);
      await svc.service.core.store.timing.add(r.account, records, svc.now(), UNBOUNDED_ROOM);
      // The annotations of those clips: the service counts only work it holds.
      const clipIds = records.flatMap((x) => (x.kind === 'clip' ? [x.values.clipId] : []));
      await holdAnnotations(svc, r.account, BATCH, clipIds);
      await svc.service.core.store.ops.apply(
        'escalation',
        r.account,
        Array.from({ length: i % 4 }, (_, k) => ({
          opId: randomUUID(),
          payload: {
            batchId: BATCH,
            clipId: 'c-AAAAAAAAAAAA0001',
            category: categories[(i + k) % 4] ?? 'other',
            note: CANARY,
            createdAt: start + (25 + k) * MIN,
          },
          refusal: null,
        })),
        svc.now(),
      );
    }
  });
  test.afterEach(async () => {
    app?.dispose();
    app = undefined;
    await svc.stop();
  });

  test('filters the team’s shifts, compares reviewers, and prints charts at 9 pt or more', async ({
    page,
    bridgeScript,
  }) => {
    mkdirSync(SHOTS, { recursive: true });
    app = await startApp(page, bridgeScript, { serviceUrl: svc.url });
    await app.services.sync.signIn({
      account: DEMO_SUPERVISOR.account,
      password: DEMO_SUPERVISOR.password,
      totp: svc.nextCode(DEMO_SUPERVISOR),
    });
    await app.open({ demo: false });
    await page.getByRole('button', { name: 'Shift reports' }).click();
    await expect(page.getByTestId('report-page')).toBeVisible();
    const picker = page.locator('fieldset.shift-picker');
    await expect(picker.locator('input[type="checkbox"]')).toHaveCount(9);
    await expect(page.getByTestId('report-fallback')).toHaveCount(0);

    // Everyone in the report: the first shift is chosen already.
    const boxes = picker.locator('input[type="checkbox"]');
    for (let i = 1; i < 9; i += 1) {
      await boxes.nth(i).check();
      await expect(page.locator('[data-testid="report-summary"] thead th')).toHaveCount(i + 2);
    }
    const wellbeing = page.locator('[data-testid="chart-reviewer-wellbeing"] svg');
    await expect(wellbeing).toHaveAttribute('aria-label', /break after 1 of 1/);
    await expectAccessible(page, '[data-testid="report-screen"]');
    for (const [w, h] of [
      [1280, 720],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: `${SHOTS}/team-report-${w}x${h}.png` });
      const charts = page.getByTestId('reviewer-charts');
      await charts.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/team-report-${w}x${h}-charts.png` });
      await charts.screenshot({ path: `${SHOTS}/team-report-${w}x${h}-all-charts.png` });
    }

    // The PDF: every text at 9 pt or more, the comparison charts in it, no note.
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), verbosity: 0, useSystemFonts: false }).promise;
    const sizes: { text: string; pt: number }[] = [];
    for (let n = 1; n <= doc.numPages; n += 1) {
      for (const item of (await (await doc.getPage(n)).getTextContent()).items) {
        if ('str' in item && item.str.trim() !== '') {
          // The text matrix's vertical scale is the font size in points (pdf.js types it loosely).
          const [, , c = 0, d = 0] = item.transform as number[];
          sizes.push({ text: item.str, pt: Math.hypot(c, d) });
        }
      }
    }
    await doc.destroy();
    const small = sizes.filter((s) => s.pt < 9);
    expect(small, 'text printed under 9 pt').toEqual([]);
    const text = await pdfText(pdf);
    for (const title of [
      'Throughput: clips per hour',
      'Handle time per clip',
      'Escalations and breaks',
      'Wellbeing: escalations by category, and breaks after them',
    ]) {
      expect(text).toContain(title);
    }
    expect(text).toContain(reviewers[1]?.pseudonym ?? '');
    expect(text).not.toContain(CANARY);

    // A reviewer filter lists that reviewer's shifts only.
    await page.setViewportSize({ width: 1280, height: 720 });
    const target = reviewers[4]?.pseudonym ?? '';
    await page.getByRole('combobox', { name: 'Reviewer', exact: true }).fill(target);
    await page.getByRole('button', { name: 'Show shifts' }).click();
    await expect(picker.locator('input[type="checkbox"]')).toHaveCount(1);
    await expect(picker).toContainText(target);
    await expect(page.locator('body')).not.toContainText(CANARY);
  });
});
