/**
 * An insider with a valid password, a valid one-time code, curl and a key pair of their own,
 * against the reference service over real HTTP on loopback. Every attempt must be refused with
 * its own code, and every refusal must be in the service's audit trail.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDeviceKey, type DeviceKey } from '../../core/crypto/device-key';
import { signInLimits } from '../../shared/sync/protocol';
import { totpCode } from '../../service/auth';
import type { SeedAccount } from '../../service/seed';
import { call, codeOf, type Answer, type CallOptions } from '../support/http-client';
import { startTestService, type TestService } from '../support/reference-service';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';

type AuditRow = { action: string; outcome: string; code: string | null; actor: string | null; source: string };

const SUPERVISOR: SeedAccount = {
  account: 'supervisor',
  password: 'supervisor password',
  totpSecret: 'EARMARKTESTSUPERVISOR23456723456',
  pseudonym: 'sv-1',
  role: 'supervisor',
};

describe('the service against an insider', () => {
  let svc: TestService;

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addBatch('b-AAAAAAAAA1NS1DER', 2);
  });
  afterEach(async () => {
    await svc.stop();
  });

  const http = (method: string, path: string, o?: CallOptions): Promise<Answer> => call(svc.url, method, path, o);
  const refusals = (action: string, code: string): Promise<AuditRow[]> =>
    svc.query<AuditRow>(
      "SELECT action, outcome, code, actor, source FROM audit_events WHERE action = ? AND code = ? AND outcome = 'refused'",
      action,
      code,
    );
  /** The code of the service's current time step, without moving its clock. */
  const currentCode = (a: SeedAccount = svc.reviewer): string => totpCode(a.totpSecret, svc.now());
  const session = async (device: DeviceKey, account?: SeedAccount): Promise<string> => {
    const r = await http('POST', '/v1/sessions', {
      json: await svc.signInBody({ device, ...(account ? { account } : {}) }),
    });
    expect(r.status).toBe(201);
    return (r.body as { token: string }).token;
  };
  const checkout = (token: string, device: DeviceKey): Promise<Answer> =>
    http('POST', '/v1/batches/b-AAAAAAAAA1NS1DER/checkout', { token, json: { keyId: device.keyId } });

  it('refuses a checkout for a key the insider enrolled without approval (403 device_pending)', async () => {
    const laptop = generateDeviceKey();
    const token = await session(laptop);
    expect(await http('POST', '/v1/devices', { token, json: deviceEnrolment(laptop) })).toMatchObject({
      status: 201,
      body: { state: 'pending' },
    });
    const answer = await checkout(token, laptop);
    expect([answer.status, codeOf(answer)]).toEqual([403, 'device_pending']);
    expect(await refusals('batch.checkout', 'device_pending')).toEqual([
      expect.objectContaining({ actor: 'reviewer', source: '127.0.0.1' }),
    ]);
    expect(await svc.query('SELECT * FROM checkouts')).toEqual([]);
  });

  it('refuses guessed enrolment codes, then stops taking guesses (403 enrolment_code_invalid, then 429)', async () => {
    const laptop = generateDeviceKey();
    const token = await session(laptop);
    const guesses = ['AAAA-AAAA-AAAA-AAAA', 'ABCD-EFGH-IJKL-MNOP', 'QRST-UVWX-YZ23-4567', '2222-3333-4444-5555'];
    const other = await svc.issueEnrolmentCode(SUPERVISOR.account).catch(() => null);
    expect(other).toBeNull(); // no such account yet: codes are issued only for existing accounts
    await svc.addAccount(SUPERVISOR);
    const supervisorsCode = await svc.issueEnrolmentCode(SUPERVISOR.account);
    for (const guess of [...guesses, supervisorsCode]) {
      const r = await http('POST', '/v1/devices', { token, json: deviceEnrolment(laptop, guess) });
      expect([r.status, codeOf(r)]).toEqual([403, 'enrolment_code_invalid']);
    }
    // Even the right code is no longer tried once the attempts are used up.
    const limited = await http('POST', '/v1/devices', { token, json: deviceEnrolment(laptop, svc.enrolmentCode()) });
    expect([limited.status, codeOf(limited), Number(limited.headers['retry-after'])]).toEqual([
      429,
      'rate_limited',
      expect.any(Number),
    ]);
    expect(await refusals('device.enrol', 'enrolment_code_invalid')).toHaveLength(5);
    expect(await refusals('device.enrol', 'rate_limited')).toHaveLength(1);
    // Nothing was stored for the laptop, and no code was spent.
    expect(await svc.query('SELECT * FROM devices')).toEqual([]);
    expect(await svc.query('SELECT * FROM enrolment_codes WHERE used_at IS NOT NULL')).toEqual([]);
  });

  it('refuses an expired code and a code used once already', async () => {
    const short = await svc.issueEnrolmentCode(svc.reviewer.account, 60_000);
    svc.advance(61_000);
    const laptop = generateDeviceKey();
    const token = await session(laptop);
    const expired = await http('POST', '/v1/devices', { token, json: deviceEnrolment(laptop, short) });
    expect(codeOf(expired)).toBe('enrolment_code_invalid');
    const code = svc.enrolmentCode();
    expect((await http('POST', '/v1/devices', { token, json: deviceEnrolment(laptop, code) })).body).toMatchObject({
      state: 'approved',
    });
    const second = generateDeviceKey();
    const token2 = await session(second);
    const reused = await http('POST', '/v1/devices', { token: token2, json: deviceEnrolment(second, code) });
    expect([reused.status, codeOf(reused)]).toEqual([403, 'enrolment_code_invalid']);
    expect(await refusals('device.enrol', 'enrolment_code_invalid')).toHaveLength(2);
  });

  it("refuses a token used for another device's key (403 device_mismatch)", async () => {
    const workstation = generateDeviceKey();
    const wsToken = await session(workstation);
    await http('POST', '/v1/devices', { token: wsToken, json: deviceEnrolment(workstation, svc.enrolmentCode()) });
    expect((await checkout(wsToken, workstation)).status).toBe(200);
    // A session opened on the insider's laptop cannot check out for the approved workstation,
    // nor enrol that workstation's keys under itself.
    const laptop = generateDeviceKey();
    const laptopToken = await session(laptop);
    const stolen = await checkout(laptopToken, workstation);
    expect([stolen.status, codeOf(stolen)]).toEqual([403, 'device_mismatch']);
    const enrolAs = await http('POST', '/v1/devices', { token: laptopToken, json: deviceEnrolment(workstation) });
    expect([enrolAs.status, codeOf(enrolAs)]).toEqual([403, 'device_mismatch']);
    expect(await refusals('batch.checkout', 'device_mismatch')).toHaveLength(1);
    expect(await refusals('device.enrol', 'device_mismatch')).toHaveLength(1);
  });

  it('refuses a sign-in whose device signature is not over this challenge', async () => {
    const laptop = generateDeviceKey();
    const body = await svc.signInBody({ device: laptop });
    const replayed = await http('POST', '/v1/sessions', { json: { ...body, account: 'reviewer ' } });
    expect([replayed.status, codeOf(replayed)]).toEqual([401, 'bad_credentials']);
    const again = await http('POST', '/v1/sessions', { json: body });
    expect([again.status, codeOf(again)]).toEqual([401, 'bad_credentials']); // the challenge was spent
    expect(await refusals('session.sign_in', 'bad_credentials')).toHaveLength(2);
  });

  it('counts every one of 30 concurrent wrong passwords', async () => {
    const bodies = await Promise.all(
      Array.from({ length: 30 }, () => svc.signInBody({ password: 'wrong', totp: currentCode() })),
    );
    const answers = await Promise.all(bodies.map((json) => http('POST', '/v1/sessions', { json })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(signInLimits.pairFailures);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - signInLimits.pairFailures);
    // The right password is locked out too, until the wait is over.
    const right = await http('POST', '/v1/sessions', { json: await svc.signInBody({ totp: currentCode() }) });
    expect([right.status, codeOf(right)]).toEqual([429, 'rate_limited']);
    expect(
      (await refusals('session.sign_in', 'bad_credentials')).length +
        (await refusals('session.sign_in', 'rate_limited')).length,
    ).toBe(31);
  }, 30_000);

  it('lets exactly one of 5 concurrent sign-ins with one code through', async () => {
    const totp = svc.nextCode();
    const bodies = await Promise.all(Array.from({ length: 5 }, () => svc.signInBody({ totp })));
    const answers = await Promise.all(bodies.map((json) => http('POST', '/v1/sessions', { json })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 401, 401, 401, 401]);
    expect(answers.filter((a) => a.status === 401).map(codeOf)).toEqual(Array(4).fill('bad_credentials'));
    expect(await refusals('session.sign_in', 'bad_credentials')).toHaveLength(4);
    expect(await svc.query('SELECT * FROM sessions')).toHaveLength(1);
  });

  it('answers an unknown account exactly as a known one, in status, body and Retry-After', async () => {
    const ghost: SeedAccount = { ...svc.reviewer, account: 'no-such-person' };
    const run = async (account: SeedAccount, from: string): Promise<Answer[]> => {
      const answers: Answer[] = [];
      for (let i = 0; i <= signInLimits.pairFailures; i += 1) {
        const json = await svc.signInBody({ account, password: 'wrong', totp: currentCode() });
        answers.push(await http('POST', '/v1/sessions', { json, from }));
      }
      return answers;
    };
    const known = await run(svc.reviewer, '127.0.0.3');
    const unknown = await run(ghost, '127.0.0.4');
    const shape = (a: Answer) => [a.status, a.body, a.headers['retry-after'] ?? null];
    expect(unknown.map(shape)).toEqual(known.map(shape));
    expect(known.at(-1)?.status).toBe(429);
    expect((await refusals('session.sign_in', 'rate_limited')).map((r) => r.source)).toEqual([
      '127.0.0.3',
      '127.0.0.4',
    ]);
  }, 30_000);

  it('cannot lock the owner out from another address: limits are per (name, source)', async () => {
    for (let i = 0; i < signInLimits.pairFailures + 3; i += 1) {
      const json = await svc.signInBody({ password: 'wrong', totp: currentCode() });
      await http('POST', '/v1/sessions', { json, from: '127.0.0.2' });
    }
    const attacker = await http('POST', '/v1/sessions', {
      json: await svc.signInBody({ password: 'wrong', totp: currentCode() }),
      from: '127.0.0.2',
    });
    expect([attacker.status, codeOf(attacker)]).toEqual([429, 'rate_limited']);
    const owner = await http('POST', '/v1/sessions', {
      json: await svc.signInBody({ totp: currentCode() }),
      from: '127.0.0.1',
    });
    expect(owner.status).toBe(201);
    expect((await refusals('session.sign_in', 'rate_limited')).every((r) => r.source === '127.0.0.2')).toBe(true);
  }, 30_000);

  it('refuses a source spraying many names, once it has 20 failures in a minute', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i <= signInLimits.sourceFailures; i += 1) {
      const account: SeedAccount = { ...svc.reviewer, account: `name-${i}` };
      const json = await svc.signInBody({ account, password: 'wrong', totp: currentCode() });
      answers.push(await http('POST', '/v1/sessions', { json, from: '127.0.0.5' }));
    }
    expect(answers.slice(0, signInLimits.sourceFailures).every((a) => a.status === 401)).toBe(true);
    expect(codeOf(answers.at(-1) as Answer)).toBe('rate_limited');
    expect(await refusals('session.sign_in', 'rate_limited')).toHaveLength(1);
  }, 30_000);

  it('revokes a device and its checkouts, and still takes the work it saved', async () => {
    const workstation = generateDeviceKey();
    const token = await session(workstation);
    await http('POST', '/v1/devices', { token, json: deviceEnrolment(workstation, svc.enrolmentCode()) });
    expect((await checkout(token, workstation)).status).toBe(200);
    const { revokeDevice } = await import('../../service/devices');
    await revokeDevice(svc.service.core, { operator: 'tests', source: 'cli' }, 'reviewer', workstation.keyId);
    expect((await http('GET', '/v1/batches', { token })).body).toMatchObject({
      batches: [{ batchId: 'b-AAAAAAAAA1NS1DER', status: 'revoked' }],
    });
    expect((await http('GET', '/v1/devices/current', { token })).body).toEqual({
      keyId: workstation.keyId,
      state: 'revoked',
    });
    const again = await checkout(token, workstation);
    expect([again.status, codeOf(again)]).toEqual([403, 'device_revoked']);
    const saved = await http('POST', '/v1/annotations', {
      token,
      json: {
        ops: [
          {
            opId: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f',
            batchId: 'b-AAAAAAAAA1NS1DER',
            clipId: 'c-AAAAAAAAAAAA0000',
            revision: 1,
            baseRevision: 0,
            baseOpId: null,
            disposition: 'transcribed',
            transcript: 'work saved before',
            criticalCategories: [],
            entities: [],
            submittedAt: 1,
          },
        ],
      },
    });
    expect((saved.body as { results: { outcome: string }[] }).results[0]?.outcome).toBe('stored');
    expect(await refusals('batch.checkout', 'device_revoked')).toHaveLength(1);
    expect(await svc.query('SELECT action FROM audit_events WHERE action = ?', 'admin.devices.revoke')).toHaveLength(1);
  });

  it('asks for a revocation before approving a device beyond the account’s limit (409 too_many_devices)', async () => {
    await svc.addAccount(SUPERVISOR);
    const first = generateDeviceKey();
    const t1 = await session(first, SUPERVISOR);
    expect(
      (
        await http('POST', '/v1/devices', {
          token: t1,
          json: deviceEnrolment(first, await svc.issueEnrolmentCode('supervisor')),
        })
      ).body,
    ).toMatchObject({ state: 'approved' });
    const second = generateDeviceKey();
    const t2 = await session(second, SUPERVISOR);
    const code = await svc.issueEnrolmentCode('supervisor');
    const over = await http('POST', '/v1/devices', { token: t2, json: deviceEnrolment(second, code) });
    expect([over.status, codeOf(over)]).toEqual([409, 'too_many_devices']);
    expect(await refusals('device.enrol', 'too_many_devices')).toHaveLength(1);
    // The refused attempt spent nothing: the code still works once a device is revoked.
    const { revokeDevice } = await import('../../service/devices');
    await revokeDevice(svc.service.core, { operator: 'tests', source: 'cli' }, 'supervisor', first.keyId);
    expect((await http('POST', '/v1/devices', { token: t2, json: deviceEnrolment(second, code) })).body).toMatchObject({
      state: 'approved',
    });
  });
});
