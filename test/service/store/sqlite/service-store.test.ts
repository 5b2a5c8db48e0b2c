import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewAccount, ServiceStore } from '../../../../service/store/repositories';
import { openSqliteServiceStore } from '../../../../service/store/sqlite/service-store';

const device = { keyId: '0123456789abcdef', signingKey: Buffer.alloc(32, 7) };
const account = (name: string): NewAccount => ({
  account: name,
  pseudonym: `p-${name}`,
  role: 'reviewer',
  passwordHash: 'scrypt$x',
  totpSecret: 'SECRET',
});

/** A turn of the event loop: every settled promise has run its callbacks by then. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

// What only SQLite's one connection does: units of work run one at a time, and calls on the
// store wait for the open unit. The contract every store keeps is in ../service-store.test.ts.
describe('SQLite service store, one writer', () => {
  let store: ServiceStore;

  beforeEach(async () => {
    store = openSqliteServiceStore(':memory:');
    await store.accounts.add(account('r'));
  });
  afterEach(async () => {
    await store.close();
  });

  it('makes calls on the store wait for an open unit', async () => {
    const hold = deferred();
    const unit = store.transaction(async (tx) => {
      await tx.accounts.add(account('inside'));
      await hold.promise;
      throw new Error('rolled back');
    });
    await turn();
    let seen: unknown = 'pending';
    const read = store.accounts.find('inside').then((a) => {
      seen = a;
    });
    await turn();
    expect(seen).toBe('pending');
    hold.resolve();
    await expect(unit).rejects.toThrow('rolled back');
    await read;
    expect(seen).toBeUndefined();
  });

  it('runs concurrent units one after the other', async () => {
    const bump = (token: string) =>
      store.transaction(async (tx) => {
        const before = (await tx.sessions.find(Buffer.from('t')))?.opsStored ?? 0;
        await turn();
        await tx.sessions.countOps(Buffer.from('t'), 1);
        await tx.accounts.setMaxDevices('r', before + 1);
        return token;
      });
    await store.sessions.add(Buffer.from('t'), { account: 'r', device, createdAt: 0, expiresAt: 100 });
    expect(await Promise.all([bump('x'), bump('y'), bump('z')])).toEqual(['x', 'y', 'z']);
    expect((await store.sessions.find(Buffer.from('t')))?.opsStored).toBe(3);
    expect((await store.accounts.find('r'))?.maxDevices).toBe(3);
  });
});
