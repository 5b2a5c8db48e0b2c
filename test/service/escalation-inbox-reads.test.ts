/**
 * What one listing of the escalation inbox reads, counted (never timed). Escalations and timing
 * records are both the reviewer's to send, so a reviewer with hundreds of escalations in one shift
 * and many shift records must not make each supervisor's listing read those records again for
 * every escalation: each reviewer's shift records are read once per listing, and each shift's
 * escalations counted once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationInboxResponseSchema } from '../../shared/sync/escalation-inbox';
import type { EscalationOp } from '../../shared/sync/messages';
import type { ServiceStore } from '../../service/store/repositories';
import { testRowId } from '../support/ids';
import { startTestService, type TestService } from '../support/reference-service';
import { addBatch } from '../../service/seed';
import { silentClips } from '../support/packages';
import { formTeams, TEAM_ACCOUNTS, type Workstation } from '../support/team-workstations';

const BATCH = 'b-AAAAAAAAAAAJ0001';
const ESCALATIONS = 30;

/** Counts calls of the timing, op and escalation reads the inbox makes, and the rows they return, while `counting` is on. */
function readCounter() {
  const calls = new Map<string, number>();
  const rows = new Map<string, number>();
  const state = { counting: false };
  const count = <T extends object>(name: string, repo: T): T =>
    new Proxy(repo, {
      get(target, method, receiver) {
        const fn: unknown = Reflect.get(target, method, receiver);
        if (typeof fn !== 'function' || typeof method !== 'string') {
          return fn;
        }
        return (...args: unknown[]) => {
          const key = `${name}.${method}`;
          const counting = state.counting;
          if (counting) {
            calls.set(key, (calls.get(key) ?? 0) + 1);
          }
          const result = (fn as (...a: unknown[]) => unknown).apply(target, args);
          return counting && result instanceof Promise
            ? result.then((value: unknown) => {
                rows.set(key, (rows.get(key) ?? 0) + (Array.isArray(value) ? value.length : 0));
                return value;
              })
            : result;
        };
      },
    });
  const wrap = (store: ServiceStore): ServiceStore =>
    Object.assign(Object.create(store) as ServiceStore, {
      timing: count('timing', store.timing),
      ops: count('ops', store.ops),
      escalations: count('escalations', store.escalations),
    });
  return { calls, rows, state, wrap };
}

describe('one listing of the escalation inbox', () => {
  const counter = readCounter();
  let svc: TestService;
  let ws: Awaited<ReturnType<typeof formTeams>>;

  beforeAll(async () => {
    svc = await startTestService({ wrapStore: counter.wrap });
    ws = await formTeams(svc);
  });
  afterAll(async () => {
    await svc.stop();
  });

  it('reads a reviewer’s shifts once, however many of their escalations it lists', async () => {
    const [clipId = ''] = await svc.addBatch(BATCH, 1);
    const t = svc.now();
    const shift = {
      id: `${ws.requester.device.keyId}-1`,
      kind: 'shift',
      values: {
        id: testRowId('s-long'),
        pseudonym: 'rv-7f3a21',
        startedAt: t - 3_600_000,
        startReason: 'sign_in',
        lastActivityAt: t,
        endedAt: null,
        endReason: null,
      },
    };
    expect((await ws.requester.call('POST', '/v1/timing', { records: [shift] })).status).toBe(200);
    const ops: EscalationOp[] = Array.from({ length: ESCALATIONS }, (_, i) => ({
      opId: randomUUID(),
      batchId: BATCH,
      clipId,
      category: 'other',
      note: '',
      createdAt: t - 60_000 + i,
    }));
    expect((await ws.requester.call('POST', '/v1/escalations', { ops })).status).toBe(200);

    counter.state.counting = true;
    const inbox = await ws.supervisor.call('GET', '/v1/escalations');
    counter.state.counting = false;

    expect(inbox.status).toBe(200);
    const listed = escalationInboxResponseSchema.parse(inbox.body).escalations;
    expect(listed).toHaveLength(ESCALATIONS);
    // Every one is placed in the shift, with the count of the shift's escalations.
    expect(new Set(listed.map((e) => `${e.shiftId ?? 'none'} ${e.shiftEscalations}`))).toEqual(
      new Set([`${testRowId('s-long')} ${ESCALATIONS}`]),
    );
    expect(counter.calls.get('timing.shiftRecords')).toBe(1);
    expect(counter.calls.get('ops.escalationTimes')).toBe(1);
  });

  it('reads only the closed escalations it lists, not every one the organisation ever closed', async () => {
    const own = await svc.addBatch('b-AAAAAAAAAAAJ0002', 1);
    const clips = silentClips(1);
    await addBatch(svc.service.core, {
      batchId: 'b-AAAAAAAAAAAJ0003',
      assignedTo: TEAM_ACCOUNTS.outsider.account,
      clips,
    });
    const escalate = async (who: Workstation, batchId: string, clipId: string, n: number): Promise<string[]> => {
      const ops = Array.from({ length: n }, () => ({
        opId: randomUUID(),
        batchId,
        clipId,
        category: 'other',
        note: '',
        createdAt: svc.now(),
      }));
      expect((await who.call('POST', '/v1/escalations', { ops })).status).toBe(200);
      return ops.map((o) => o.opId);
    };
    const close = async (by: Workstation, opIds: readonly string[]): Promise<void> => {
      for (const opId of opIds) {
        svc.advance(1_000);
        const answer = { responseId: randomUUID(), action: 'close', reason: 'handled' };
        expect((await by.call('POST', `/v1/escalations/${opId}/responses`, answer)).status).toBe(201);
      }
    };
    // Another team's, closed by their own supervisor: twenty, none of them this supervisor's to see.
    await close(ws.otherSupervisor, await escalate(ws.outsider, 'b-AAAAAAAAAAAJ0003', clips[0]?.details.id ?? '', 20));
    const mine = await escalate(ws.requester, 'b-AAAAAAAAAAAJ0002', own[0] ?? '', 3);
    await close(ws.supervisor, mine);

    counter.calls.clear();
    counter.rows.clear();
    counter.state.counting = true;
    const inbox = await ws.supervisor.call('GET', '/v1/escalations?status=closed');
    counter.state.counting = false;

    expect(inbox.status).toBe(200);
    const listed = escalationInboxResponseSchema.parse(inbox.body).escalations.map((e) => e.opId);
    expect(listed).toEqual([...mine].reverse());
    expect(counter.calls.get('escalations.withStatus')).toBeUndefined();
    expect(counter.rows.get('escalations.closedSeenBy')).toBe(mine.length);
  });
});
