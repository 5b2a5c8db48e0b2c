/**
 * A second listen across workstations, against the real reference service: a reviewer selects
 * words and asks the team (Ctrl+Shift+H); a teammate on another data folder finds the request in
 * the help queue, takes it, hears the clip and proposes text; the requester's next sync cycle
 * brings the proposal beside the transcript, and accepting it replaces the words. A supervisor
 * of the team sees the request too; a reviewer of another team can neither see nor take it.
 */
import { startApp } from './support/app-harness';
import { expectAccessible } from './support/axe';
import { expect, serviceTest } from './support/harness';
import { openBatchByKeyboard, selectFirstWord } from './support/review-steps';
import { formTeam, signedInApp, TEAM } from './support/team-apps';

const BATCH = 'b-AAAAAAAAAAAE2E51';

const test = serviceTest;

test('a teammate answers a second listen from the help queue and the requester accepts it', async ({
  page,
  context,
  bridgeScript,
  svc,
}) => {
  await formTeam(svc);
  const [clip] = await svc.addBatch(BATCH, 2);
  const disposers: (() => void)[] = [];
  try {
    // The requester selects the first word of the clip and asks the team.
    const requester = await signedInApp(page, bridgeScript, svc, TEAM.requester);
    disposers.push(() => requester.dispose());
    await openBatchByKeyboard(page);
    const box = page.locator('#transcript');
    await expect(box).toHaveValue('clip 0');
    expect(await selectFirstWord(page)).toBe('clip');
    await page.keyboard.press('Control+Shift+H');
    await expect(page.getByTestId('notice')).toHaveText(/Your team was asked to listen to the selected words/);
    const [request] = await svc.query<{ request_id: string }>('SELECT request_id FROM listen_requests');
    const requestId = request?.request_id ?? '';
    expect(requestId).not.toBe('');

    // Outside the team: nothing to see and nothing to take.
    const outsider = await startApp(await context.newPage(), bridgeScript, { serviceUrl: svc.url });
    disposers.push(() => outsider.dispose());
    await outsider.services.sync.signIn({
      account: TEAM.outsider.account,
      password: TEAM.outsider.password,
      totp: svc.nextCode(TEAM.outsider),
      enrolmentCode: await svc.issueEnrolmentCode(TEAM.outsider.account),
    });
    expect(await outsider.services.hearing.queue()).toEqual([]);
    await expect(outsider.services.hearing.take(requestId)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // The team's supervisor sees the request in the help queue.
    const supervisorPage = await context.newPage();
    const supervisor = await signedInApp(supervisorPage, bridgeScript, svc, TEAM.supervisor);
    disposers.push(() => supervisor.dispose());
    await supervisorPage.getByTestId('help-queue-button').click();
    await expect(supervisorPage.getByTestId('help-queue-item')).toHaveCount(1);
    await expect(supervisorPage.getByTestId('help-queue-item')).toContainText(TEAM.requester.pseudonym);

    // A teammate on a data folder of their own takes it, hears the clip and proposes text.
    const helperPage = await context.newPage();
    const helper = await signedInApp(helperPage, bridgeScript, svc, TEAM.teammate);
    disposers.push(() => helper.dispose());
    const queueButton = helperPage.getByTestId('help-queue-button');
    await queueButton.focus();
    await helperPage.keyboard.press('Enter');
    const queue = helperPage.getByTestId('help-queue-screen');
    await expect(queue.getByRole('heading', { name: 'Team help queue' })).toBeFocused();
    const item = queue.getByTestId('help-queue-item');
    await expect(item).toHaveCount(1);
    await expect(item.getByRole('heading')).toHaveText(`${TEAM.requester.pseudonym} · ${clip}`);
    await expect(item).not.toContainText('clip 0');
    await expectAccessible(helperPage);
    await item.getByRole('button', { name: 'Take and hear' }).click();
    const held = queue.getByTestId('held-request');
    await expect(held.getByRole('heading')).toHaveText(`Listening to clip ${clip}`);
    await expect(held.getByTestId('help-queue-window')).toContainText('The words asked about are heard between');
    const proposalBox = held.getByLabel(/What you hear there/);
    await expect(proposalBox).toBeFocused();
    await expectAccessible(helperPage);
    await helperPage.keyboard.type('clip zero');
    await held.getByRole('button', { name: 'Send proposal' }).click();
    await expect(queue.getByTestId('help-queue-outcome')).toContainText('Your proposal was sent to the requester');
    expect(helper.services.hearing.heldCount()).toBe(0);

    // The requester's next sync cycle brings the proposal beside the transcript.
    await requester.services.sync.syncNow();
    const panel = page.getByTestId('second-listen');
    const proposal = panel.getByTestId('second-listen-proposal');
    await expect(proposal).toContainText('Your words: clip');
    await expect(proposal).toContainText(`${TEAM.teammate.pseudonym} hears: clip zero`);
    await expectAccessible(page, '[data-testid="second-listen"]');
    await proposal.getByRole('button', { name: 'Accept' }).click();
    await expect(box).toHaveValue('clip zero 0');
    await expect(panel).toHaveCount(0);
    await expect
      .poll(async () => (await svc.query<{ decision: string }>('SELECT decision FROM listen_requests'))[0]?.decision)
      .toBe('accepted');
  } finally {
    for (const dispose of disposers.reverse()) {
      dispose();
    }
  }
});
