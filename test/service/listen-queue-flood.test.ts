/**
 * The team help queue under a flood: a reviewer with a session and curl can ask for a second
 * listen on their own clips as often as they like, and each request lands in every teammate's
 * queue. The service keeps each requester to a bounded number of requests waiting for an answer,
 * and never answers a queue longer than a workstation reads (it refuses a longer one whole, which
 * would hide every colleague's request with the flood).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listenQueueResponseSchema,
  MAX_LISTEN_LIST,
  MAX_PENDING_LISTEN_REQUESTS,
  ownListenRequestsResponseSchema,
  type NewListenRequest,
} from '../../shared/sync/hearing-messages';
import { startTestService, type TestService } from '../support/reference-service';
import { formTeams, type Workstation } from '../support/team-workstations';

describe('second-listen requests from one reviewer', () => {
  let svc: TestService;
  let ws: Awaited<ReturnType<typeof formTeams>>;
  let batches = 0;

  beforeAll(async () => {
    svc = await startTestService();
    ws = await formTeams(svc);
  });
  afterAll(async () => {
    await svc.stop();
  });

  async function newBatch(): Promise<{ batchId: string; clipId: string }> {
    batches += 1;
    const batchId = `b-AAAAAAAAAAAF${String(batches).padStart(4, '0')}`;
    const [clipId = ''] = await svc.addBatch(batchId, 1);
    return { batchId, clipId };
  }

  const requestOn = (b: { batchId: string; clipId: string }): NewListenRequest => ({
    requestId: randomUUID(),
    ...b,
    span: { start: 0, end: 4 },
    window: { startMs: 0, endMs: 500 },
  });

  const ask = (r: NewListenRequest, w: Workstation = ws.requester) => w.call('POST', '/v1/listen-requests', r);

  it(`refuses a request beyond ${MAX_PENDING_LISTEN_REQUESTS} waiting for an answer, until one is answered`, async () => {
    const b = await newBatch();
    const asked: NewListenRequest[] = [];
    for (let i = 0; i < MAX_PENDING_LISTEN_REQUESTS; i += 1) {
      const r = requestOn(b);
      expect((await ask(r)).status).toBe(201);
      asked.push(r);
    }
    const over = await ask(requestOn(b));
    expect(over.status).toBe(409);
    expect(over.body).toEqual({
      error: { code: 'conflict', message: expect.stringContaining('waiting for an answer') as unknown },
    });
    // A request sent again is still answered as the same request.
    expect((await ask(asked[0] as NewListenRequest)).status).toBe(200);
    // The refusal is in the audit trail.
    const refused = await svc.query<{ n: number }>(
      "SELECT count(*) AS n FROM audit_events WHERE action = 'listen.request' AND outcome = 'refused'",
    );
    expect(Number(refused[0]?.n)).toBeGreaterThanOrEqual(1);
    // A teammate answers one: a place is free again.
    const first = asked[0]?.requestId ?? '';
    expect((await ws.teammate.call('POST', `/v1/listen-requests/${first}/take`)).status).toBe(200);
    expect((await ws.teammate.call('POST', `/v1/listen-requests/${first}/proposal`, { text: 'four' })).status).toBe(
      201,
    );
    expect((await ask(requestOn(b))).status).toBe(201);
    expect((await ask(requestOn(b))).status).toBe(409);
  });

  it('answers a queue a workstation can read, with the oldest requests, however many the store holds', async () => {
    const b = await newBatch();
    const now = svc.now();
    // More than an answer may carry, as a store filled before the limit above could hold.
    for (let i = 0; i < MAX_LISTEN_LIST + 20; i += 1) {
      await svc.service.core.store.hearings.addRequest(
        { ...requestOn(b), requester: ws.requester.account.account, createdAt: now - 60_000 + i },
        { max: Number.MAX_SAFE_INTEGER, since: 0, now },
      );
    }
    const queue = await ws.supervisor.call('GET', '/v1/listen-requests');
    expect(queue.status).toBe(200);
    const items = listenQueueResponseSchema.parse(queue.body).requests;
    expect(items).toHaveLength(MAX_LISTEN_LIST);
    expect(items.map((q) => q.createdAt)).toEqual([...items.map((q) => q.createdAt)].sort((x, y) => x - y));
    const own = await ws.requester.call('GET', '/v1/me/listen-requests');
    expect(own.status).toBe(200);
    expect(ownListenRequestsResponseSchema.parse(own.body).requests).toHaveLength(MAX_LISTEN_LIST);
  });
});
