/**
 * The closed list, read by the store (the supervisor's teams, or answered by the supervisor, the
 * 500 closed last), against the rule it stands for, worked out here from every closed escalation:
 * own team's or answered by this supervisor, newest closed first, ties in the order saved. Four
 * supervisors (of two teams, of one, of one another's, of none), a reviewer in two teams, an
 * account name full of quoting characters, answers across teams, many closed at one instant, more
 * than the list holds, and a withdrawn clip.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_SOURCE } from '../../service/audit';
import { withdrawClip } from '../../service/consent';
import { listInbox } from '../../service/escalation-inbox';
import { addBatch, type SeedAccount } from '../../service/seed';
import { addTeamMember, createTeam, setTeamRole } from '../../service/teams';
import { MAX_INBOX_ESCALATIONS } from '../../shared/sync/escalation-inbox';
import { silentClips } from '../support/packages';
import { startTestService, type TestService } from '../support/reference-service';
import { formTeams, TEAM_ACCOUNTS, workstationFor, type Workstation } from '../support/team-workstations';

const OPERATOR = { operator: 'tests', source: CLI_SOURCE };
const account = (name: string, pseudonym: string, role: SeedAccount['role']): SeedAccount => ({
  account: name,
  password: `password of ${name}`,
  totpSecret: TEAM_ACCOUNTS.requester.totpSecret,
  pseudonym,
  role,
});
const QUOTED = account(`o'r "q",{x}\\ é [1]`, 'rv-quoted', 'reviewer');
const EAST = account('supervisor-e', 'sv-e', 'supervisor');
const NO_TEAM = account('supervisor-n', 'sv-n', 'supervisor');

/** The same numbers each run. */
function numbers(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

describe('the closed escalations each supervisor is listed', () => {
  let svc: TestService;
  let ws: Awaited<ReturnType<typeof formTeams>>;

  beforeAll(async () => {
    svc = await startTestService();
    ws = await formTeams(svc);
    for (const a of [QUOTED, EAST, NO_TEAM]) {
      await svc.addAccount(a, { maxDevices: 4 });
    }
    // east: the north teammate too (a reviewer in two teams), supervised by east's own and north's.
    await createTeam(svc.service.core, OPERATOR, 'east');
    for (const a of [TEAM_ACCOUNTS.teammate, QUOTED, EAST, TEAM_ACCOUNTS.supervisor]) {
      await addTeamMember(svc.service.core, OPERATOR, 'east', a.account);
    }
    await setTeamRole(svc.service.core, OPERATOR, 'east', EAST.account, 'supervisor');
    await setTeamRole(svc.service.core, OPERATOR, 'east', TEAM_ACCOUNTS.supervisor.account, 'supervisor');
  });
  afterAll(async () => {
    await svc.stop();
  });

  it('are exactly their own teams’ and the ones they answered, the 500 closed last', async () => {
    const rnd = numbers(7);
    const reviewers: Workstation[] = [ws.requester, ws.teammate, ws.outsider, await workstationFor(svc, QUOTED)];
    const supervisors = [TEAM_ACCOUNTS.supervisor, TEAM_ACCOUNTS.otherSupervisor, EAST, NO_TEAM].map((a) => a.account);
    const sent: { opId: string; batchId: string; clipId: string }[] = [];
    for (const [i, r] of reviewers.entries()) {
      const batchId = `b-AAAAAAAAAAAS1G0${i}`;
      const clips = silentClips(2);
      await addBatch(svc.service.core, { batchId, assignedTo: r.account.account, clips });
      for (let k = 0; k < 3; k += 1) {
        const ops = Array.from({ length: 100 }, (_, j) => ({
          opId: randomUUID(),
          batchId,
          clipId: clips[j % 2]?.details.id ?? '',
          category: 'other',
          note: 'note',
          createdAt: svc.now() - rnd(5) * 1000,
        }));
        expect((await r.call('POST', '/v1/escalations', { ops })).status).toBe(200);
        sent.push(...ops);
      }
    }
    // Answered straight in the store, by any supervisor (one answers another team's when it is
    // overdue), closed at few distinct instants so that many tie; a tenth left open.
    const store = svc.service.core.store;
    const answer = (opId: string, by: string, action: 'guidance' | 'close', at: number): Promise<void> =>
      store.escalations.addResponse({
        responseId: randomUUID(),
        opId,
        account: by,
        action,
        body: action === 'close' ? '{"reason":"handled"}' : '{"text":"breathe"}',
        bodyHash: Buffer.alloc(32),
        statusAfter: action === 'close' ? 'closed' : 'acknowledged',
        at,
      });
    for (const e of sent) {
      if (rnd(10) === 0) {
        continue;
      }
      if (rnd(3) === 0) {
        await answer(e.opId, supervisors[rnd(4)] ?? '', 'guidance', 1_000 + rnd(50));
      }
      await answer(e.opId, supervisors[rnd(4)] ?? '', 'close', 2_000 + rnd(150));
    }
    const [erased] = sent;
    await withdrawClip(svc.service.core, {
      batchId: erased?.batchId ?? '',
      clipId: erased?.clipId ?? '',
      actor: 'tests',
      source: CLI_SOURCE,
    });

    const closed = await store.escalations.withStatus('closed');
    const answers = await store.escalations.responses(closed.map((r) => r.opId));
    const counts: number[] = [];
    for (const sv of supervisors) {
      const team = new Set((await store.teams.supervisedMembers(sv)).map((m) => m.account));
      const expected = closed
        .filter((r) => team.has(r.account) || answers.some((a) => a.opId === r.opId && a.account === sv))
        .sort((a, b) => (b.updatedAt ?? 0) - (a.updatedAt ?? 0))
        .slice(0, MAX_INBOX_ESCALATIONS);
      const row = await store.accounts.find(sv);
      const listed = row ? (await listInbox(store, row, 'closed', svc.now())).escalations : [];
      expect(listed.map((e) => e.opId)).toEqual(expected.map((r) => r.opId));
      // Another team's note never reaches this supervisor, though they answered.
      expect(listed.filter((e) => e.note !== null).map((e) => e.opId)).toEqual(
        expected.filter((r) => team.has(r.account)).map((r) => r.opId),
      );
      expect(listed.map((e) => e.opId)).not.toContain(erased?.opId);
      counts.push(listed.length);
    }
    // The case each supervisor stands for is there: the list full, and some answered of another team.
    expect(counts.filter((n) => n === MAX_INBOX_ESCALATIONS).length).toBeGreaterThan(0);
    expect(counts[3]).toBeGreaterThan(0);
  });
});
