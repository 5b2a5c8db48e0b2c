import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceStore } from '../../../service/store/repositories';
import type { UploadSlotClaim } from '../../../service/store/upload-slot-repository';
import { makeTempDir } from '../../support/temp-dir';
import {
  newTestStoreTarget,
  openTestStoreAt,
  runOnTestStore,
  testStoreKind,
  type TestStoreTarget,
} from '../../support/test-store';

const claim = (holder: string, account: string, now = 100, o: Partial<UploadSlotClaim> = {}): UploadSlotClaim => ({
  holder,
  account,
  slots: 2,
  now,
  leaseMs: 1_000,
  ...o,
});

// Tests of one store alone: the run on the other store does not have them (rather than skipping).
const onSqlite = testStoreKind() === 'sqlite' ? it : undefined;
const onPostgres = testStoreKind() === 'postgres' ? it : undefined;

// The store-wide slots for large uploads, as every store keeps them; the vitest project picks the
// store. Two stores opened on one target stand for two service processes on one database.
describe(`upload slots (${testStoreKind()})`, () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let target: TestStoreTarget;
  let a: ServiceStore;
  let b: ServiceStore;
  beforeEach(async () => {
    tmp = makeTempDir('earmark-upload-slots-');
    target = await newTestStoreTarget(join(tmp.dir, 'service.db'));
    a = await openTestStoreAt(target);
    b = await openTestStoreAt(target);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    tmp.remove();
  });

  const held = async () => (await a.uploadSlots.list()).map((l) => [l.slot, l.holder, l.account] as const);
  /** The database's clock now, in ms (PostgreSQL). */
  const dbNow = async (): Promise<number> =>
    (
      await runOnTestStore<{ now: number }>(
        target,
        'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now',
        [],
      )
    )[0]?.now ?? 0;

  it('hands out the lowest free slots up to the cap, one per account, to either process', async () => {
    expect(await a.uploadSlots.acquire(claim('h1', 'ana'))).toBe('taken');
    expect(await b.uploadSlots.acquire(claim('h2', 'ana'))).toBe('account_busy');
    expect(await b.uploadSlots.acquire(claim('h3', 'bo'))).toBe('taken');
    expect(await a.uploadSlots.acquire(claim('h4', 'cy'))).toBe('full');
    expect(await held()).toEqual([
      [0, 'h1', 'ana'],
      [1, 'h3', 'bo'],
    ]);
    // A larger cap is a parameter, not a schema change.
    expect(await a.uploadSlots.acquire(claim('h4', 'cy', 100, { slots: 3 }))).toBe('taken');
    expect((await held()).map(([slot, holder]) => [slot, holder])).toEqual([
      [0, 'h1'],
      [1, 'h3'],
      [2, 'h4'],
    ]);
  });

  it("gives back only the holder's own slot", async () => {
    await a.uploadSlots.acquire(claim('h1', 'ana'));
    await b.uploadSlots.acquire(claim('h2', 'bo'));
    expect(await b.uploadSlots.release('someone-else')).toBe(false);
    expect(await b.uploadSlots.release('h1')).toBe(true);
    expect(await a.uploadSlots.release('h1')).toBe(false);
    expect((await held()).map(([slot, holder]) => [slot, holder])).toEqual([[1, 'h2']]);
    // The freed slot is the one taken next, and the account that gave it back may take one again.
    expect(await a.uploadSlots.acquire(claim('h3', 'ana'))).toBe('taken');
    expect((await held()).map(([slot, holder]) => [slot, holder])).toEqual([
      [0, 'h3'],
      [1, 'h2'],
    ]);
  });

  onSqlite?.(
    'frees a lease once its expiry by the service clock has passed, for anyone and its own account',
    async () => {
      await a.uploadSlots.acquire(claim('dead-1', 'ana', 100));
      await a.uploadSlots.acquire(claim('dead-2', 'bo', 200));
      expect((await a.uploadSlots.list()).map((l) => l.expiresAt)).toEqual([1_100, 1_200]);
      expect(await b.uploadSlots.acquire(claim('h1', 'cy', 1_099))).toBe('full');
      expect(await b.uploadSlots.acquire(claim('h1', 'ana', 1_099))).toBe('account_busy');
      // At its expiry the first lease is free: its account may upload again, in its slot.
      expect(await b.uploadSlots.acquire(claim('h1', 'ana', 1_100))).toBe('taken');
      expect(await held()).toEqual([
        [0, 'h1', 'ana'],
        [1, 'dead-2', 'bo'],
      ]);
      // The dead holder's late release frees nothing of the new holder's.
      expect(await a.uploadSlots.release('dead-1')).toBe(false);
      expect(await a.uploadSlots.list()).toHaveLength(2);
    },
  );

  onPostgres?.('judges leases by the database clock, whatever the clock of the process claiming', async () => {
    const hour = 3_600_000;
    const before = await dbNow();
    expect(await a.uploadSlots.acquire(claim('h1', 'ana', 0, { leaseMs: hour }))).toBe('taken');
    expect(await a.uploadSlots.acquire(claim('h2', 'bo', 0, { leaseMs: hour }))).toBe('taken');
    const after = await dbNow();
    // The expiry is the database's now plus the lease, not the (far behind) service clock's.
    for (const lease of await a.uploadSlots.list()) {
      expect(lease.expiresAt).toBeGreaterThanOrEqual(before + hour);
      expect(lease.expiresAt).toBeLessThanOrEqual(after + hour);
    }
    // A process whose clock runs a day ahead of the database's frees neither live lease.
    const fast = before + 24 * hour;
    expect(await b.uploadSlots.acquire(claim('h3', 'cy', fast))).toBe('full');
    expect(await b.uploadSlots.acquire(claim('h3', 'ana', fast))).toBe('account_busy');
    expect(await held()).toEqual([
      [0, 'h1', 'ana'],
      [1, 'h2', 'bo'],
    ]);
    // A lease lapsed by the database's clock is free, even to a process whose clock is far behind.
    await runOnTestStore(target, "UPDATE large_upload_slots SET expires_at = ? WHERE holder = 'h1'", [before - 1]);
    expect(await b.uploadSlots.acquire(claim('h3', 'cy', 0))).toBe('taken');
    expect(await held()).toEqual([
      [0, 'h3', 'cy'],
      [1, 'h2', 'bo'],
    ]);
  });

  it("renews only the holder's own lease, and not once it has lapsed and been taken", async () => {
    // The time leases are judged by: on SQLite the service clock, which the test turns; on
    // PostgreSQL the database's own, which it cannot, so every lease is moved back instead.
    let now = 100;
    const pass = async (ms: number): Promise<void> => {
      now += ms;
      if (testStoreKind() === 'postgres') {
        await runOnTestStore(target, 'UPDATE large_upload_slots SET expires_at = expires_at - ?', [ms]);
      }
    };
    const lease = 60_000;
    await a.uploadSlots.acquire(claim('h1', 'ana', now, { leaseMs: lease }));
    await a.uploadSlots.acquire(claim('h2', 'bo', now, { leaseMs: lease }));
    await pass(50_000);
    expect(await b.uploadSlots.renew({ holder: 'h1', now, leaseMs: lease })).toBe(true);
    expect(await b.uploadSlots.renew({ holder: 'someone-else', now, leaseMs: lease })).toBe(false);
    // Past the first lease: the renewed one holds, the other has lapsed and is taken.
    await pass(20_000);
    expect(await b.uploadSlots.acquire(claim('h3', 'ana', now, { leaseMs: lease }))).toBe('account_busy');
    expect(await b.uploadSlots.acquire(claim('h3', 'bo', now, { leaseMs: lease }))).toBe('taken');
    expect(await held()).toEqual([
      [0, 'h1', 'ana'],
      [1, 'h3', 'bo'],
    ]);
    // The lapsed holder's renewal finds its slot gone, and takes nothing of the new holder's.
    expect(await a.uploadSlots.renew({ holder: 'h2', now, leaseMs: lease })).toBe(false);
    expect(await held()).toEqual([
      [0, 'h1', 'ana'],
      [1, 'h3', 'bo'],
    ]);
    expect(await a.uploadSlots.release('h1')).toBe(true);
    expect(await a.uploadSlots.renew({ holder: 'h1', now, leaseMs: lease })).toBe(false);
  });

  // On PostgreSQL each store is a pool of connections, so these claims run at once, and only the
  // advisory lock keeps two of them from taking one slot. Not run on SQLite: better-sqlite3 is
  // synchronous, so the claims of this one test process would run one after the other and the
  // test could not fail there; what keeps processes on one file apart is the write lock of the
  // immediate transaction, which SQLite itself provides.
  onPostgres?.('hands out each slot once when claims race through two processes', async () => {
    const racers = Array.from({ length: 20 }, (_, i) =>
      (i % 2 === 0 ? a : b).uploadSlots.acquire(claim(`h${i}`, `account-${i}`)),
    );
    const outcomes = await Promise.all(racers);
    expect(outcomes.filter((o) => o === 'taken')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'full')).toHaveLength(18);
    expect((await held()).map(([slot]) => slot)).toEqual([0, 1]);
  });

  it('keeps slot numbers, holders and accounts apart in the schema itself', async () => {
    await a.uploadSlots.acquire(claim('h1', 'ana'));
    const insert = (slot: number, holder: string, account: string) =>
      runOnTestStore(target, 'INSERT INTO large_upload_slots (slot, holder, account, expires_at) VALUES (?, ?, ?, 5)', [
        slot,
        holder,
        account,
      ]);
    await expect(insert(-1, 'h2', 'bo')).rejects.toThrow(/check/i);
    await expect(insert(0, 'h2', 'bo')).rejects.toThrow(/unique|duplicate/i);
    await expect(insert(1, 'h1', 'bo')).rejects.toThrow(/unique|duplicate/i);
    await expect(insert(1, 'h2', 'ana')).rejects.toThrow(/unique|duplicate/i);
  });
});
