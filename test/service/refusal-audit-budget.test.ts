/**
 * An insider with curl and their own session sends refused requests in a loop: each is still
 * answered as before, but the audit trail takes at most REFUSAL_AUDITS_PER_WINDOW rows of that
 * caller per window, then one row saying the rest go unrecorded. Another caller's refusals are
 * recorded all the while, and the next window records again. The same holds for a caller with no
 * session, by source address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRefusalAuditBudget,
  REFUSAL_AUDIT_WINDOW_MS,
  REFUSAL_AUDITS_PER_WINDOW,
} from '../../service/refusal-audit-budget';
import { paths } from '../../shared/sync/protocol';
import { approvedReviewer, type ApprovedReviewer } from '../support/approved-reviewer';
import { startTestService, type TestService } from '../support/reference-service';
import { formTeams } from '../support/team-workstations';

describe('refusals in the audit trail, per caller', () => {
  let svc: TestService;
  let insider: ApprovedReviewer;
  beforeAll(async () => {
    svc = await startTestService();
    insider = await approvedReviewer(svc);
  });
  afterAll(async () => {
    await svc.stop();
  });

  const rows = async (action: string) =>
    (await svc.service.core.store.audit.list({ afterSeq: 0, limit: 10_000, action })).map((r) => ({
      actor: r.actor,
      code: r.code,
      detail: r.detail,
    }));
  const badTiming = { records: [{ id: 'k-1', kind: 'shift', values: { note: 'card 4485' } }] };

  it('records a caller’s first refusals, says once that the rest go unrecorded, and answers them all', async () => {
    const account = svc.reviewer.account;
    const answers: number[] = [];
    for (let i = 0; i < REFUSAL_AUDITS_PER_WINDOW + 30; i += 1) {
      answers.push((await insider.call('POST', '/v1/timing', badTiming)).status);
    }
    expect(new Set(answers)).toEqual(new Set([400]));
    expect(answers).toHaveLength(REFUSAL_AUDITS_PER_WINDOW + 30);
    const mine = (await rows('timing.upload')).filter((r) => r.actor === account);
    expect(mine).toHaveLength(REFUSAL_AUDITS_PER_WINDOW + 1);
    expect(mine.slice(0, REFUSAL_AUDITS_PER_WINDOW).every((r) => r.code === 'bad_request')).toBe(true);
    expect(mine.at(-1)).toEqual({
      actor: account,
      code: 'audit_throttled',
      detail: { code: 'bad_request', limit: REFUSAL_AUDITS_PER_WINDOW, windowMs: REFUSAL_AUDIT_WINDOW_MS },
    });

    // Another reviewer's refusal in the same window is recorded.
    const ws = await formTeams(svc);
    expect((await ws.teammate.call('POST', '/v1/timing', badTiming)).status).toBe(400);
    expect((await rows('timing.upload')).filter((r) => r.actor === ws.teammate.account.account)).toEqual([
      { actor: ws.teammate.account.account, code: 'bad_request', detail: {} },
    ]);

    // The next window records the insider's refusals again.
    svc.advance(REFUSAL_AUDIT_WINDOW_MS);
    expect((await insider.call('POST', '/v1/timing', badTiming)).status).toBe(400);
    expect((await rows('timing.upload')).filter((r) => r.actor === account)).toHaveLength(
      REFUSAL_AUDITS_PER_WINDOW + 2,
    );
  });

  it('still notes, once each, a kind of refusal the caller had not been refused before', async () => {
    svc.advance(REFUSAL_AUDIT_WINDOW_MS);
    const account = svc.reviewer.account;
    for (let i = 0; i < REFUSAL_AUDITS_PER_WINDOW + 1; i += 1) {
      expect((await insider.call('POST', '/v1/timing', badTiming)).status).toBe(400);
    }
    // Cheap bad requests used the budget up; probing an operator route is still on the trail.
    for (let i = 0; i < 3; i += 1) {
      expect((await insider.call('GET', paths.adminDevices)).status).toBe(403);
    }
    expect((await rows('admin.devices.list')).filter((r) => r.actor === account)).toEqual([
      {
        actor: account,
        code: 'audit_throttled',
        detail: { code: 'operator_only', limit: REFUSAL_AUDITS_PER_WINDOW, windowMs: REFUSAL_AUDIT_WINDOW_MS },
      },
    ]);
  });

  it('counts a caller with no session by source address', async () => {
    const before = (await rows('timing.upload')).filter((r) => r.actor === null).length;
    for (let i = 0; i < REFUSAL_AUDITS_PER_WINDOW + 5; i += 1) {
      const r = await fetch(`${svc.url}/v1/timing`, {
        method: 'POST',
        headers: { authorization: 'Bearer not-a-token', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(r.status).toBe(401);
    }
    const anonymous = (await rows('timing.upload')).filter((r) => r.actor === null).slice(before);
    expect(anonymous).toHaveLength(REFUSAL_AUDITS_PER_WINDOW + 1);
    expect(anonymous.at(-1)?.code).toBe('audit_throttled');
  });
});

describe('the refusal audit budget', () => {
  it('keeps its memory bounded: past its addresses, the rest share one count', () => {
    const budget = createRefusalAuditBudget({ limit: 2, windowMs: 1_000, keys: 3 });
    const take = (source: string, now = 0) => budget.take({ source }, now, 'timing.upload bad_request');
    expect(['a', 'b', 'c'].map((k) => take(k))).toEqual(['write', 'write', 'write']);
    // d, e and f are new addresses past the third: one shared count.
    expect(['d', 'e', 'f', 'g'].map((k) => take(k))).toEqual(['write', 'write', 'note', 'skip']);
    // Known addresses keep their own.
    expect(take('a', 999)).toBe('write');
    expect(take('a', 999)).toBe('note');
    // A new window starts every count afresh.
    expect(take('g', 1_000)).toBe('write');
  });

  it('never puts an account in the shared count, however many addresses came first', () => {
    const budget = createRefusalAuditBudget({ limit: 2, windowMs: 1_000, keys: 3 });
    // An anonymous caller spends addresses until new ones share a count, and uses that up.
    for (const source of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
      budget.take({ source }, 0, 'timing.upload token_invalid');
    }
    expect(budget.take({ source: 'h' }, 0, 'timing.upload token_invalid')).toBe('skip');
    // A reviewer refused for the first time in the window is still recorded, on their own count.
    expect([1, 2, 3].map(() => budget.take({ account: 'victim' }, 0, 'timing.upload bad_request'))).toEqual([
      'write',
      'write',
      'note',
    ]);
  });
});
