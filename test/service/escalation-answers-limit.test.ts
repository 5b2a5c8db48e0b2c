/**
 * Answers to one escalation are read by every supervisor who sees it and by its reviewer, so one
 * supervisor cannot pile up answers on it without end: past the limit only a close is taken, and
 * the inbox and the reviewer's own list stay answers a workstation can read.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  escalationInboxResponseSchema,
  MAX_ESCALATION_RESPONSES,
  myEscalationsResponseSchema,
} from '../../shared/sync/escalation-inbox';
import type { EscalationOp } from '../../shared/sync/messages';
import { startTestService, type TestService } from '../support/reference-service';
import { formTeams } from '../support/team-workstations';

describe('answers to one escalation', () => {
  let svc: TestService;
  let ws: Awaited<ReturnType<typeof formTeams>>;

  beforeAll(async () => {
    svc = await startTestService();
    ws = await formTeams(svc);
  });
  afterAll(async () => {
    await svc.stop();
  });

  it(`take ${MAX_ESCALATION_RESPONSES} at most, then only a close`, async () => {
    const batchId = 'b-AAAAAAAAAAAK0001';
    const [clipId = ''] = await svc.addBatch(batchId, 1);
    const op: EscalationOp = {
      opId: randomUUID(),
      batchId,
      clipId,
      category: 'other',
      note: 'please call me',
      createdAt: svc.now(),
    };
    expect((await ws.requester.call('POST', '/v1/escalations', { ops: [op] })).status).toBe(200);
    const answer = (body: Record<string, unknown>) =>
      ws.supervisor.call('POST', `/v1/escalations/${op.opId}/responses`, { responseId: randomUUID(), ...body });

    expect((await answer({ action: 'acknowledge' })).status).toBe(201);
    for (let i = 1; i < MAX_ESCALATION_RESPONSES; i += 1) {
      expect((await answer({ action: 'guidance', text: `guidance ${i}` })).status).toBe(201);
    }
    const over = await answer({ action: 'guidance', text: 'one more' });
    expect(over.status).toBe(409);
    expect(over.body).toEqual({
      error: { code: 'conflict', message: expect.stringContaining('only closing it') as unknown },
    });
    expect((await answer({ action: 'refer', to: 'Welfare' })).status).toBe(409);

    // The inbox and the reviewer's list still read, with every answer taken.
    const inbox = await ws.supervisor.call('GET', '/v1/escalations?status=acknowledged');
    const listed = escalationInboxResponseSchema.parse(inbox.body).escalations.find((e) => e.opId === op.opId);
    expect(listed?.responses).toHaveLength(MAX_ESCALATION_RESPONSES);
    const mine = myEscalationsResponseSchema.parse((await ws.requester.call('GET', '/v1/me/escalations')).body);
    expect(mine.escalations.find((e) => e.opId === op.opId)?.guidance).toHaveLength(MAX_ESCALATION_RESPONSES - 1);

    // Closing it is still taken.
    expect((await answer({ action: 'close', reason: 'handled by phone' })).status).toBe(201);
  });
});
