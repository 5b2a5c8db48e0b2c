/**
 * Audit events carry facts and ids only. The ids an event names are checked like an op's: its
 * batch must be the sender's, and a clip it names one of that batch's, so no id is a channel for
 * free text.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDeviceKey } from '../../core/crypto/device-key';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';
import { withdrawClip } from '../../service/consent';
import { call, type Answer, type CallOptions } from '../support/http-client';
import { startTestService, type TestService } from '../support/reference-service';

const MINE = 'b-AAAAAAAAAAAVD1T5';

describe('audit events naming a clip', () => {
  let svc: TestService;
  let clips: string[];
  let token: string;

  beforeEach(async () => {
    svc = await startTestService();
    clips = await svc.addBatch(MINE, 2);
    const device = generateDeviceKey();
    const r = await call(svc.url, 'POST', '/v1/sessions', { json: await svc.signInBody({ device }) });
    token = (r.body as { token: string }).token;
    expect(
      (await http('POST', '/v1/devices', { token, json: deviceEnrolment(device, svc.enrolmentCode()) })).status,
    ).toBe(201);
  });
  afterEach(async () => {
    await svc.stop();
  });

  const http = (method: string, path: string, o?: CallOptions): Promise<Answer> => call(svc.url, method, path, o);
  const send = async (ops: readonly object[]): Promise<string[]> => {
    const r = await http('POST', '/v1/audit-events', { token, json: { ops } });
    expect(r.status).toBe(200);
    return (r.body as { results: { code: string }[] }).results.map((x) => x.code);
  };

  it('refuses a clip id with no batch, or one its batch does not have, and stores a real one', async () => {
    const withdrawn = clips[1] as string;
    await withdrawClip(svc.service.core, { batchId: MINE, clipId: withdrawn, actor: 'operator', source: 'cli' });
    const codes = await send([
      { opId: randomUUID(), type: 'locked', at: 1, clipId: 'c-HE1PMEAMSAFE0000' },
      { opId: randomUUID(), type: 'clip_erased_consent_withdrawn', at: 1, batchId: MINE, clipId: 'c-CA11THEP011CE000' },
      { opId: randomUUID(), type: 'clip_erased_consent_withdrawn', at: 1, batchId: MINE, clipId: withdrawn },
      { opId: randomUUID(), type: 'locked', at: 1 },
    ]);
    expect(codes).toEqual(['no_such_clip', 'no_such_clip', 'stored', 'stored']);
  });

  it('still refuses an event naming another reviewer’s batch', async () => {
    await svc.addAccount({
      account: 'someone-else',
      password: 'another reviewer password',
      totpSecret: 'EARMARKTESTSOMEONEELSEAAAAAAAAAA',
      pseudonym: 'rv-else',
      role: 'reviewer',
    });
    await svc.addBatch('b-AAAAAAAAAAAAAAAB', 1);
    expect(await svc.service.core.store.batches.assign('b-AAAAAAAAAAAAAAAB', 'someone-else')).toBe(true);
    expect(await send([{ opId: randomUUID(), type: 'locked', at: 1, batchId: 'b-AAAAAAAAAAAAAAAB' }])).toEqual([
      'not_assigned',
    ]);
  });
});
