/**
 * Who an escalation reaches, probed over real HTTP as an insider would with curl: every
 * supervisor of the escalating reviewer's team gets it with the note, and, before it is overdue,
 * nobody else does: not a supervisor of another team, not a supervisor account sitting in the
 * team as a plain member, whatever status they list, whichever route they try. An escalation
 * they may not see answers exactly as one that does not exist. Left unacknowledged for twice the
 * urgent time the operator set, it reaches every supervisor of the organisation, without the
 * note, until a supervisor acknowledges it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI_SOURCE } from '../../service/audit';
import { setInboxSetting } from '../../service/inbox-settings';
import type { SeedAccount } from '../../service/seed';
import { addTeamMember, setTeamRole } from '../../service/teams';
import { escalationInboxResponseSchema, escalationStatuses } from '../../shared/sync/escalation-inbox';
import type { EscalationOp } from '../../shared/sync/messages';
import { startTestService, type TestService } from '../support/reference-service';
import { formTeams, TEAM_ACCOUNTS, workstationFor, type Workstation } from '../support/team-workstations';

const OPERATOR = { operator: 'tests', source: CLI_SOURCE };
const BATCH = 'b-AAAAAAAAAAAF0001';
/** Words only the reviewer's own supervisors may ever read. */
const CANARY = 'fan-out-canary: he is still in the house';

const account = (name: string, pseudonym: string): SeedAccount => ({
  account: name,
  password: `password of ${name}`,
  totpSecret: TEAM_ACCOUNTS.requester.totpSecret,
  pseudonym,
  role: 'supervisor',
});
/** A second supervisor of the requester's team. */
const SV_NORTH_2 = account('supervisor-n2', 'sv-n2');
/** A supervisor account that is a plain member of the requester's team, not its supervisor. */
const SV_SITTING_IN = account('supervisor-member', 'sv-member');

/** Adds the insiders beside both teams and uploads one escalation from the requester, made now. */
async function escalateInTeams(svc: TestService) {
  const ws = await formTeams(svc);
  for (const a of [SV_NORTH_2, SV_SITTING_IN]) {
    await svc.addAccount(a);
    await addTeamMember(svc.service.core, OPERATOR, 'north', a.account);
  }
  await setTeamRole(svc.service.core, OPERATOR, 'north', SV_NORTH_2.account, 'supervisor');
  const north2 = await workstationFor(svc, SV_NORTH_2);
  const sittingIn = await workstationFor(svc, SV_SITTING_IN);
  const [clip = ''] = await svc.addBatch(BATCH, 1);
  const op: EscalationOp = {
    opId: randomUUID(),
    batchId: BATCH,
    clipId: clip,
    category: 'crime_or_abuse',
    note: CANARY,
    createdAt: svc.now(),
  };
  const up = await ws.requester.call('POST', '/v1/escalations', { ops: [op] });
  expect(up.status, JSON.stringify(up.body)).toBe(200);
  return { ws, north2, sittingIn, opId: op.opId };
}

async function listed(w: Workstation, status: string) {
  const r = await w.call('GET', `/v1/escalations?status=${status}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { text: JSON.stringify(r.body), escalations: escalationInboxResponseSchema.parse(r.body).escalations };
}

describe('the fan-out of an escalation', () => {
  let svc: TestService;
  let ws: Awaited<ReturnType<typeof formTeams>>;
  let north2: Workstation;
  let sittingIn: Workstation;
  let opId: string;

  beforeAll(async () => {
    svc = await startTestService();
    ({ ws, north2, sittingIn, opId } = await escalateInTeams(svc));
  });
  afterAll(async () => {
    await svc.stop();
  });

  it('reaches every supervisor of the reviewer’s team, with the note', async () => {
    for (const w of [ws.supervisor, north2]) {
      const open = await listed(w, 'open');
      expect(open.escalations).toMatchObject([{ opId, note: CANARY, ownTeam: true, overdue: false }]);
    }
  });

  it('gives a supervisor of another team, and one sitting in the team as a member, nothing at all', async () => {
    const unknown = randomUUID();
    for (const insider of [ws.otherSupervisor, sittingIn]) {
      for (const status of escalationStatuses) {
        const seen = await listed(insider, status);
        expect(seen.escalations).toEqual([]);
        expect(seen.text).not.toContain(opId);
      }
      // Answering it, hearing its clip: the same refusal as for an escalation that never was.
      const answer = { responseId: randomUUID(), action: 'close', reason: 'not mine' };
      const respond = await insider.call('POST', `/v1/escalations/${opId}/responses`, answer);
      const respondUnknown = await insider.call('POST', `/v1/escalations/${unknown}/responses`, answer);
      expect(respond).toMatchObject({ status: 404 });
      expect(respond.body).toEqual(respondUnknown.body);
      const clip = await insider.bytes(`/v1/escalations/${opId}/clip`, { keyId: insider.device.keyId });
      const clipUnknown = await insider.bytes(`/v1/escalations/${unknown}/clip`, { keyId: insider.device.keyId });
      expect([clip.status, clip.code]).toEqual([clipUnknown.status, clipUnknown.code]);
      expect(clip.status).toBeGreaterThanOrEqual(400);
      // Nor the reviewer's shifts, nor their own escalations list.
      const shifts = await insider.call('GET', `/v1/team/shifts?reviewer=${TEAM_ACCOUNTS.requester.pseudonym}`);
      expect(JSON.stringify(shifts.body)).not.toContain(TEAM_ACCOUNTS.requester.pseudonym);
      const mine = await insider.call('GET', '/v1/me/escalations');
      expect(JSON.stringify(mine.body)).not.toContain(opId);
      for (const text of [respond, clip, shifts, mine].map((r) => JSON.stringify('body' in r ? r.body : r.code))) {
        expect(text).not.toContain('fan-out-canary');
      }
    }
    expect(await svc.query('SELECT * FROM escalation_responses')).toEqual([]);
  });

  it('refuses a reviewer of the same team the inbox', async () => {
    const r = await ws.teammate.call('GET', '/v1/escalations?status=open');
    expect(r).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(JSON.stringify(r.body)).not.toContain('fan-out-canary');
  });

  it('shows one supervisor’s answer to the other supervisor of the team, and still nothing outside it', async () => {
    const ack = await ws.supervisor.call('POST', `/v1/escalations/${opId}/responses`, {
      responseId: randomUUID(),
      action: 'acknowledge',
    });
    expect(ack.status).toBe(201);
    const acknowledged = await listed(north2, 'acknowledged');
    expect(acknowledged.escalations).toMatchObject([
      { opId, note: CANARY, responses: [{ action: 'acknowledge', by: TEAM_ACCOUNTS.supervisor.pseudonym }] },
    ]);
    for (const insider of [ws.otherSupervisor, sittingIn]) {
      expect((await listed(insider, 'acknowledged')).escalations).toEqual([]);
    }
  });
});

describe('the fan-out of an escalation left unacknowledged', () => {
  /** The urgent time the operator sets: not the default, so the rule is seen to follow it. */
  const URGENT = 10 * 60_000;
  let svc: TestService;
  let ws: Awaited<ReturnType<typeof formTeams>>;
  let sittingIn: Workstation;
  let opId: string;

  beforeEach(async () => {
    svc = await startTestService();
    await setInboxSetting(svc.service.core, OPERATOR, { key: 'urgentAfterMs', value: URGENT });
    // Every workstation signs in (which turns the clock) before the escalation is made, so its age
    // is the time the test moves the clock by and nothing else.
    ({ ws, sittingIn, opId } = await escalateInTeams(svc));
  });
  afterEach(async () => {
    await svc.stop();
  });

  const seesNothing = async (insider: Workstation): Promise<void> => {
    for (const status of escalationStatuses) {
      const seen = await listed(insider, status);
      expect(seen.escalations).toEqual([]);
      expect(seen.text).not.toContain(opId);
    }
  };

  it('reaches every supervisor of the organisation, without the note, at twice the urgent time and not before', async () => {
    svc.advance(2 * URGENT - 1);
    const own = await listed(ws.supervisor, 'open');
    expect(own.escalations).toMatchObject([{ opId, urgent: true, overdue: false, ownTeam: true, note: CANARY }]);
    for (const insider of [ws.otherSupervisor, sittingIn]) {
      await seesNothing(insider);
    }
    svc.advance(1);
    for (const insider of [ws.otherSupervisor, sittingIn]) {
      const seen = await listed(insider, 'open');
      expect(seen.escalations).toMatchObject([
        { opId, reviewer: TEAM_ACCOUNTS.requester.pseudonym, overdue: true, ownTeam: false, note: null },
      ]);
      expect(seen.escalations[0]?.ageMs).toBe(2 * URGENT);
      expect(seen.text).not.toContain('fan-out-canary');
    }
    expect((await listed(ws.supervisor, 'open')).escalations).toMatchObject([{ opId, overdue: true, note: CANARY }]);
    // Reviewers, of the team or not, still get no inbox at all.
    for (const reviewer of [ws.teammate, ws.outsider]) {
      const r = await reviewer.call('GET', '/v1/escalations?status=open');
      expect(r).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    }
  });

  it('leaves the other supervisors’ inboxes for good once its own supervisor acknowledges it', async () => {
    svc.advance(2 * URGENT);
    expect((await listed(ws.otherSupervisor, 'open')).escalations.map((e) => e.opId)).toEqual([opId]);
    const ack = await ws.supervisor.call('POST', `/v1/escalations/${opId}/responses`, {
      responseId: randomUUID(),
      action: 'acknowledge',
    });
    expect(ack).toMatchObject({ status: 201, body: { status: 'acknowledged' } });
    svc.advance(10 * URGENT);
    for (const insider of [ws.otherSupervisor, sittingIn]) {
      await seesNothing(insider);
      const late = await insider.call('POST', `/v1/escalations/${opId}/responses`, {
        responseId: randomUUID(),
        action: 'close',
        reason: 'not mine',
      });
      expect(late).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    }
    expect((await listed(ws.supervisor, 'acknowledged')).escalations).toMatchObject([{ opId, overdue: false }]);
  });

  it('stays with a supervisor of another team who acknowledged it when overdue, and with nobody else outside', async () => {
    svc.advance(2 * URGENT);
    const ack = await ws.otherSupervisor.call('POST', `/v1/escalations/${opId}/responses`, {
      responseId: randomUUID(),
      action: 'acknowledge',
    });
    expect(ack.status, JSON.stringify(ack.body)).toBe(201);
    const kept = await listed(ws.otherSupervisor, 'acknowledged');
    expect(kept.escalations).toMatchObject([{ opId, ownTeam: false, note: null }]);
    expect(kept.text).not.toContain('fan-out-canary');
    await seesNothing(sittingIn);
    expect((await listed(ws.supervisor, 'acknowledged')).escalations).toMatchObject([
      { opId, note: CANARY, responses: [{ action: 'acknowledge', by: TEAM_ACCOUNTS.otherSupervisor.pseudonym }] },
    ]);
  });
});
