/**
 * Devices waiting for an operator's approval, per account: a reviewer who signs in from key
 * after key of their own cannot fill the operator's approval list with them. Past the limit an
 * enrolment without a code is refused and audited, until an operator revokes (or approves) one;
 * an enrolment code an operator issued still enrols and approves a device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeviceKey } from '../../core/crypto/device-key';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';
import { CLI_SOURCE } from '../../service/audit';
import { revokeDevice } from '../../service/devices';
import { MAX_PENDING_DEVICES } from '../../shared/sync/protocol';
import { call } from '../support/http-client';
import { startTestService, type TestService } from '../support/reference-service';

describe('devices waiting for approval', () => {
  let svc: TestService;

  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(async () => {
    await svc.stop();
  });

  /** Signs the demo reviewer in on a new key of their own and enrols it, with `code` if given. */
  async function enrolNewKey(code?: string) {
    const key = generateDeviceKey();
    const signIn = await call(svc.url, 'POST', '/v1/sessions', { json: await svc.signInBody({ device: key }) });
    expect(signIn.status).toBe(201);
    const token = (signIn.body as { token: string }).token;
    const answer = await call(svc.url, 'POST', '/v1/devices', { token, json: deviceEnrolment(key, code) });
    return { key, answer };
  }

  it(`refuses a device beyond ${MAX_PENDING_DEVICES} waiting, until an operator decides one`, async () => {
    const waiting = [];
    for (let i = 0; i < MAX_PENDING_DEVICES; i += 1) {
      const { key, answer } = await enrolNewKey();
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ state: 'pending' });
      waiting.push(key);
    }
    const over = await enrolNewKey();
    expect(over.answer.status).toBe(409);
    expect(over.answer.body).toEqual({
      error: { code: 'too_many_devices', message: expect.stringContaining('waiting for approval') as unknown },
    });
    const pending = await svc.service.core.store.devices.list({ account: svc.reviewer.account, state: 'pending' });
    expect(pending).toHaveLength(MAX_PENDING_DEVICES);
    const refused = await svc.query<{ code: string }>(
      "SELECT code FROM audit_events WHERE action = 'device.enrol' AND outcome = 'refused'",
    );
    expect(refused).toEqual([{ code: 'too_many_devices' }]);

    // An enrolment code still enrols and approves a device at once.
    const coded = await enrolNewKey(await svc.issueEnrolmentCode(svc.reviewer.account));
    expect(coded.answer.status).toBe(201);
    expect(coded.answer.body).toMatchObject({ state: 'approved' });

    // An operator revokes one waiting device: there is room for one more.
    await revokeDevice(
      svc.service.core,
      { operator: 'tests', source: CLI_SOURCE },
      svc.reviewer.account,
      waiting[0]?.keyId ?? '',
    );
    expect((await enrolNewKey()).answer.status).toBe(201);
    expect((await enrolNewKey()).answer.status).toBe(409);
  });
});
