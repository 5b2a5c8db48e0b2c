/**
 * The escalation inbox against the real reference service: a supervisor reads their team's
 * escalations (oldest first, urgent ages, a reviewer marked for several escalations in a shift,
 * a long note) and answers one from the keyboard; the reviewer, signing in on their own data
 * folder, is told and reads the guidance. Screenshots at 1280×720 and 1920×1080.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import type { EscalationOp } from '../../shared/sync/messages';
import { CLI_SOURCE } from '../../service/audit';
import { DEMO_REVIEWER, DEMO_SUPERVISOR } from '../../service/seed';
import { addTeamMember, createTeam, setTeamRole } from '../../service/teams';
import type { TestService } from '../support/reference-service';
import { startApp } from './support/app-harness';
import { expectAccessible } from './support/axe';
import { expect, serviceTest } from './support/harness';
import { UNBOUNDED_ROOM } from '../support/timing-room';

const MIN = 60_000;
const OPERATOR = { operator: 'tests', source: CLI_SOURCE };
const LONG_NOTE =
  'The speaker says someone is hurting her and asks the assistant to call for help. ' +
  'There is shouting in the background, then a door, then a long silence. '.repeat(6) +
  'Unbrokenwordwithoutanyspacesthatmustwrapinsidethenoteboxratherthanpushthelayoutwider'.repeat(3);

const test = serviceTest;

/** Three escalations of the demo reviewer in one shift, the oldest past the urgent time. */
async function seed(svc: TestService): Promise<string[]> {
  const core = svc.service.core;
  await svc.addAccount(DEMO_SUPERVISOR);
  await createTeam(core, OPERATOR, 'north');
  await addTeamMember(core, OPERATOR, 'north', DEMO_REVIEWER.account);
  await addTeamMember(core, OPERATOR, 'north', DEMO_SUPERVISOR.account);
  await setTeamRole(core, OPERATOR, 'north', DEMO_SUPERVISOR.account, 'supervisor');
  const t = svc.now();
  await core.store.timing.add(
    DEMO_REVIEWER.account,
    [
      {
        id: 'key1-1',
        kind: 'shift',
        values: {
          id: randomUUID(),
          pseudonym: DEMO_REVIEWER.pseudonym,
          startedAt: t - 90 * MIN,
          startReason: 'sign_in',
          lastActivityAt: t,
          endedAt: null,
          endReason: null,
        },
      },
    ],
    t,
    UNBOUNDED_ROOM,
  );
  const ids: string[] = [];
  for (const [ago, note, clip] of [
    [45, LONG_NOTE, 'c-AAAAAAAAAAAA0001'],
    [20, 'Child crying, adult voice threatening.', 'c-AAAAAAAAAAAA0002'],
    [5, '', 'c-AAAAAAAAAAAA0003'],
  ] as const) {
    const op: EscalationOp = {
      opId: randomUUID(),
      batchId: 'b-AAAAAAAAAAAA0001',
      clipId: clip,
      category: ago === 20 ? 'child_safety' : 'crime_or_abuse',
      note,
      createdAt: t - ago * MIN,
    };
    await core.store.ops.apply('escalation', DEMO_REVIEWER.account, [{ opId: op.opId, payload: op, refusal: null }], t);
    ids.push(op.opId);
  }
  return ids;
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 720],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `test-results/screenshots/${name}-${width}x${height}.png`, fullPage: false });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

test('a supervisor answers an escalation from the inbox and the reviewer reads the guidance at sign-in', async ({
  page,
  context,
  bridgeScript,
  svc,
}) => {
  const [oldest] = await seed(svc);
  const supervisor = await startApp(page, bridgeScript, { serviceUrl: svc.url });
  try {
    await supervisor.services.sync.signIn({
      account: DEMO_SUPERVISOR.account,
      password: DEMO_SUPERVISOR.password,
      totp: svc.nextCode(DEMO_SUPERVISOR),
      enrolmentCode: await svc.issueEnrolmentCode(DEMO_SUPERVISOR.account),
    });
    await supervisor.services.sync.syncNow();
    await supervisor.open({ demo: false });
    const button = page.getByTestId('inbox-button');
    await expect(button).toHaveAccessibleName(/^Escalations\s*: 3 open, 1 urgent$/);
    await button.focus();
    await page.keyboard.press('Enter');

    const inbox = page.getByTestId('inbox-screen');
    await expect(inbox.getByRole('heading', { name: 'Escalation inbox' })).toBeFocused();
    const rows = inbox.getByRole('listitem').filter({ has: page.getByTestId('escalation-age') });
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0).getByRole('heading')).toHaveText(`Crime or abuse · ${DEMO_REVIEWER.pseudonym}`);
    await expect(rows.nth(0).getByTestId('escalation-age')).toContainText('Urgent');
    await expect(rows.nth(1).getByTestId('escalation-age')).not.toContainText('Urgent');
    await expect(rows.nth(0).getByTestId('several-escalations')).toHaveText(
      "3 escalations in this reviewer's shift: consider checking in with them.",
    );
    await expect(rows.nth(0).getByRole('blockquote')).toContainText('someone is hurting her');
    await expect(rows.nth(2)).toContainText('The reviewer left no note.');
    await expectAccessible(page);
    await shoot(page, 'inbox-open');

    // Guidance from the keyboard: the form opens on its text box, Tab reaches Send.
    await rows.nth(0).getByRole('button', { name: 'Guidance for the reviewer…' }).focus();
    await page.keyboard.press('Enter');
    await expect(rows.nth(0).getByLabel('Guidance the reviewer will read')).toBeFocused();
    await page.keyboard.type('Take a break now; Welfare will call you within the hour.');
    await expectAccessible(page, '[data-testid="inbox-screen"]');
    await shoot(page, 'inbox-guidance-form');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    // Guidance acknowledges an open escalation: it moves to the acknowledged list.
    await expect(rows).toHaveCount(2);
    await inbox.getByRole('button', { name: 'Acknowledged' }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.nth(0)).toContainText(`Guidance from ${DEMO_SUPERVISOR.pseudonym}`);
    await shoot(page, 'inbox-acknowledged');
    const stored = await svc.service.core.store.escalations.responses([oldest ?? '']);
    expect(stored.map((r) => r.action)).toEqual(['guidance']);

    await page.keyboard.press('Alt+ArrowLeft');
    await expect(inbox).toHaveCount(0);
  } finally {
    supervisor.dispose();
  }

  // The reviewer, on a workstation of their own, is told at sign-in and reads the guidance.
  const reviewerPage = await context.newPage();
  const reviewer = await startApp(reviewerPage, bridgeScript, { serviceUrl: svc.url });
  try {
    await reviewer.services.sync.signIn(svc.credentials());
    await reviewer.services.sync.syncNow();
    await reviewer.open({ demo: false });
    const notice = reviewerPage.getByTestId('escalation-notice');
    await expect(notice).toHaveText(/Your escalations have new answers \(1\)\./);
    await expectAccessible(reviewerPage);
    await notice.getByRole('button', { name: 'Read them' }).click();
    const mine = reviewerPage.getByTestId('my-escalations-screen');
    await expect(mine.getByRole('heading', { name: 'My escalations' })).toBeFocused();
    await expect(mine).toContainText('Seen by a supervisor');
    await expect(mine).toContainText('Take a break now; Welfare will call you within the hour.');
    await expect(mine).not.toContainText(DEMO_SUPERVISOR.pseudonym);
    await expectAccessible(reviewerPage);
    await shoot(reviewerPage, 'my-escalations');
    await reviewerPage.keyboard.press('Alt+ArrowLeft');
    await expect(reviewerPage.getByTestId('escalation-notice')).toHaveCount(0);
  } finally {
    reviewer.dispose();
  }
});
