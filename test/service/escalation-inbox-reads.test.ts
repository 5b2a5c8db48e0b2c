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
import { formTeams } from '../support/team-workstations';

const BATCH = 'b-AAAAAAAAAAAJ0001';
const ESCALATIONS = 30;

/** Counts calls of the timing and op reads the inbox makes, while `counting` is on. */
function readCounter() {
  const calls = new Map<string, number>();
  const state = { counting: false };
  const count = <T extends object>(name: string, repo: T): T =>
    new Proxy(repo, {
      get(target, method, receiver) {
        const fn: unknown = Reflect.get(target, method, receiver);
        if (typeof fn !== 'function' || typeof method !== 'string') {
          return fn;
        }
        return (...args: unknown[]) => {
          if (state.counting) {
            calls.set(`${name}.${method}`, (calls.get(`${name}.${method}`) ?? 0) + 1);
          }
          return (fn as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const wrap = (store: ServiceStore): ServiceStore =>
    Object.assign(Object.create(store) as ServiceStore, {
      timing: count('timing', store.timing),
      ops: count('ops', store.ops),
    });
  return { calls, state, wrap };
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
});
