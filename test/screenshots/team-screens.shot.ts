/**
 * Pictures of the screens a team shares through the annotation service, with the longest text
 * each allows: the supervisor's escalation inbox, the team help queue and a taken request, and
 * a teammate's proposal beside the requester's transcript. Each picture set has a reference
 * service of its own and one workstation (data folder) per person.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { MAX_PROPOSAL_CHARS } from '../../shared/domain/inbox-limits';
import type { EscalationOp } from '../../shared/sync/messages';
import { CLI_SOURCE } from '../../service/audit';
import { DEMO_REVIEWER, type SeedAccount } from '../../service/seed';
import { addTeamMember } from '../../service/teams';
import type { TestService } from '../support/reference-service';
import type { RunningApp } from '../e2e/support/app-harness';
import { expect, serviceTest } from '../e2e/support/harness';
import { openBatchByKeyboard } from '../e2e/support/review-steps';
import { LANGUAGES, longText, replaceTranscript, type Language } from '../e2e/support/screen-states';
import { formTeam, signedInApp, TEAM } from '../e2e/support/team-apps';

const OUT = process.env['EARMARK_SCREENSHOTS_OUT'] ?? 'test-results/screenshots';
const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;
const BATCH = 'b-AAAAAAAAAAAE2E52';
const MIN = 60_000;
const LONG_NOTE =
  'The speaker says someone is hurting her and asks the assistant to call for help. ' +
  'There is shouting in the background, then a door, then a long silence. '.repeat(6) +
  'Unbrokenwordwithoutanyspacesthatmustwrapinsidethenoteboxratherthanpushthelayoutwider'.repeat(3);
/** A teammate with the longest pseudonym sign-in allows. */
const LONG_HELPER: SeedAccount = {
  account: 'reviewer-long',
  password: 'password of reviewer-long',
  totpSecret: DEMO_REVIEWER.totpSecret,
  pseudonym: `rv-${'a-very-long-pseudonym-'.repeat(3)}`.slice(0, 64),
  role: 'reviewer',
};
/** The requester's transcript: long, so the words asked about are a long stretch of it. */
const TRANSCRIPT = longText(600);

const test = serviceTest;

/** Three escalations with long notes, four open second listens and one answered with a long proposal. */
async function seed(svc: TestService): Promise<void> {
  const core = svc.service.core;
  await formTeam(svc);
  await svc.addAccount(LONG_HELPER);
  await addTeamMember(core, { operator: 'tests', source: CLI_SOURCE }, 'north', LONG_HELPER.account);
  const clips = await svc.addBatch(BATCH, 5);
  const t = svc.now();
  for (const [ago, note, clip] of [
    [45, LONG_NOTE, clips[1]],
    [20, 'Child crying, adult voice threatening.', clips[2]],
    [5, '', clips[3]],
  ] as const) {
    const op: EscalationOp = {
      opId: randomUUID(),
      batchId: BATCH,
      clipId: clip ?? '',
      category: ago === 20 ? 'child_safety' : 'crime_or_abuse',
      note,
      createdAt: t - ago * MIN,
    };
    await core.store.ops.apply('escalation', DEMO_REVIEWER.account, [{ opId: op.opId, payload: op, refusal: null }], t);
  }
  const hearings = core.store.hearings;
  const ROOM = { max: 10, since: 0, now: t };
  const request = (clipId: string, ago: number) => ({
    requestId: randomUUID(),
    requester: DEMO_REVIEWER.account,
    batchId: BATCH,
    clipId,
    span: { start: 0, end: 120 },
    window: { startMs: 0, endMs: 250 },
    createdAt: t - ago * MIN,
  });
  for (const [i, clip] of clips.slice(1).entries()) {
    await hearings.addRequest(request(clip, 40 - i * 10), ROOM);
  }
  const answered = request(clips[0] ?? '', 50);
  await hearings.addRequest(answered, ROOM);
  await hearings.take(answered.requestId, LONG_HELPER.account, t - 45 * MIN);
  await hearings.propose(answered.requestId, LONG_HELPER.account, longText(MAX_PROPOSAL_CHARS), t - 40 * MIN);
}

/** The app signed in as `a` in `language`, its window at `viewport`. */
async function appIn(page: Page, bridgeScript: string, svc: TestService, a: SeedAccount, language: Language) {
  const app = await signedInApp(page, bridgeScript, svc, a);
  app.services.settings.update({ uiLanguage: language });
  await page.reload();
  await page.getByRole('banner').waitFor();
  return app;
}

for (const viewport of VIEWPORTS) {
  for (const language of LANGUAGES) {
    test.describe(`${language} at ${viewport.width}×${viewport.height}`, () => {
      test.use({ viewport });

      test('team screens', async ({ page, context, bridgeScript, svc }) => {
        test.setTimeout(180_000);
        mkdirSync(OUT, { recursive: true });
        const shot = async (p: Page, state: string): Promise<void> => {
          await p.waitForTimeout(250);
          await p.screenshot({ path: join(OUT, `${language}-${viewport.width}x${viewport.height}-${state}.png`) });
        };
        await seed(svc);
        const apps: RunningApp[] = [];
        try {
          const supervisor = await appIn(page, bridgeScript, svc, TEAM.supervisor, language);
          apps.push(supervisor);
          await page.getByTestId('inbox-button').click();
          await expect(page.getByTestId('inbox-screen')).toBeVisible();
          await expect(page.getByTestId('escalation-age')).toHaveCount(3);
          await shot(page, 'inbox');
          await page.keyboard.press('Alt+ArrowLeft');
          await page.getByTestId('help-queue-button').click();
          await expect(page.getByTestId('help-queue-item')).toHaveCount(4);
          await shot(page, 'help-queue');
          await page.getByTestId('help-queue-item').first().getByRole('button').click();
          const box = page.getByTestId('held-request').getByRole('textbox');
          await expect(box).toBeFocused();
          await box.fill(longText(MAX_PROPOSAL_CHARS));
          await shot(page, 'help-queue-held');

          const requesterPage = await context.newPage();
          const requester = await appIn(requesterPage, bridgeScript, svc, TEAM.requester, language);
          apps.push(requester);
          await openBatchByKeyboard(requesterPage);
          await replaceTranscript(requesterPage, TRANSCRIPT);
          await expect(requesterPage.getByTestId('second-listen-proposal')).toHaveCount(1);
          await shot(requesterPage, 'review-second-listen');
        } finally {
          for (const app of apps.reverse()) {
            app.dispose();
          }
        }
      });
    });
  }
}
