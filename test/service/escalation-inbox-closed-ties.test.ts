/**
 * Escalations closed at the same instant (the service's clock counts in milliseconds; two
 * supervisors answering at once, or one answering fast, tie). The closed list is the 500 closed
 * last; among those closed at one instant it lists the ones saved first, first, and takes the same
 * ones into the 500 on either store, as it did when the service sorted them itself.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationInboxResponseSchema, MAX_INBOX_ESCALATIONS } from '../../shared/sync/escalation-inbox';
import { startTestService, type TestService } from '../support/reference-service';
import { formTeams } from '../support/team-workstations';

const BATCH = 'b-AAAAAAAAAAAT1E01';

describe('the closed escalations of one instant', () => {
  let svc: TestService;
  let ws: Awaited<ReturnType<typeof formTeams>>;

  beforeAll(async () => {
    svc = await startTestService();
    ws = await formTeams(svc);
  });
  afterAll(async () => {
    await svc.stop();
  });

  it('lists the same 500 in the order they were saved, whichever store holds them', async () => {
    const [clipId = ''] = await svc.addBatch(BATCH, 1);
    const t = svc.now();
    const opIds: string[] = [];
    for (let i = 0; i <= MAX_INBOX_ESCALATIONS; i += 100) {
      const ops = Array.from({ length: Math.min(100, MAX_INBOX_ESCALATIONS + 1 - i) }, (_, k) => ({
        opId: randomUUID(),
        batchId: BATCH,
        clipId,
        category: 'other',
        note: '',
        createdAt: t - 100_000 + i + k,
      }));
      opIds.push(...ops.map((o) => o.opId));
      expect((await ws.requester.call('POST', '/v1/escalations', { ops })).status).toBe(200);
    }
    // Every one closed in the order saved, all at the same instant: the clock does not move.
    for (const opId of opIds) {
      const close = { responseId: randomUUID(), action: 'close', reason: 'handled' };
      expect((await ws.supervisor.call('POST', `/v1/escalations/${opId}/responses`, close)).status).toBe(201);
    }

    const inbox = await ws.supervisor.call('GET', '/v1/escalations?status=closed');
    expect(inbox.status).toBe(200);
    const listed = escalationInboxResponseSchema.parse(inbox.body).escalations.map((e) => e.opId);
    expect(listed).toHaveLength(MAX_INBOX_ESCALATIONS);
    expect(listed).toEqual(opIds.slice(0, MAX_INBOX_ESCALATIONS));
  });
});
