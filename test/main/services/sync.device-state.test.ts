import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approveDevice, revokeDevice } from '../../../service/devices';
import type { SeedAccount } from '../../../service/seed';
import { makeServices, type ServicesEnv } from '../../support/services';
import { startTestService, type TestService } from '../../support/reference-service';

describe("sync service: this workstation's key with the service", () => {
  let svc: TestService;
  let env: ServicesEnv;

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addBatch('b-AAAAAAAAADEV1CE1', 2);
    env = makeServices({ serviceUrl: svc.url });
  });
  afterEach(async () => {
    env.dispose();
    await svc.stop();
  });

  it('is unregistered before sign-in, pending without an enrolment code, and gets no batches', async () => {
    expect(env.services.sync.status().deviceState).toBe('unregistered');
    const { enrolmentCode, ...creds } = svc.credentials();
    expect(enrolmentCode).not.toBe('');
    await env.services.sync.signIn(creds);
    await env.services.sync.syncNow();
    expect(env.services.sync.status()).toMatchObject({ deviceState: 'pending', connection: 'online' });
    expect(env.services.batches.list()).toEqual([]);
  });

  it('reads the key state afresh for a "sync now" asked after the running cycle read it', async () => {
    const { enrolmentCode: _unused, ...creds } = svc.credentials();
    let asked: Promise<unknown> | undefined;
    const gated = makeServices({
      serviceUrl: svc.url,
      sync: {
        fetch: async (input, init) => {
          const url = input instanceof Request ? input.url : String(input);
          // Between the cycle's key-state answer (pending) and its batch status: an operator
          // approves the key, and the reviewer presses "sync now".
          if (asked === undefined && url.includes('/v1/batches')) {
            const keyId = gated.services.vault.deviceKey().keyId;
            await approveDevice(svc.service.core, { operator: 'tests', source: 'cli' }, svc.reviewer.account, keyId);
            asked = gated.services.sync.syncNow();
          }
          return fetch(input, init);
        },
      },
    });
    try {
      await gated.services.sync.signIn(creds);
      expect(gated.services.sync.status().deviceState).toBe('pending');
      await gated.services.sync.syncNow();
      await asked;
      expect(asked).toBeDefined();
      // The ask got a cycle of its own, which found the key approved and took the batch.
      expect(gated.services.sync.status().deviceState).toBe('approved');
      expect(gated.services.batches.list().map((b) => b.id)).toEqual(['b-AAAAAAAAADEV1CE1']);
    } finally {
      gated.dispose();
    }
  });

  it('is approved with an enrolment code, and shows revoked once an operator revokes it', async () => {
    await env.services.sync.signIn(svc.credentials());
    expect(env.services.sync.status().deviceState).toBe('approved');
    await env.services.sync.syncNow();
    expect(env.services.batches.list().map((b) => b.id)).toEqual(['b-AAAAAAAAADEV1CE1']);
    const keyId = env.services.vault.deviceKey().keyId;
    await revokeDevice(svc.service.core, { operator: 'tests', source: 'cli' }, svc.reviewer.account, keyId);
    await env.services.sync.syncNow();
    expect(env.services.sync.status().deviceState).toBe('revoked');
    expect(env.services.batches.list().map((b) => [b.id, b.status])).toEqual([['b-AAAAAAAAADEV1CE1', 'revoked']]);
  });

  it('refuses a wrong enrolment code with its own error and keeps nothing of the sign-in', async () => {
    await expect(
      env.services.sync.signIn({ ...svc.credentials(), enrolmentCode: 'AAAA-BBBB-CCCC-DDDD' }),
    ).rejects.toMatchObject({ code: 'ENROLMENT_CODE_INVALID' });
    expect(env.services.sync.status()).toMatchObject({ connection: 'signedOut', deviceState: 'unregistered' });
  });

  it('refuses to sign in an operator account: operators use the admin CLI', async () => {
    const operator: SeedAccount = {
      account: 'ops',
      password: 'operator password',
      totpSecret: 'EARMARKTESTOPERATOR2345672345672',
      pseudonym: 'op-1',
      role: 'operator',
    };
    await svc.addAccount(operator);
    await expect(
      env.services.sync.signIn({
        account: operator.account,
        password: operator.password,
        totp: svc.nextCode(operator),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE', message: expect.stringContaining('admin CLI') as string });
    expect(env.services.sync.status().connection).toBe('signedOut');
    // The session the service opened for it was ended at once.
    expect(await svc.query<{ ended_at: number | null }>('SELECT ended_at FROM sessions')).toEqual([
      { ended_at: expect.any(Number) as number },
    ]);
  });
});
