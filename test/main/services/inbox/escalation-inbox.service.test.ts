import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_SOURCE } from '../../../../service/audit';
import { DEMO_REVIEWER, DEMO_SUPERVISOR } from '../../../../service/seed';
import { addTeamMember, createTeam, setTeamRole } from '../../../../service/teams';
import { startTestService, type TestService } from '../../../support/reference-service';
import { makeServices, queryDb, type ServicesEnv } from '../../../support/services';
import { TEST_POLL_MS } from '../../../support/sync-driver';

const OPERATOR = { operator: 'tests', source: CLI_SOURCE };

describe('the escalation inbox on the workstation', { timeout: 60_000 }, () => {
  let svc: TestService;
  let reviewer: ServicesEnv;
  let supervisor: ServicesEnv;
  let offline = false;
  /** While set, the supervisor workstation's asks for escalations wait for it before going out. */
  let held: Promise<void> | null = null;

  beforeEach(async () => {
    offline = false;
    held = null;
    svc = await startTestService();
    await svc.addBatch('b-AAAAAAAAAAAA0001', 2);
    await svc.addAccount(DEMO_SUPERVISOR);
    const core = svc.service.core;
    await createTeam(core, OPERATOR, 'north');
    await addTeamMember(core, OPERATOR, 'north', DEMO_REVIEWER.account);
    await addTeamMember(core, OPERATOR, 'north', DEMO_SUPERVISOR.account);
    await setTeamRole(core, OPERATOR, 'north', DEMO_SUPERVISOR.account, 'supervisor');
    const sync = { pollIntervalMs: TEST_POLL_MS };
    reviewer = makeServices({ serviceUrl: svc.url, sync });
    // The supervisor's network can be cut: every request then fails as a network failure would.
    const cut: typeof fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (held && url.includes('/escalations')) {
        await held;
      }
      return offline ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
    };
    supervisor = makeServices({ serviceUrl: svc.url, sync: { ...sync, fetch: cut } });
  });
  afterEach(async () => {
    reviewer.dispose();
    supervisor.dispose();
    await svc.stop();
  });

  const signInSupervisor = async (): Promise<void> => {
    await supervisor.services.sync.signIn({
      account: DEMO_SUPERVISOR.account,
      password: DEMO_SUPERVISOR.password,
      totp: svc.nextCode(DEMO_SUPERVISOR),
      enrolmentCode: await svc.issueEnrolmentCode(DEMO_SUPERVISOR.account),
    });
  };

  const escalate = async (): Promise<string> => {
    await reviewer.services.sync.signIn(svc.credentials());
    await reviewer.services.sync.syncNow();
    const { id } = reviewer.services.annotations.escalate({
      batchId: 'b-AAAAAAAAAAAA0001',
      clipId: 'c-AAAAAAAAAAAA0000',
      category: 'self_harm',
      note: 'the caller sounded in danger',
    });
    await reviewer.services.sync.syncNow();
    return id;
  };

  it('refuses the inbox to a reviewer', async () => {
    await escalate();
    await expect(reviewer.services.inbox.list('open')).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await expect(reviewer.services.inbox.respond(crypto.randomUUID(), { action: 'acknowledge' })).rejects.toMatchObject(
      { code: 'FORBIDDEN_ROLE' },
    );
  });

  it('queues an answer made offline, sends it with the next cycle, and the reviewer reads the guidance', async () => {
    const opId = await escalate();
    await signInSupervisor();
    await supervisor.services.sync.syncNow();
    expect(supervisor.services.inbox.badge()).toMatchObject({ open: 1 });
    const view = await supervisor.services.inbox.list('open');
    expect(view).toMatchObject({ online: true, escalations: [{ opId, note: 'the caller sounded in danger' }] });

    offline = true;
    const answer = await supervisor.services.inbox.respond(opId, { action: 'guidance', text: 'take ten minutes' });
    expect(answer.sent).toBe(false);
    const waiting = await supervisor.services.inbox.list('open');
    expect(waiting).toMatchObject({ online: false, queued: [{ responseId: answer.responseId, state: 'pending' }] });
    // Sealed at rest: the guidance is not in the database file's rows.
    const rows = queryDb<{ body: Buffer }>(supervisor.dataDir, 'SELECT body FROM escalation_answers');
    expect(rows[0]?.body.toString('latin1')).not.toContain('take ten minutes');

    offline = false;
    await supervisor.services.sync.syncNow();
    expect((await supervisor.services.inbox.list('open')).queued).toEqual([]);
    expect(queryDb(supervisor.dataDir, 'SELECT state, length(body) AS n FROM escalation_answers')).toEqual([
      { state: 'sent', n: 0 },
    ]);

    const mine = await reviewer.services.inbox.mine();
    expect(mine).toMatchObject({
      online: true,
      unseen: 1,
      escalations: [{ opId, status: 'acknowledged', guidance: [{ text: 'take ten minutes' }] }],
    });
    reviewer.services.inbox.markSeen();
    expect((await reviewer.services.inbox.mine()).unseen).toBe(0);
  });

  it('settles an answer the service refuses as refused, and lets the supervisor dismiss it', async () => {
    const opId = await escalate();
    await signInSupervisor();
    expect((await supervisor.services.inbox.respond(opId, { action: 'acknowledge' })).sent).toBe(true);
    const again = await supervisor.services.inbox.respond(opId, { action: 'acknowledge' });
    expect(again.sent).toBe(false);
    const { queued } = await supervisor.services.inbox.list('acknowledged');
    expect(queued).toEqual([
      expect.objectContaining({ responseId: again.responseId, state: 'refused', problem: 'conflict' }),
    ]);
    supervisor.services.inbox.dismiss(again.responseId);
    expect((await supervisor.services.inbox.list('acknowledged')).queued).toEqual([]);
  });

  it('shows the next account signed in none of what the last one was told', async () => {
    await escalate();
    // The reviewer reads their escalation on the shared workstation, and leaves without signing out.
    await supervisor.services.sync.signIn(svc.credentials());
    expect((await supervisor.services.inbox.mine()).escalations).toHaveLength(1);
    await signInSupervisor();
    offline = true;
    expect(await supervisor.services.inbox.mine()).toMatchObject({ online: false, escalations: [], unseen: 0 });
    expect(supervisor.services.inbox.badge()).toEqual({ open: 0, urgent: 0, unseen: 0 });
  });
  it('drops an answer asked for in the last session that arrives after the next sign-in', async () => {
    await escalate();
    await supervisor.services.sync.signIn(svc.credentials());
    let release = (): void => undefined;
    held = new Promise((done) => {
      release = done;
    });
    // The reviewer's own escalations are on their way when the supervisor signs in over the session.
    const late = supervisor.services.inbox.mine();
    await signInSupervisor();
    release();
    await late;
    held = null;
    offline = true;
    expect(await supervisor.services.inbox.mine()).toMatchObject({ online: false, escalations: [], unseen: 0 });
    expect(supervisor.services.inbox.badge()).toEqual({ open: 0, urgent: 0, unseen: 0 });
  });
});
