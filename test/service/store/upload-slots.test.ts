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
  expiresAt: now + 1_000,
  ...o,
});

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

  const held = async () => (await a.uploadSlots.list()).map((l) => [l.slot, l.holder, l.account, l.expiresAt] as const);

  it('hands out the lowest free slots up to the cap, one per account, to either process', async () => {
    expect(await a.uploadSlots.acquire(claim('h1', 'ana'))).toBe('taken');
    expect(await b.uploadSlots.acquire(claim('h2', 'ana'))).toBe('account_busy');
    expect(await b.uploadSlots.acquire(claim('h3', 'bo'))).toBe('taken');
    expect(await a.uploadSlots.acquire(claim('h4', 'cy'))).toBe('full');
    expect(await held()).toEqual([
      [0, 'h1', 'ana', 1_100],
      [1, 'h3', 'bo', 1_100],
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

  it('frees a lease once its expiry has passed, for anyone and for its own account', async () => {
    await a.uploadSlots.acquire(claim('dead-1', 'ana', 100));
    await a.uploadSlots.acquire(claim('dead-2', 'bo', 200));
    expect(await b.uploadSlots.acquire(claim('h1', 'cy', 1_099))).toBe('full');
    expect(await b.uploadSlots.acquire(claim('h1', 'ana', 1_099))).toBe('account_busy');
    // At its expiry the first lease is free: its account may upload again, in its slot.
    expect(await b.uploadSlots.acquire(claim('h1', 'ana', 1_100))).toBe('taken');
    expect((await held()).map(([slot, holder]) => [slot, holder])).toEqual([
      [0, 'h1'],
      [1, 'dead-2'],
    ]);
    // The dead holder's late release frees nothing of the new holder's.
    expect(await a.uploadSlots.release('dead-1')).toBe(false);
    expect(await a.uploadSlots.list()).toHaveLength(2);
  });

  it('hands out each slot once when claims race through two processes', async () => {
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
