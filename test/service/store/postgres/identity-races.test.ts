import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInLimits as L } from '../../../../shared/sync/protocol';
import { admitSignIn } from '../../../../service/sign-in-throttle';
import type { NewAccount, ServiceStore } from '../../../../service/store/repositories';
import { openPostgresServiceStore } from '../../../../service/store/postgres/service-store';
import { newTestPgDatabase } from '../../../support/test-store';

const reviewer = (name: string, pseudonym = `p-${name}`): NewAccount => ({
  account: name,
  pseudonym,
  role: 'reviewer',
  passwordHash: 'scrypt$x',
  totpSecret: 'SECRET',
});

/** How each racer's promise ended. */
const outcomes = async (racers: readonly Promise<unknown>[]): Promise<string[]> =>
  (await Promise.allSettled(racers)).map((r) => r.status).sort();

// Two pools on one database stand for two service processes behind one load balancer.
describe('PostgreSQL identity store, two processes racing', () => {
  let a: ServiceStore;
  let b: ServiceStore;
  beforeEach(async () => {
    const url = await newTestPgDatabase();
    a = await openPostgresServiceStore(url, { poolSize: 4 });
    b = await openPostgresServiceStore(url, { poolSize: 4 });
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('creates a name once: the same account twice at once, or an account and an operator', async () => {
    expect(await outcomes([a.accounts.add(reviewer('ana')), b.accounts.add(reviewer('ana', 'other'))])).toEqual([
      'fulfilled',
      'rejected',
    ]);
    const operator = { pseudonym: 'p-olga', passwordHash: 'h', totpSecret: 's', createdAt: 1, createdBy: null };
    // Which racer wins decides whether the third fits (it clashes only with the first), so the
    // assertion is the invariant: no name and no pseudonym held twice across both tables.
    const raced = await outcomes([
      a.accounts.add(reviewer('olga', 'p-x')),
      b.accounts.addOperator({ ...operator, account: 'olga' }),
      a.accounts.addOperator({ ...operator, account: 'olga-2', pseudonym: 'p-x' }),
    ]);
    expect(raced).toContain('fulfilled');
    expect(raced).toContain('rejected');
    const all = await b.accounts.list();
    const names = all.map((x) => x.account);
    const pseudonyms = all.map((x) => x.pseudonym);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(pseudonyms).size).toBe(pseudonyms.length);
    expect(names.filter((n) => n === 'olga')).toHaveLength(1);
    expect(names).toContain('ana');
  });

  it('counts sign-in failures from both, so a pair is admitted its five attempts and no more', async () => {
    const now = 1_800_000_000_000;
    const admit = (store: ServiceStore) => store.transaction((tx) => admitSignIn(tx, 'ana', '10.0.0.1', now));
    const verdicts = await Promise.all(Array.from({ length: 12 }, (_, i) => admit(i % 2 === 0 ? a : b)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(L.pairFailures);
    expect(await a.signIns.pairFailures('ana', '10.0.0.1')).toHaveLength(L.pairFailures);
  });

  it('spends a TOTP step, an enrolment code and the token expiry once, whichever process asks', async () => {
    await a.accounts.add(reviewer('ana'));
    const spent = await Promise.all([a, b, a, b].map((s) => s.accounts.spendTotp('ana', 42)));
    expect(spent.filter(Boolean)).toHaveLength(1);
    const code = { codeHash: Buffer.from('c1'), account: 'ana', issuedBy: 'olga', issuedAt: 1, expiresAt: 100 };
    await a.enrolmentCodes.add(code);
    const redeemed = await Promise.all([a, b, a, b].map((s) => s.enrolmentCodes.redeem(code.codeHash, 'ana', 5, 'k')));
    expect(redeemed.filter(Boolean)).toHaveLength(1);
    await a.faults.set({ fault: 'expire_token', delayMs: 0, retryAfterSeconds: 1, afterOps: 1, every: 3 });
    const taken = await Promise.all([a, b, a, b].map((s) => s.faults.takeTokenExpiry(5)));
    expect(taken.filter(Boolean)).toHaveLength(1);
  });

  it('numbers the uploads both processes count under one fault switch without gaps or repeats', async () => {
    await b.faults.set({ fault: 'error_after_commit', delayMs: 0, retryAfterSeconds: 1, afterOps: 0, every: 3 });
    const counts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).faults.countUpload()));
    expect(counts.map((c) => c.uploads).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(counts.map((c) => c.every))).toEqual(new Set([3]));
  });

  it('approves within the device limit and settles on one service key, however many race', async () => {
    await a.accounts.add(reviewer('ana'));
    for (const keyId of ['k1', 'k2', 'k3', 'k4']) {
      await a.devices.enrol('ana', {
        keyId,
        encryptionKey: Buffer.alloc(32),
        signingKey: Buffer.alloc(32),
        enrolledAt: 1,
      });
    }
    // What service/devices.ts does: count the approved devices, then approve below the limit (1).
    const approve = (store: ServiceStore, keyId: string) =>
      store.transaction(async (tx) =>
        (await tx.devices.approvedCount('ana')) < 1 ? tx.devices.decide('ana', keyId, 'approved', 2, 'olga') : false,
      );
    const approved = await Promise.all(['k1', 'k2', 'k3', 'k4'].map((k, i) => approve(i % 2 === 0 ? a : b, k)));
    expect(approved.filter(Boolean)).toHaveLength(1);
    expect(await b.devices.approvedCount('ana')).toBe(1);
    // What service/core.ts does on first use: the oldest key, or a new one stored.
    const firstKey = (store: ServiceStore, n: number) =>
      store.transaction(async (tx) => {
        const pem = await tx.serviceKeys.oldest();
        if (pem) {
          return pem;
        }
        await tx.serviceKeys.add(`k-${n}`, `PEM-${n}`, n);
        return `PEM-${n}`;
      });
    const keys = await Promise.all([a, b, a, b].map((s, n) => firstKey(s, n)));
    expect(new Set(keys).size).toBe(1);
  });
});
