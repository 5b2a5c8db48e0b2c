/**
 * A second-listen request opens one clip to the requester's teams while the batch is theirs. Once
 * an operator assigns the batch to a reviewer of another team, the requester's teammates can no
 * longer take the request nor hear the clip, whatever they were given before.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_SOURCE } from '../../service/audit';
import { assignBatch } from '../../service/batch-admin';
import {
  listenQueueResponseSchema,
  ownListenRequestsResponseSchema,
  type NewListenRequest,
} from '../../shared/sync/hearing-messages';
import { startTestService, type TestService } from '../support/reference-service';
import { formTeams } from '../support/team-workstations';

const OPERATOR = { operator: 'tests', source: CLI_SOURCE };

describe('a second-listen request whose batch was assigned to another reviewer', () => {
  let svc: TestService;
  let ws: Awaited<ReturnType<typeof formTeams>>;

  beforeAll(async () => {
    svc = await startTestService();
    ws = await formTeams(svc);
  });
  afterAll(async () => {
    await svc.stop();
  });

  it('is taken, heard and answered by nobody once the batch is no longer the requester’s', async () => {
    const batchId = 'b-AAAAAAAAAAAG0001';
    const [clipId = '', otherClip = ''] = await svc.addBatch(batchId, 2);
    const ask = (id: string, clip: string): NewListenRequest => ({
      requestId: id,
      batchId,
      clipId: clip,
      span: { start: 0, end: 4 },
      window: { startMs: 0, endMs: 500 },
    });
    const open = randomUUID();
    const taken = randomUUID();
    expect((await ws.requester.call('POST', '/v1/listen-requests', ask(open, clipId))).status).toBe(201);
    expect((await ws.requester.call('POST', '/v1/listen-requests', ask(taken, otherClip))).status).toBe(201);
    expect((await ws.teammate.call('POST', `/v1/listen-requests/${taken}/take`)).status).toBe(200);

    await assignBatch(svc.service.core, OPERATOR, batchId, ws.outsider.account.account);

    // Neither the open request nor the one taken before reaches the requester's team any more.
    for (const id of [open, taken]) {
      expect((await ws.supervisor.call('POST', `/v1/listen-requests/${id}/take`)).status).toBe(403);
      const clip = await ws.teammate.bytes(`/v1/listen-requests/${id}/clip`, { keyId: ws.teammate.device.keyId });
      expect(clip.status).toBe(403);
    }
    const proposal = await ws.teammate.call('POST', `/v1/listen-requests/${taken}/proposal`, { text: 'four' });
    expect(proposal.status).toBe(403);
    for (const w of [ws.teammate, ws.supervisor]) {
      const queue = await w.call('GET', '/v1/listen-requests');
      expect(listenQueueResponseSchema.parse(queue.body).requests.filter((q) => q.batchId === batchId)).toEqual([]);
    }
    // The requester sees both ended, and may ask no more on the batch.
    const own = await ws.requester.call('GET', '/v1/me/listen-requests');
    const states = ownListenRequestsResponseSchema
      .parse(own.body)
      .requests.filter((r) => r.batchId === batchId)
      .map((r) => r.state);
    expect(states).toEqual(['expired', 'expired']);
    expect((await ws.requester.call('POST', '/v1/listen-requests', ask(randomUUID(), clipId))).status).toBe(404);
  });
});
