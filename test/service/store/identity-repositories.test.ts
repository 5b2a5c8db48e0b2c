import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_FAULT } from '../../../service/store/fault-repository';
import {
  NameTakenError,
  type AuditEvent,
  type NewAccount,
  type NewOperator,
  type ServiceStore,
} from '../../../service/store/repositories';
import { openTestStore, testStoreKind } from '../../support/test-store';

const reviewer = (name: string, over: Partial<NewAccount> = {}): NewAccount => ({
  account: name,
  pseudonym: `p-${name}`,
  role: 'reviewer',
  passwordHash: 'scrypt$x',
  totpSecret: 'SECRET',
  ...over,
});
const operator = (name: string, over: Partial<NewOperator> = {}): NewOperator => ({
  account: name,
  pseudonym: `p-${name}`,
  passwordHash: 'scrypt$o',
  totpSecret: 'OSECRET',
  createdAt: 5,
  createdBy: null,
  ...over,
});
const key = (n: number): Buffer => Buffer.alloc(32, n);
const newDevice = (keyId: string, enrolledAt: number) => ({
  keyId,
  encryptionKey: key(1),
  signingKey: key(2),
  enrolledAt,
});

// Who may use the service, as every store keeps it; the vitest project picks the store.
describe(`identity repositories (${testStoreKind()})`, () => {
  let store: ServiceStore;
  beforeEach(async () => {
    store = await openTestStore();
  });
  afterEach(async () => {
    await store.close();
  });

  it('keeps one namespace for accounts and operators, names and pseudonyms alike', async () => {
    await store.accounts.add(reviewer('ana', { maxDevices: 3 }));
    await store.accounts.addOperator(operator('olga'));
    await expect(store.accounts.addOperator(operator('ana', { pseudonym: 'other' }))).rejects.toThrow(/taken/);
    await expect(store.accounts.add(reviewer('olga', { pseudonym: 'other' }))).rejects.toThrow(/taken/);
    await expect(store.accounts.add(reviewer('bo', { pseudonym: 'p-olga' }))).rejects.toThrow(/taken/);
    // Taken in the same table (another process added it since the caller looked): the same error.
    await expect(store.accounts.add(reviewer('ana', { pseudonym: 'other' }))).rejects.toThrow(NameTakenError);
    await expect(store.accounts.add(reviewer('bo', { pseudonym: 'p-ana' }))).rejects.toThrow(NameTakenError);
    await expect(store.accounts.addOperator(operator('olga', { pseudonym: 'other' }))).rejects.toThrow(NameTakenError);
    await expect(store.accounts.addOperator(operator('oz', { pseudonym: 'p-olga' }))).rejects.toThrow(NameTakenError);
    expect(await store.accounts.find('ana')).toEqual({
      account: 'ana',
      pseudonym: 'p-ana',
      role: 'reviewer',
      passwordHash: 'scrypt$x',
      totpSecret: 'SECRET',
      totpLastCounter: -1,
      maxDevices: 3,
      disabledAt: null,
    });
    expect(await store.accounts.find('olga')).toMatchObject({ role: 'operator', maxDevices: 0, totpLastCounter: -1 });
    expect(await store.accounts.find('nobody')).toBeUndefined();
    expect(await store.accounts.byPseudonym('p-ana')).toBe('ana');
    expect(await store.accounts.byPseudonym('p-olga')).toBeUndefined();
    expect(await store.accounts.pseudonymTaken('p-ana')).toBe(true);
    expect(await store.accounts.pseudonymTaken('p-olga')).toBe(true);
    expect(await store.accounts.pseudonymTaken('p-nobody')).toBe(false);
    expect(await store.accounts.operatorCount()).toBe(1);
  });

  it('spends each TOTP step once, disables once, and limits devices of reviewers only', async () => {
    await store.accounts.add(reviewer('ana'));
    await store.accounts.addOperator(operator('olga'));
    expect(await store.accounts.spendTotp('ana', 100)).toBe(true);
    expect(await store.accounts.spendTotp('ana', 100)).toBe(false);
    expect(await store.accounts.spendTotp('ana', 99)).toBe(false);
    expect(await store.accounts.spendTotp('olga', 7)).toBe(true);
    expect(await store.accounts.spendTotp('olga', 7)).toBe(false);
    expect(await store.accounts.spendTotp('nobody', 7)).toBe(false);
    expect((await store.accounts.find('ana'))?.totpLastCounter).toBe(100);
    expect(await store.accounts.setMaxDevices('ana', 4)).toBe(true);
    expect(await store.accounts.setMaxDevices('olga', 4)).toBe(false);
    expect(await store.accounts.disable('ana', 50)).toBe(true);
    expect(await store.accounts.disable('ana', 60)).toBe(false);
    expect(await store.accounts.disable('olga', 70)).toBe(true);
    expect(await store.accounts.disable('nobody', 70)).toBe(false);
    expect((await store.accounts.find('ana'))?.disabledAt).toBe(50);
    expect((await store.accounts.find('olga'))?.disabledAt).toBe(70);
  });

  it('keeps sessions by token hash: first end time, expiry only brought forward, ops counted', async () => {
    const device = { keyId: 'k-1', signingKey: key(9) };
    await store.sessions.add(Buffer.from('t1'), { account: 'ana', device, createdAt: 1, expiresAt: 100 });
    await store.sessions.add(Buffer.from('t2'), { account: 'ana', device, createdAt: 1, expiresAt: 100 });
    await store.sessions.countOps(Buffer.from('t1'), 3);
    await store.sessions.countOps(Buffer.from('t1'), 2);
    await store.sessions.expire(Buffer.from('t1'), 200);
    await store.sessions.expire(Buffer.from('t1'), 80);
    await store.sessions.end(Buffer.from('t1'), 90);
    await store.sessions.end(Buffer.from('t1'), 95);
    expect(await store.sessions.find(Buffer.from('t1'))).toEqual({
      account: 'ana',
      keyId: 'k-1',
      signingKey: key(9),
      expiresAt: 80,
      endedAt: 90,
      opsStored: 5,
    });
    await store.sessions.endAllOf('ana', 99);
    expect((await store.sessions.find(Buffer.from('t2')))?.endedAt).toBe(99);
    expect(await store.sessions.find(Buffer.from('t3'))).toBeUndefined();
  });

  it('finds a caller as the session, account and device lookups would, in one read', async () => {
    await store.accounts.add(reviewer('ana'));
    await store.accounts.addOperator(operator('olga'));
    await store.devices.enrol('ana', newDevice('k-1', 1));
    const device = (keyId: string) => ({ keyId, signingKey: key(9) });
    await store.sessions.add(Buffer.from('t1'), {
      account: 'ana',
      device: device('k-1'),
      createdAt: 1,
      expiresAt: 100,
    });
    await store.sessions.add(Buffer.from('t2'), {
      account: 'ana',
      device: device('k-2'),
      createdAt: 1,
      expiresAt: 100,
    });
    await store.sessions.add(Buffer.from('t3'), {
      account: 'olga',
      device: device('k-1'),
      createdAt: 1,
      expiresAt: 100,
    });
    await store.sessions.add(Buffer.from('t4'), {
      account: 'gone',
      device: device('k-1'),
      createdAt: 1,
      expiresAt: 100,
    });
    for (const token of ['t1', 't2', 't3', 't4']) {
      const hash = Buffer.from(token);
      const session = await store.sessions.find(hash);
      expect(await store.callers.find(hash)).toEqual({
        session,
        account: await store.accounts.find(session?.account ?? ''),
        deviceEnrolled: (await store.devices.find(session?.account ?? '', session?.keyId ?? '')) !== undefined,
      });
    }
    expect((await store.callers.find(Buffer.from('t1')))?.deviceEnrolled).toBe(true);
    expect((await store.callers.find(Buffer.from('t2')))?.deviceEnrolled).toBe(false);
    expect((await store.callers.find(Buffer.from('t3')))?.account?.role).toBe('operator');
    expect((await store.callers.find(Buffer.from('t4')))?.account).toBeUndefined();
    expect(await store.callers.find(Buffer.from('t5'))).toBeUndefined();
  });

  it('enrols a key once, lists devices newest first then by code point, and never approves a revoked key', async () => {
    await store.accounts.add(reviewer('ana'));
    await store.accounts.add(reviewer('Zed'));
    const first = await store.devices.enrol('ana', newDevice('k-b', 10));
    expect(first).toEqual({
      account: 'ana',
      ...newDevice('k-b', 10),
      state: 'pending',
      decidedAt: null,
      decidedBy: null,
    });
    expect(await store.devices.enrol('ana', { ...newDevice('k-b', 99), encryptionKey: key(7) })).toEqual(first);
    await store.devices.enrol('ana', newDevice('K-a', 10));
    await store.devices.enrol('Zed', newDevice('k-z', 10));
    await store.devices.enrol('ana', newDevice('k-new', 20));
    const order = (await store.devices.list({})).map((d) => `${d.account}/${d.keyId}`);
    expect(order).toEqual(['ana/k-new', 'Zed/k-z', 'ana/K-a', 'ana/k-b']);
    expect(await store.devices.decide('ana', 'k-b', 'approved', 30, 'olga')).toBe(true);
    expect(await store.devices.decide('ana', 'k-b', 'approved', 31, 'olga')).toBe(false);
    expect(await store.devices.approvedCount('ana')).toBe(1);
    expect((await store.devices.list({ state: 'approved' })).map((d) => d.keyId)).toEqual(['k-b']);
    expect((await store.devices.list({ account: 'Zed' })).map((d) => d.keyId)).toEqual(['k-z']);
    expect(await store.devices.decide('ana', 'k-b', 'revoked', 40, 'olga')).toBe(true);
    expect(await store.devices.decide('ana', 'k-b', 'approved', 41, 'olga')).toBe(false);
    expect(await store.devices.find('ana', 'k-b')).toMatchObject({
      state: 'revoked',
      decidedAt: 40,
      decidedBy: 'olga',
    });
    expect(await store.devices.find('ana', 'k-none')).toBeUndefined();
  });

  it('redeems an enrolment code once, for its account, before it expires, and counts attempts', async () => {
    await store.accounts.add(reviewer('ana'));
    await store.accounts.add(reviewer('bo'));
    const code = { account: 'ana', issuedBy: 'olga', issuedAt: 1, expiresAt: 100 };
    await store.enrolmentCodes.add({ ...code, codeHash: Buffer.from('c1') });
    await store.enrolmentCodes.add({ ...code, codeHash: Buffer.from('c2') });
    expect(await store.enrolmentCodes.redeem(Buffer.from('c1'), 'bo', 10, 'k')).toBe(false);
    expect(await store.enrolmentCodes.redeem(Buffer.from('c1'), 'ana', 100, 'k')).toBe(false);
    expect(await store.enrolmentCodes.redeem(Buffer.from('c1'), 'ana', 99, 'k')).toBe(true);
    expect(await store.enrolmentCodes.redeem(Buffer.from('c1'), 'ana', 99, 'k')).toBe(false);
    expect(await store.enrolmentCodes.redeem(Buffer.from('c2'), 'ana', 50, 'k')).toBe(true);
    await store.enrolmentCodes.recordAttempt('ana', 10);
    await store.enrolmentCodes.recordAttempt('ana', 20);
    await store.enrolmentCodes.recordAttempt('bo', 20);
    expect(await store.enrolmentCodes.attemptsSince('ana', 10)).toBe(1);
    expect(await store.enrolmentCodes.attemptsSince('ana', 0)).toBe(2);
  });

  it('spends a challenge once until it expires, and counts failures by pair, source and name', async () => {
    expect(await store.signIns.spendChallenge(Buffer.from('ch1'), 100, 0)).toBe(true);
    expect(await store.signIns.spendChallenge(Buffer.from('ch2'), 50, 10)).toBe(true);
    expect(await store.signIns.spendChallenge(Buffer.from('ch1'), 100, 49)).toBe(false);
    expect(await store.signIns.spendChallenge(Buffer.from('ch2'), 50, 49)).toBe(false);
    // Past its expiry a spent challenge is forgotten (the route refuses it by its own expiry).
    expect(await store.signIns.spendChallenge(Buffer.from('ch3'), 200, 50)).toBe(true);
    expect(await store.signIns.spendChallenge(Buffer.from('ch2'), 200, 60)).toBe(true);
    expect(await store.signIns.spendChallenge(Buffer.from('ch1'), 200, 60)).toBe(false);
    const ids = [
      await store.signIns.addFailure('ana', 's1', 30),
      await store.signIns.addFailure('ana', 's1', 10),
      await store.signIns.addFailure('ana', 's2', 20),
      await store.signIns.addFailure('bo', 's1', 40),
    ];
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(await store.signIns.pairFailures('ana', 's1')).toEqual([10, 30]);
    expect(await store.signIns.sourceFailuresSince('s1', 10)).toEqual([30, 40]);
    expect(await store.signIns.nameFailuresSince('ana', 0)).toEqual([10, 20, 30]);
    await store.signIns.clearPair('ana', 's1');
    expect(await store.signIns.nameFailuresSince('ana', 0)).toEqual([20]);
    await store.signIns.prune(30);
    expect(await store.signIns.sourceFailuresSince('s1', 0)).toEqual([40]);
    expect(await store.signIns.nameFailuresSince('ana', 0)).toEqual([]);
  });

  it('gives the oldest service key', async () => {
    expect(await store.serviceKeys.oldest()).toBeUndefined();
    await store.serviceKeys.add('k-2', 'PEM-2', 20);
    await store.serviceKeys.add('k-1', 'PEM-1', 10);
    expect(await store.serviceKeys.oldest()).toBe('PEM-1');
  });

  it('keeps the audit trail in order, with its detail as given', async () => {
    const event: AuditEvent = {
      at: 1,
      actor: null,
      source: 'cli',
      action: 'device.enrol',
      outcome: 'refused',
      code: 'device_pending',
      subject: 'k-1',
      detail: { clips: 3, note: 'ü', ok: false, none: null },
    };
    await store.audit.append(event);
    await store.audit.append({ ...event, action: 'batch.checkout', outcome: 'ok', code: null, actor: 'ana' });
    const rows = await store.audit.list({ afterSeq: 0, limit: 10 });
    expect(rows).toEqual([
      { ...event, seq: rows[0]?.seq },
      { ...event, action: 'batch.checkout', outcome: 'ok', code: null, actor: 'ana', seq: rows[1]?.seq },
    ]);
    expect((rows[1]?.seq ?? 0) > (rows[0]?.seq ?? 0)).toBe(true);
    expect((await store.audit.list({ afterSeq: 0, limit: 10, action: 'batch.checkout' })).map((r) => r.actor)).toEqual([
      'ana',
    ]);
    expect(await store.audit.list({ afterSeq: rows[1]?.seq ?? 0, limit: 10 })).toEqual([]);
    expect(await store.audit.list({ afterSeq: 0, limit: 1 })).toHaveLength(1);
  });

  it('forms teams: names once, members once, supervisors reading their members', async () => {
    for (const name of ['ana', 'Bo', 'cy']) {
      await store.accounts.add(reviewer(name));
    }
    await store.accounts.add(reviewer('sue', { role: 'supervisor' }));
    expect(await store.teams.create('night', 1, 'olga')).toBe(true);
    expect(await store.teams.create('night', 2, 'olga')).toBe(false);
    expect(await store.teams.create('Day', 3, 'olga')).toBe(true);
    expect(await store.teams.find('night')).toEqual({ team: 'night', createdAt: 1, createdBy: 'olga' });
    expect(await store.teams.find('none')).toBeUndefined();
    const add = (team: string, account: string, role: 'member' | 'supervisor' = 'member') =>
      store.teams.addMember({ team, account, role, at: 4, by: 'olga' });
    expect(await add('night', 'cy')).toBe(true);
    expect(await add('night', 'cy')).toBe(false);
    await add('night', 'ana');
    await add('night', 'Bo');
    await add('night', 'sue', 'supervisor');
    await add('Day', 'cy');
    await add('Day', 'sue', 'supervisor');
    expect(await store.teams.list()).toEqual([
      { team: 'Day', createdAt: 3, createdBy: 'olga', members: 2 },
      { team: 'night', createdAt: 1, createdBy: 'olga', members: 4 },
    ]);
    expect((await store.teams.members('night')).map((m) => m.account)).toEqual(['Bo', 'ana', 'cy', 'sue']);
    expect(await store.teams.supervisedMembers('sue')).toEqual([
      { account: 'Bo', pseudonym: 'p-Bo', role: 'member' },
      { account: 'ana', pseudonym: 'p-ana', role: 'member' },
      { account: 'cy', pseudonym: 'p-cy', role: 'member' },
    ]);
    expect(await store.teams.setRole('night', 'ana', 'supervisor')).toBe(true);
    expect(await store.teams.setRole('night', 'nobody', 'supervisor')).toBe(false);
    expect(await store.teams.removeMember('night', 'Bo')).toBe(true);
    expect(await store.teams.removeMember('night', 'Bo')).toBe(false);
    expect((await store.teams.supervisedMembers('sue')).map((m) => m.account)).toEqual(['cy']);
  });

  it('keeps one fault switch: uploads counted from 1 after each switch, the token expiry taken once', async () => {
    expect(await store.faults.get()).toEqual(NO_FAULT);
    expect(await store.faults.takeTokenExpiry(1_000)).toBe(false);
    const expiring = { fault: 'expire_token' as const, delayMs: 0, retryAfterSeconds: 1, afterOps: 3, every: 4 };
    await store.faults.set(expiring);
    expect(await store.faults.get()).toEqual(expiring);
    expect(await store.faults.takeTokenExpiry(2)).toBe(false);
    expect(await store.faults.takeTokenExpiry(3)).toBe(true);
    expect(await store.faults.takeTokenExpiry(9)).toBe(false);
    expect(await store.faults.countUpload()).toEqual({ uploads: 1, every: 4 });
    expect(await store.faults.countUpload()).toEqual({ uploads: 2, every: 4 });
    await store.faults.set(expiring);
    expect(await store.faults.countUpload()).toEqual({ uploads: 1, every: 4 });
    expect(await store.faults.takeTokenExpiry(3)).toBe(true);
  });
});
