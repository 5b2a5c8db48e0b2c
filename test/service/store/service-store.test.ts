import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outcomeStatus } from '../../../shared/sync/protocol';
import type {
  ExportedAnnotation,
  ExportedRecord,
  NewAccount,
  Repositories,
  ServiceStore,
} from '../../../service/store/repositories';
import { openTestStore, testStoreKind } from '../../support/test-store';

/** The annotation revisions of an export page, without its withdrawals. */
const revisionsOf = (records: readonly ExportedRecord[]): ExportedAnnotation[] =>
  records.flatMap((r) => (r.record === 'revision' ? [r] : []));

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

const batch = (batchId: string, clips: { id: string; audio: Buffer | null }[], expiresAt = 10) => ({
  batchId,
  assignedTo: 'r',
  locale: 'en-US',
  createdAt: 0,
  expiresAt,
  clips: clips.map((c) => ({
    details: { id: c.id, durationMs: 1, codec: 'wav' as const, asrText: '', consent: 'granted' as const },
    audio: c.audio,
  })),
});

// The contract every store keeps; the vitest project picks the store (test/support/test-store.ts).
describe(`service store (${testStoreKind()})`, () => {
  let store: ServiceStore;

  beforeEach(async () => {
    store = await openTestStore();
    await store.accounts.add(account('r'));
  });
  afterEach(async () => {
    await store.close();
  });

  it('commits everything a unit of work did together, and returns its value', async () => {
    const value = await store.transaction(async (tx) => {
      await tx.accounts.add(account('a'));
      await tx.sessions.add(Buffer.from('t1'), { account: 'a', device, createdAt: 0, expiresAt: 100 });
      return 'done';
    });
    expect(value).toBe('done');
    expect((await store.accounts.find('a'))?.pseudonym).toBe('p-a');
    expect(await store.sessions.find(Buffer.from('t1'))).toEqual({
      account: 'a',
      ...device,
      expiresAt: 100,
      endedAt: null,
      opsStored: 0,
    });
  });

  it('keeps none of a unit of work that rejects, and passes its error on', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.accounts.add(account('a'));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await store.accounts.find('a')).toBeUndefined();
  });

  it("keeps a unit's writes from calls on the store until it ends, and out of their way", async () => {
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
    const write = store.accounts.add(account('outside'));
    hold.resolve();
    await expect(unit).rejects.toThrow('rolled back');
    await Promise.all([read, write]);
    expect(seen).toBeUndefined();
    // Written outside the unit, so its rollback did not take it along.
    expect((await store.accounts.find('outside'))?.account).toBe('outside');
  });

  it('refuses the repositories of a unit that has ended', async () => {
    let kept: Repositories | undefined;
    await store.transaction(async (tx) => {
      kept = tx;
      return Promise.resolve();
    });
    await expect(kept?.accounts.find('r')).rejects.toThrow(/has ended/);
  });

  it('dedupes ops for good: a repeat is a duplicate with the stored result, another payload a conflict', async () => {
    const op = { opId: 'op-1', payload: { n: 1 }, refusal: null };
    const [stored] = await store.ops.apply('audit', 'r', [op], 5);
    expect(stored).toMatchObject({ outcome: 'stored', result: { receivedAt: 5 } });
    const [again] = await store.ops.apply('audit', 'r', [op], 9);
    expect(again).toEqual({ ...stored, outcome: 'duplicate', code: 'duplicate', status: outcomeStatus.duplicate });
    const [changed] = await store.ops.apply('audit', 'r', [{ ...op, payload: { n: 2 } }], 9);
    expect(changed?.outcome).toBe('conflict');
    expect(await store.ops.count('audit')).toBe(1);
  });

  it('applies a bulk upload all or nothing', async () => {
    await store.batches.add(batch('b1', [{ id: 'c1', audio: null }]));
    const good = {
      opId: 'op-good',
      payload: { g: 1 },
      revision: { batchId: 'b1', clipId: 'c1', revision: 1, baseRevision: 0, baseOpId: null },
      refusal: null,
    };
    // A revision of a batch the store does not hold breaks a foreign key half-way through.
    const bad = {
      ...good,
      opId: 'op-bad',
      revision: { batchId: 'b-AAAAAAAAAAAAN0NE', clipId: 'c1', revision: 1, baseRevision: 0, baseOpId: null },
    };
    await expect(store.ops.apply('annotation', 'r', [good, bad], 1)).rejects.toThrow(/foreign key/i);
    expect(await store.ops.count('annotation')).toBe(0);
    expect(await store.ops.current('b1')).toEqual([]);
  });

  it('exports annotation revisions after a cursor, in seq order, marking the current one', async () => {
    await store.batches.add(batch('b1', [{ id: 'c1', audio: null }]));
    const rev = (opId: string, revision: number, baseOpId: string | null) => ({
      opId,
      payload: { opId, revision },
      revision: { batchId: 'b1', clipId: 'c1', revision, baseRevision: revision - 1, baseOpId },
      refusal: null,
    });
    const [first] = await store.ops.apply('annotation', 'r', [rev('op-r1', 1, null)], 1);
    await store.ops.apply('annotation', 'r', [rev('op-r2', 2, 'op-r1')], 2);
    const all = revisionsOf(await store.ops.exportAnnotations({ afterSeq: 0, limit: 10 }));
    expect(all.map((a) => [a.opId, a.revision, a.current])).toEqual([
      ['op-r1', 1, false],
      ['op-r2', 2, true],
    ]);
    expect(all[0]).toMatchObject({ account: 'r', batchId: 'b1', clipId: 'c1', receivedAt: 1 });
    expect(JSON.parse(all[1]?.payload ?? '{}')).toEqual({ opId: 'op-r2', revision: 2 });
    const seq = first?.result?.serverSeq ?? -1;
    expect(revisionsOf(await store.ops.exportAnnotations({ afterSeq: seq, limit: 10 })).map((a) => a.opId)).toEqual([
      'op-r2',
    ]);
    expect(await store.ops.exportAnnotations({ afterSeq: 0, limit: 1 })).toHaveLength(1);
    expect(await store.ops.exportAnnotations({ batchId: 'b-AAAAAAAAAAAAN0NE', afterSeq: 0, limit: 10 })).toEqual([]);
  });

  it('purges the audio of ended batches only, and says how many clips lost it', async () => {
    const clip = { id: 'c2', durationMs: 1, codec: 'wav' as const, asrText: '', consent: 'granted' as const };
    await store.batches.add({
      batchId: 'b2',
      assignedTo: 'r',
      locale: 'en-US',
      createdAt: 0,
      expiresAt: 1_000,
      clips: [{ details: clip, audio: Buffer.from('audio') }],
    });
    await store.batches.add({
      batchId: 'b3',
      assignedTo: 'r',
      locale: 'en-US',
      createdAt: 0,
      expiresAt: 1_000,
      clips: [{ details: clip, audio: Buffer.from('audio') }],
    });
    await store.batches.revoke('b3', 50);
    expect(await store.batches.purgeEndedAudio(100)).toBe(1);
    expect((await store.batches.clips('b3'))[0]?.audio).toBeNull();
    expect((await store.batches.clips('b2'))[0]?.audio).toEqual(Buffer.from('audio'));
    expect(await store.batches.purgeEndedAudio(100)).toBe(0);
    expect(await store.batches.purgeEndedAudio(1_001)).toBe(1);
    expect((await store.batches.clips('b2'))[0]?.details).toEqual(clip);
  });

  it('reports itself ready with its schema current', async () => {
    const r = await store.readiness();
    expect(r.ok).toBe(true);
    expect(r.schema).toBe(r.expected);
    expect(r.schema).toBeGreaterThan(0);
  });

  it('lists, reassigns and moves the expiry of batches', async () => {
    await store.batches.add(batch('b1', [{ id: 'c1', audio: null }]));
    await store.accounts.add(account('s'));
    await store.batches.add({
      batchId: 'b2',
      assignedTo: 's',
      locale: 'en-US',
      createdAt: 5,
      expiresAt: 10,
      clips: [],
    });
    expect((await store.batches.list({ limit: 10 })).map((b) => [b.batchId, b.assignedTo, b.clipCount])).toEqual([
      ['b2', 's', 0],
      ['b1', 'r', 1],
    ]);
    expect((await store.batches.list({ limit: 1 })).map((b) => b.batchId)).toEqual(['b2']);
    expect(await store.batches.assign('b1', 's')).toBe(true);
    expect(await store.batches.setExpiry('b1', 99)).toBe(true);
    expect((await store.batches.list({ assignedTo: 's', limit: 10 })).map((b) => [b.batchId, b.expiresAt])).toEqual([
      ['b2', 10],
      ['b1', 99],
    ]);
    expect(await store.batches.assign('b-AAAAAAAAAAAAN0NE', 's')).toBe(false);
    expect(await store.batches.setExpiry('b-AAAAAAAAAAAAN0NE', 1)).toBe(false);
  });

  it('resets the TOTP secret of any role, changes roles and lists accounts without secrets', async () => {
    await store.accounts.addOperator({
      account: 'op',
      pseudonym: 'p-op',
      passwordHash: 'scrypt$x',
      totpSecret: 'OLD',
      createdAt: 0,
      createdBy: null,
    });
    expect(await store.accounts.resetTotp('r', 'NEW1')).toBe(true);
    expect(await store.accounts.resetTotp('op', 'NEW2')).toBe(true);
    expect(await store.accounts.resetTotp('nobody', 'NEW3')).toBe(false);
    expect((await store.accounts.find('r'))?.totpSecret).toBe('NEW1');
    expect((await store.accounts.find('op'))?.totpSecret).toBe('NEW2');
    expect(await store.accounts.setRole('r', 'supervisor')).toBe(true);
    expect(await store.accounts.setRole('op', 'reviewer')).toBe(false);
    expect(await store.accounts.list()).toEqual([
      { account: 'op', pseudonym: 'p-op', role: 'operator', maxDevices: 0, disabledAt: null },
      { account: 'r', pseudonym: 'p-r', role: 'supervisor', maxDevices: 1, disabledAt: null },
    ]);
  });

  it('closes only after the open unit of work has ended', async () => {
    const hold = deferred();
    const unit = store.transaction(async (tx) => {
      await hold.promise;
      await tx.accounts.add(account('late'));
      return (await tx.accounts.find('late'))?.account;
    });
    await turn();
    const closing = store.close();
    hold.resolve();
    expect(await unit).toBe('late');
    await closing;
    store = await openTestStore();
  });
});
