/**
 * The service's JSON log over a scripted shift: one line per request by route pattern, with
 * status, duration, request id and pseudonym, and nothing a reviewer typed or recorded.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonLog } from '../../service/service-log';
import { approvedReviewer } from '../support/approved-reviewer';
import { testBatchId } from '../support/ids';
import { silenceWav } from '../support/packages';
import { startTestService, type TestService } from '../support/reference-service';

const BATCH = testBatchId(61);
const TRANSCRIPT = 'the quokka sold seventeen umbrellas';
const NOTE = 'caller sounded distressed near the harbour';

describe('JSON service log', () => {
  let svc: TestService;
  let lines: string[];
  beforeEach(async () => {
    lines = [];
    svc = await startTestService({ options: { serviceLog: createJsonLog({ write: (line) => lines.push(line) }) } });
  });
  afterEach(async () => {
    await svc.stop();
  });

  it('logs each request by route pattern and never the content of a scripted upload', async () => {
    const [clip] = await svc.addBatch(BATCH, 1);
    const reviewer = await approvedReviewer(svc);
    expect((await reviewer.checkout(BATCH)).status).toBe(200);
    const annotation = reviewer.annotation(BATCH, clip as string, TRANSCRIPT);
    expect((await reviewer.call('POST', '/v1/annotations', { ops: [annotation] })).status).toBe(200);
    const escalation = reviewer.escalation(BATCH, clip as string, NOTE);
    expect((await reviewer.call('POST', '/v1/escalations', { ops: [escalation] })).status).toBe(200);
    expect((await reviewer.call('POST', `/v1/batches/${testBatchId(62)}/checkout`, { keyId: 'x' })).status).toBe(400);

    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = entries.filter((e) => e['msg'] === 'request');
    const checkout = requests.find((e) => e['route'] === '/v1/batches/:batchId/checkout' && e['status'] === 200);
    expect(checkout).toMatchObject({ method: 'POST', pseudonym: svc.reviewer.pseudonym, level: 'info' });
    expect(typeof checkout?.['durationMs']).toBe('number');
    expect(checkout?.['requestId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof checkout?.['time']).toBe('string');
    expect(requests.find((e) => e['status'] === 400)).toMatchObject({ code: 'bad_request' });
    expect(new Set(requests.map((e) => e['requestId'])).size).toBe(requests.length);

    const log = lines.join('');
    const wav = silenceWav(300);
    for (const secret of [
      TRANSCRIPT,
      NOTE,
      'quokka',
      'harbour',
      BATCH,
      clip as string,
      annotation.opId,
      escalation.opId,
      svc.reviewer.account,
      svc.reviewer.password,
      wav.subarray(44, 76).toString('base64'),
      'clip 0',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
