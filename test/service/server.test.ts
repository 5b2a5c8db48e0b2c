import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnnotationOp } from '../../shared/sync/messages';
import { signInLimits } from '../../shared/sync/protocol';
import { totpCode } from '../../service/auth';
import type { SeedAccount } from '../../service/seed';
import { startTestService, type TestService } from '../support/reference-service';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';

type Answer = { status: number; body: unknown; headers: Headers };

describe('reference annotation service', () => {
  let svc: TestService;
  let clips: string[];

  beforeEach(async () => {
    svc = await startTestService({ tokenTtlMs: 60_000 });
    clips = await svc.addBatch('b-AAAAAAAAAAAASVC1', 3);
  });
  afterEach(async () => {
    await svc.stop();
  });

  const call = async (
    method: string,
    path: string,
    o: { token?: string; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    const r = await fetch(`${svc.url}${path}`, {
      method,
      headers: {
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...(o.json !== undefined ? { 'content-type': 'application/json' } : {}),
        ...o.headers,
      },
      ...(o.json !== undefined ? { body: JSON.stringify(o.json) } : {}),
    });
    const text = await r.text();
    return {
      status: r.status,
      body: text && r.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : text,
      headers: r.headers,
    };
  };
  /** Signs in on the test service's device key, enrolled (pending) so it may upload. */
  const signIn = async (enrol = true): Promise<string> => {
    const r = await call('POST', '/v1/sessions', { json: await svc.signInBody() });
    expect(r.status).toBe(201);
    const token = (r.body as { token: string }).token;
    if (enrol) {
      expect((await call('POST', '/v1/devices', { token, json: deviceEnrolment(svc.device) })).status).toBeLessThan(
        300,
      );
    }
    return token;
  };
  const MAX_FAILURES = signInLimits.pairFailures;
  /** The code of the service's current time step, without moving its clock (a lock is counted in that clock). */
  const currentCode = (): string => totpCode(svc.reviewer.totpSecret, svc.now());
  /** Revision `revision` of a clip, amending `base` (an op id nobody holds when none is given). */
  const op = (
    clipId: string,
    revision: number,
    transcript = `text ${revision}`,
    base?: AnnotationOp,
  ): AnnotationOp => ({
    opId: randomUUID(),
    batchId: 'b-AAAAAAAAAAAASVC1',
    clipId,
    revision,
    baseRevision: revision - 1,
    baseOpId: revision === 1 ? null : (base?.opId ?? randomUUID()),
    disposition: 'transcribed',
    transcript,
    criticalCategories: [],
    entities: [],
    submittedAt: 1,
  });

  it('gives the same answer for an unknown account, a wrong password and a wrong code', async () => {
    const good = await svc.signInBody();
    const nobody: SeedAccount = { ...svc.reviewer, account: 'nobody' };
    const answers = await Promise.all([
      call('POST', '/v1/sessions', { json: await svc.signInBody({ account: nobody, totp: good.totp }) }),
      call('POST', '/v1/sessions', { json: await svc.signInBody({ password: 'wrong', totp: good.totp }) }),
      call('POST', '/v1/sessions', { json: { ...good, totp: good.totp === '000000' ? '111111' : '000000' } }),
    ]);
    expect(answers.map((a) => [a.status, a.body])).toEqual(
      Array.from({ length: 3 }, () => [
        401,
        { error: { code: 'bad_credentials', message: 'The account, password or one-time code is wrong.' } },
      ]),
    );
  });

  it('accepts a one-time code once only', async () => {
    const creds = await svc.signInBody();
    expect((await call('POST', '/v1/sessions', { json: creds })).status).toBe(201);
    expect((await call('POST', '/v1/sessions', { json: await svc.signInBody({ totp: creds.totp }) })).status).toBe(401);
  });

  it('lets only one of two sign-ins racing with the same code through', async () => {
    const creds = await svc.signInBody();
    const answers = await Promise.all([
      call('POST', '/v1/sessions', { json: creds }),
      call('POST', '/v1/sessions', { json: await svc.signInBody({ totp: creds.totp }) }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 401]);
  });

  it('counts every one of several failed sign-ins made at once', async () => {
    const wrong = await Promise.all(
      Array.from({ length: MAX_FAILURES }, () => svc.signInBody({ password: 'wrong', totp: currentCode() })),
    );
    const answers = await Promise.all(wrong.map((json) => call('POST', '/v1/sessions', { json })));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: MAX_FAILURES }, () => 401));
    expect((await call('POST', '/v1/sessions', { json: await svc.signInBody({ totp: currentCode() }) })).status).toBe(
      429,
    );
  });

  it('locks an account after repeated failures and says when to come back', async () => {
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      const json = await svc.signInBody({ password: 'wrong', totp: currentCode() });
      expect((await call('POST', '/v1/sessions', { json })).status).toBe(401);
    }
    const locked = await call('POST', '/v1/sessions', { json: await svc.signInBody({ totp: currentCode() }) });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('expires a session token and refuses calls without one', async () => {
    const token = await signIn();
    expect((await call('GET', '/v1/batches', { token })).status).toBe(200);
    expect((await call('GET', '/v1/batches')).body).toMatchObject({ error: { code: 'token_invalid' } });
    svc.advance(61_000);
    expect(await call('GET', '/v1/batches', { token })).toMatchObject({
      status: 401,
      body: { error: { code: 'token_expired' } },
    });
  });

  it('lists batch status and shows a revoked batch as revoked', async () => {
    const token = await signIn();
    await svc.service.core.store.batches.revoke('b-AAAAAAAAAAAASVC1', svc.now());
    expect((await call('GET', '/v1/batches', { token })).body).toEqual({
      batches: [
        { batchId: 'b-AAAAAAAAAAAASVC1', status: 'revoked', expiresAt: expect.any(Number) as number, clipCount: 3 },
      ],
      serviceTime: { statement: { purpose: 'service-time', at: svc.now() }, signature: expect.any(String) as string },
      deviceOps: {
        keyId: svc.device.keyId,
        epoch: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
        highSeq: 0,
        count: 0,
      },
    });
  });

  it('dedupes for good: the same op returns its stored result, another payload under its id is a 409', async () => {
    const token = await signIn();
    const first = op(clips[0] as string, 1);
    const a = await call('POST', '/v1/annotations', { token, json: { ops: [first] } });
    const b = await call('POST', '/v1/annotations', { token, json: { ops: [first] } });
    const stored = (a.body as { results: { outcome: string; status: number; result: unknown }[] }).results[0];
    expect(stored).toMatchObject({ outcome: 'stored', code: 'stored', status: 201 });
    expect((b.body as { results: unknown[] }).results[0]).toEqual({
      ...stored,
      outcome: 'duplicate',
      code: 'duplicate',
      status: 200,
    });
    const c = await call('POST', '/v1/annotations', { token, json: { ops: [{ ...first, transcript: 'changed' }] } });
    expect((c.body as { results: unknown[] }).results[0]).toMatchObject({
      opId: first.opId,
      outcome: 'conflict',
      status: 409,
    });
    expect(
      (await svc.service.core.store.ops.current('b-AAAAAAAAAAAASVC1'))
        .map((r) => JSON.parse(r.payload) as AnnotationOp)
        .map((p) => p.transcript),
    ).toEqual(['text 1']);
  });

  it('stores a revision only on top of the current one, and refuses unknown clips', async () => {
    const token = await signIn();
    const clip = clips[1] as string;
    const first = op(clip, 1);
    const r = await call('POST', '/v1/annotations', {
      token,
      json: { ops: [op(clip, 2, 'early', first), first, op('c-AAAAAAAAAAAAN0PE', 1), op(clip, 2, 'amended', first)] },
    });
    expect(
      (r.body as { results: { outcome: string; code: string }[] }).results.map((x) => [x.outcome, x.code]),
    ).toEqual([
      ['rejected', 'base_missing'],
      ['stored', 'stored'],
      ['rejected', 'no_such_clip'],
      ['stored', 'stored'],
    ]);
    expect((await svc.service.core.store.ops.current('b-AAAAAAAAAAAASVC1')).map((c) => [c.clipId, c.revision])).toEqual(
      [[clip, 2]],
    );
  });

  it('refuses a malformed body with the field at fault, and an oversized one with 413', async () => {
    const token = await signIn();
    const bad = await call('POST', '/v1/annotations', {
      token,
      json: { ops: [{ ...op(clips[0] as string, 1), extra: 1 }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: { code: 'bad_request', message: expect.stringContaining('ops.0') as string },
    });
    const huge = await call('POST', '/v1/annotations', { token, json: { ops: [], pad: 'x'.repeat(5 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
  });

  it('enrols a device only with a key id that matches its key, and checks out only to an approved device', async () => {
    const token = await signIn(false);
    const device = svc.device;
    expect(
      (await call('POST', '/v1/batches/b-AAAAAAAAAAAASVC1/checkout', { token, json: { keyId: device.keyId } })).body,
    ).toMatchObject({ error: { code: 'device_not_enrolled' } });
    expect(
      (
        await call('POST', '/v1/devices', {
          token,
          json: { ...deviceEnrolment(svc.device), keyId: '0000000000000000' },
        })
      ).status,
    ).toBe(400);
    expect(await call('POST', '/v1/devices', { token, json: deviceEnrolment(svc.device) })).toMatchObject({
      status: 201,
      body: { state: 'pending' },
    });
    expect(
      (await call('POST', '/v1/batches/b-AAAAAAAAAAAASVC1/checkout', { token, json: { keyId: device.keyId } })).body,
    ).toMatchObject({ error: { code: 'device_pending' } });
    expect(
      await call('POST', '/v1/devices', { token, json: deviceEnrolment(svc.device, svc.enrolmentCode()) }),
    ).toMatchObject({
      status: 200,
      body: { state: 'approved' },
    });
    const pkg = await call('POST', '/v1/batches/b-AAAAAAAAAAAASVC1/checkout', { token, json: { keyId: device.keyId } });
    expect(pkg.status).toBe(200);
    expect(pkg.headers.get('content-type')).toBe('application/vnd.earmark.package');
    expect(String(pkg.body).startsWith('EARMARKB')).toBe(true);
  });

  it('commits an upload and then answers 500 when told to, so the retry finds a duplicate', async () => {
    const token = await signIn();
    await svc.service.core.faults.set({ fault: 'error_after_commit', every: 2 });
    const o = op(clips[0] as string, 1);
    expect((await call('POST', '/v1/annotations', { token, json: { ops: [o] } })).status).toBe(500);
    const retry = await call('POST', '/v1/annotations', { token, json: { ops: [o] } });
    expect((retry.body as { results: { outcome: string }[] }).results[0]?.outcome).toBe('duplicate');
  });

  it('commits an upload and then drops the connection when told to', async () => {
    const token = await signIn();
    await svc.service.core.faults.set({ fault: 'drop_after_commit', every: 1 });
    await expect(
      call('POST', '/v1/annotations', { token, json: { ops: [op(clips[0] as string, 1)] } }),
    ).rejects.toThrow(/fetch failed/);
    expect(await svc.service.core.store.ops.current('b-AAAAAAAAAAAASVC1')).toHaveLength(1);
  });

  it('answers 429 with Retry-After before storing anything when told to', async () => {
    const token = await signIn();
    await svc.service.core.faults.set({ fault: 'rate_limit', retryAfterSeconds: 7, every: 1 });
    const r = await call('POST', '/v1/annotations', { token, json: { ops: [op(clips[0] as string, 1)] } });
    expect([r.status, r.headers.get('retry-after')]).toEqual([429, '7']);
    expect(await svc.service.core.store.ops.current('b-AAAAAAAAAAAASVC1')).toHaveLength(0);
  });

  it('expires the token once a session has stored the given number of ops', async () => {
    const token = await signIn();
    await svc.service.core.faults.set({ fault: 'expire_token', afterOps: 2 });
    expect(
      (
        await call('POST', '/v1/annotations', {
          token,
          json: { ops: [op(clips[0] as string, 1), op(clips[1] as string, 1)] },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('POST', '/v1/annotations', { token, json: { ops: [op(clips[2] as string, 1)] } })).body,
    ).toMatchObject({ error: { code: 'token_expired' } });
    const again = await signIn();
    expect(
      (await call('POST', '/v1/annotations', { token: again, json: { ops: [op(clips[2] as string, 1)] } })).status,
    ).toBe(200);
  });
});

describe('reference service admin endpoints', () => {
  it("need an operator's session: none is 401, a reviewer's is 403, an operator's works", async () => {
    const svc = await startTestService();
    try {
      const operator: SeedAccount = {
        account: 'ops',
        password: 'operator password',
        totpSecret: 'EARMARKTESTOPERATOR2345672345672',
        pseudonym: 'op-1',
        role: 'operator',
      };
      await svc.addAccount(operator);
      const session = async (account?: SeedAccount): Promise<string> => {
        const r = await fetch(`${svc.url}/v1/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(await svc.signInBody(account ? { account } : {})),
        });
        expect(r.status).toBe(201);
        return ((await r.json()) as { token: string }).token;
      };
      const post = (token?: string) =>
        fetch(`${svc.url}/v1/admin/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ fault: 'delay', delayMs: 5 }),
        });
      expect((await post()).status).toBe(401);
      const reviewer = await post(await session());
      expect([reviewer.status, ((await reviewer.json()) as { error: { code: string } }).error.code]).toEqual([
        403,
        'operator_only',
      ]);
      expect((await post(await session(operator))).status).toBe(200);
      expect(await svc.service.core.faults.get()).toMatchObject({ fault: 'delay', delayMs: 5 });
    } finally {
      await svc.stop();
    }
  });
});
