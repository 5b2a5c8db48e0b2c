/**
 * Hearing one clip from the workstation against the reference service: a supervisor's app holds
 * an escalated clip apart from its batches, plays it from memory and erases it at lock; two
 * reviewers' apps go through a second listen from request to accepted proposal, and an app of
 * another team cannot take the request.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Services } from '../../../main/services';
import { DEMO_REVIEWER, type SeedAccount } from '../../../service/seed';
import type { EscalationOp } from '../../../shared/sync/messages';
import { silenceWav } from '../../support/packages';
import { startTestService, type TestService } from '../../support/reference-service';
import { makeServices, makeTestClock, type ServicesEnv } from '../../support/services';
import { recordingTimers, TEST_POLL_MS } from '../../support/sync-driver';
import { formTeams, TEAM_ACCOUNTS, type Workstation } from '../../support/team-workstations';

const BATCH = 'b-AAAAAAAAAAAC0001';

describe('hearing one clip on the workstation', () => {
  let svc: TestService;
  let ws: Record<keyof typeof TEAM_ACCOUNTS, Workstation>;
  let clips: string[];
  const envs: ServicesEnv[] = [];

  beforeAll(async () => {
    svc = await startTestService();
    clips = await svc.addBatch(BATCH, 2);
    ws = await formTeams(svc);
  });
  afterAll(async () => {
    for (const env of envs) {
      await env.services.sync.stop();
      env.dispose();
    }
    await svc.stop();
  });

  /** An app signed in to the service as `a`, on a key of its own approved with an operator's code. */
  async function appFor(a: SeedAccount): Promise<Services> {
    const env = makeServices({
      serviceUrl: svc.url,
      clock: makeTestClock(svc.now()),
      sync: { timers: recordingTimers(), random: () => 0.5, pollIntervalMs: TEST_POLL_MS },
    });
    envs.push(env);
    await env.services.sync.signIn({
      account: a.account,
      password: a.password,
      totp: svc.nextCode(a),
      enrolmentCode: await svc.issueEnrolmentCode(a.account),
    });
    return env.services;
  }

  /** The requester escalates clip `index` of the batch; returns the escalation's op id. */
  async function escalated(index: number): Promise<string> {
    const opId = randomUUID();
    const op: EscalationOp = {
      opId,
      batchId: BATCH,
      clipId: clips[index] ?? '',
      category: 'other',
      note: '',
      createdAt: 1,
    };
    expect((await ws.requester.call('POST', '/v1/escalations', { ops: [op] })).status).toBe(200);
    return opId;
  }

  const auditRows = (action: string, subject: string) =>
    svc.query<{ actor: string; outcome: string }>(
      'SELECT actor, outcome FROM audit_events WHERE action = ? AND subject = ? ORDER BY seq',
      action,
      subject,
    );

  it('holds an escalated clip for the supervisor, plays it from memory, reports it, and erases it at lock', async () => {
    const opId = await escalated(0);
    const app = await appFor(TEAM_ACCOUNTS.supervisor);

    const held = await app.hearing.hearEscalation(opId);
    expect(held).toMatchObject({ holdId: opId, kind: 'escalation', clipId: clips[0], window: null });
    const heard = app.hearing.open(opId);
    expect(Buffer.from(heard.audio).equals(silenceWav(300))).toBe(true);
    await vi.waitFor(async () =>
      expect(await auditRows('clip.playback', opId)).toEqual([{ actor: 'supervisor', outcome: 'ok' }]),
    );

    app.lock.lock('manual');
    expect(app.hearing.heldCount()).toBe(0);
  });

  it('erases a held clip when another account signs in over the session', async () => {
    const opId = await escalated(1);
    const app = await appFor(TEAM_ACCOUNTS.supervisor);
    await app.hearing.hearEscalation(opId);
    expect(app.hearing.heldCount()).toBe(1);
    // No sign-out between: the supervisor's session lapsed and the next account signs in.
    app.session.signIn({ pseudonym: 'rv-next', role: 'reviewer' });
    expect(app.hearing.heldCount()).toBe(0);
  });

  it('does not hold a clip that arrives after the app locked while it was fetched', async () => {
    const opId = await escalated(1);
    const app = await appFor(TEAM_ACCOUNTS.supervisor);
    const late = app.hearing.hearEscalation(opId);
    app.lock.lock('manual');
    await expect(late).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(late).rejects.toThrow(/not kept/);
    expect(app.hearing.heldCount()).toBe(0);
  });

  it('refuses a reviewer’s app the escalated clip', async () => {
    const opId = randomUUID();
    const op: EscalationOp = {
      opId,
      batchId: BATCH,
      clipId: clips[1] ?? '',
      category: 'other',
      note: '',
      createdAt: 1,
    };
    await ws.requester.call('POST', '/v1/escalations', { ops: [op] });
    const app = await appFor(TEAM_ACCOUNTS.teammate);
    await expect(app.hearing.hearEscalation(opId)).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(app.hearing.heldCount()).toBe(0);
  });

  it('takes a second listen from request to accepted proposal across two apps; another team cannot take it', async () => {
    const requester = await appFor(DEMO_REVIEWER);
    const helper = await appFor(TEAM_ACCOUNTS.teammate);
    const outsider = await appFor(TEAM_ACCOUNTS.outsider);
    const window = { startMs: 50, endMs: 200 };
    const { requestId } = await requester.hearing.ask({
      batchId: BATCH,
      clipId: clips[1] ?? '',
      span: { start: 5, end: 9 },
      window,
    });
    expect((await helper.hearing.queue()).map((q) => q.requestId)).toContain(requestId);
    expect(await outsider.hearing.queue()).toEqual([]);
    await expect(outsider.hearing.take(requestId)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const held = await helper.hearing.take(requestId);
    expect(held).toMatchObject({ holdId: requestId, kind: 'second_listen', window });
    expect(helper.hearing.open(requestId).window).toEqual(window);
    await helper.hearing.propose(requestId, 'clip one');
    expect(helper.hearing.heldCount()).toBe(0);

    // The proposal reaches the requester's app with its next sync cycle, not on a read.
    expect(requester.hearing.mine().find((r) => r.requestId === requestId)?.state).not.toBe('answered');
    await requester.sync.syncNow();
    const mine = requester.hearing.mine();
    expect(mine.find((r) => r.requestId === requestId)).toMatchObject({
      state: 'answered',
      span: { start: 5, end: 9 },
      proposal: 'clip one',
      helper: TEAM_ACCOUNTS.teammate.pseudonym,
    });
    await requester.hearing.decide(requestId, 'accepted');
    expect(requester.hearing.mine().find((r) => r.requestId === requestId)?.state).toBe('accepted');
  });
});
