/**
 * The operations endpoints over real HTTP: liveness, readiness (and why not), and Prometheus
 * metrics by route pattern, op outcome, checkout and unresolved escalation, open to this host or
 * to the holder of the metrics token only.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { BulkResponse } from '../../shared/sync/messages';
import { ageBucket } from '../../service/metrics';
import type { ServiceStore } from '../../service/store/repositories';
import { approvedReviewer } from '../support/approved-reviewer';
import { testBatchId } from '../support/ids';
import { startTestService, type TestService } from '../support/reference-service';

const BATCH = testBatchId(71);
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

/** GET `path` with these headers, on a connection of its own. */
function get(url: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(new URL(path, url), { agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The value of one sample line of a metrics page, or undefined. */
function sample(page: string, name: string, labels: string): number | undefined {
  const line = page.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('operations endpoints', () => {
  let svc: TestService | undefined;
  afterEach(async () => {
    await svc?.stop();
    svc = undefined;
  });

  it('answers liveness without the store, and readiness from it', async () => {
    svc = await startTestService();
    expect(await get(svc.url, '/healthz')).toEqual({ status: 200, text: '{"ok":true}' });
    expect(await get(svc.url, '/readyz')).toEqual({ status: 200, text: '{"ok":true}' });
    expect((await get(svc.url, '/v1/health')).status).toBe(200);
  });

  it('is not ready with a schema other than the expected one, nor with a store that fails, and says only why', async () => {
    let readiness: ServiceStore['readiness'] = () => Promise.resolve({ ok: false, schema: 3, expected: 9 });
    svc = await startTestService({ wrapStore: (s) => ({ ...s, readiness: () => readiness() }) });
    expect(await get(svc.url, '/readyz')).toEqual({
      status: 503,
      text: '{"ok":false,"reason":"schema_not_current"}',
    });
    readiness = () => Promise.reject(new Error('connection refused to db.internal:5432'));
    expect(await get(svc.url, '/readyz')).toEqual({ status: 503, text: '{"ok":false,"reason":"store_unreachable"}' });
    expect((await get(svc.url, '/healthz')).status).toBe(200);
  });

  it('counts requests by route pattern, ops by outcome, checkouts and unresolved escalations by age', async () => {
    svc = await startTestService();
    const [clip0, clip1] = await svc.addBatch(BATCH, 2);
    const reviewer = await approvedReviewer(svc);
    expect((await reviewer.checkout(BATCH)).status).toBe(200);
    const first = reviewer.annotation(BATCH, clip0 as string, 'words');
    const conflicting = { ...first, transcript: 'other words' };
    const stored = await reviewer.call('POST', '/v1/annotations', { ops: [first] });
    const again = await reviewer.call('POST', '/v1/annotations', {
      ops: [first, conflicting, reviewer.annotation(testBatchId(79), clip1 as string, 'elsewhere')],
    });
    const outcomes = (JSON.parse(again.bytes.toString('utf8')) as BulkResponse).results.map((r) => r.outcome);
    expect([stored.status, again.status, outcomes]).toEqual([200, 200, ['duplicate', 'conflict', 'rejected']]);
    expect(
      (await reviewer.call('POST', '/v1/escalations', { ops: [reviewer.escalation(BATCH, clip1 as string, 'n')] }))
        .status,
    ).toBe(200);
    svc.advance(2 * 60 * 60 * 1000);

    const page = await get(svc.url, '/metrics');
    expect(page.status).toBe(200);
    const text = page.text;
    const checkoutRoute = 'route="/v1/batches/:batchId/checkout",status="200"';
    expect(sample(text, 'earmark_http_requests_total', checkoutRoute)).toBe(1);
    expect(sample(text, 'earmark_http_request_duration_seconds_count', 'route="/v1/batches/:batchId/checkout"')).toBe(
      1,
    );
    expect(sample(text, 'earmark_ops_total', 'kind="annotation",outcome="stored",code="stored"')).toBe(1);
    expect(sample(text, 'earmark_ops_total', 'kind="annotation",outcome="duplicate"')).toBe(1);
    expect(sample(text, 'earmark_ops_total', 'kind="annotation",outcome="conflict"')).toBe(1);
    expect(sample(text, 'earmark_ops_total', 'kind="annotation",outcome="rejected",code="not_assigned"')).toBe(1);
    expect(text).toMatch(/^earmark_checkouts_total 1$/m);
    expect(sample(text, 'earmark_escalations_unresolved', `status="open",age="${ageBucket(2 * 60 * 60 * 1000)}"`)).toBe(
      1,
    );
    expect(sample(text, 'earmark_escalations_unresolved', 'status="open",age="lt_1h"')).toBe(0);
    expect(text).toMatch(/^earmark_process_cpu_user_seconds_total /m);
    // Patterns only: no batch id, clip id, account or text in any label.
    const samples = text.split('\n').filter((l) => !l.startsWith('#'));
    for (const secret of [BATCH, clip0 as string, svc.reviewer.account, svc.reviewer.pseudonym, 'words']) {
      expect(samples.filter((l) => l.includes(secret))).toEqual([]);
    }
  });

  it('serves metrics to a request made on this host only, not to one a proxy relays', async () => {
    svc = await startTestService();
    expect((await get(svc.url, '/metrics')).status).toBe(200);
    const relayed = await get(svc.url, '/metrics', { 'x-forwarded-for': '203.0.113.7' });
    expect(relayed.status).toBe(403);
    expect(JSON.parse(relayed.text)).toMatchObject({ error: { code: 'forbidden' } });
    expect((await get(svc.url, '/metrics', { forwarded: 'for=203.0.113.7' })).status).toBe(403);
  });

  it('serves metrics from elsewhere with the operator’s token, and refuses a wrong or missing one', async () => {
    svc = await startTestService({ options: { metricsToken: METRICS_TOKEN } });
    const relayed = { 'x-forwarded-for': '203.0.113.7' };
    const wrong = await get(svc.url, '/metrics', { ...relayed, authorization: `Bearer ${'x'.repeat(34)}` });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text)).toMatchObject({ error: { code: 'token_invalid' } });
    expect((await get(svc.url, '/metrics', relayed)).status).toBe(401);
    const right = await get(svc.url, '/metrics', { ...relayed, authorization: `Bearer ${METRICS_TOKEN}` });
    expect(right.status).toBe(200);
    expect(right.text).toContain('earmark_http_requests_total');
  });
});
