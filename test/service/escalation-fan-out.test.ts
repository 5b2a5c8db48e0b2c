/**
 * Who an escalation reaches, probed over real HTTP as an insider would with curl: every
 * supervisor of the escalating reviewer's team gets it with the note, and, before it is overdue,
 * nobody else does: not a supervisor of another team, not a supervisor account sitting in the
 * team as a plain member, whatever status they list, whichever route they try. An escalation
 * they may not see answers exactly as one that does not exist.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_SOURCE } from '../../service/audit';
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

describe('the fan-out of an escalation', () => {
  let svc: TestService;
  let ws: Awaited<ReturnType<typeof formTeams>>;
  let north2: Workstation;
  let sittingIn: Workstation;
  let opId: string;

  beforeAll(async () => {
    svc = await startTestService();
    ws = await formTeams(svc);
    for (const a of [SV_NORTH_2, SV_SITTING_IN]) {
      await svc.addAccount(a);
      await addTeamMember(svc.service.core, OPERATOR, 'north', a.account);
    }
    await setTeamRole(svc.service.core, OPERATOR, 'north', SV_NORTH_2.account, 'supervisor');
    north2 = await workstationFor(svc, SV_NORTH_2);
    sittingIn = await workstationFor(svc, SV_SITTING_IN);
    const [clip = ''] = await svc.addBatch(BATCH, 1);
    opId = randomUUID();
    const op: EscalationOp = {
      opId,
      batchId: BATCH,
      clipId: clip,
      category: 'crime_or_abuse',
      note: CANARY,
      createdAt: svc.now(),
    };
    const up = await ws.requester.call('POST', '/v1/escalations', { ops: [op] });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
  });
  afterAll(async () => {
    await svc.stop();
  });

  const listed = async (w: Workstation, status: string) => {
    const r = await w.call('GET', `/v1/escalations?status=${status}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return { text: JSON.stringify(r.body), escalations: escalationInboxResponseSchema.parse(r.body).escalations };
  };

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
