/**
 * The work repositories of the PostgreSQL store held to the SQLite store's: every case runs on
 * both, with the same expectations, results and return values.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClipDetails } from '../../../../shared/batch-package/manifest';
import { canonicalJson } from '../../../../shared/sync/canonical-json';
import type { TimingRecord } from '../../../../shared/sync/messages';
import type {
  ExportedAnnotation,
  ExportedRecord,
  IncomingOp,
  NewBatch,
  ServiceClip,
} from '../../../../service/store/repositories';
import { startPgCluster, type PgCluster } from '../../../support/postgres';
import { testBatchId, testClipId } from '../../../support/ids';
import { pgWorkBackend, sqliteWorkBackend, type WorkBackend } from './work-backends';
import { UNBOUNDED_ROOM } from '../../../support/timing-room';

/** The annotation revisions of an export page, without its withdrawals. */
const revisionsOf = (records: readonly ExportedRecord[]): ExportedAnnotation[] =>
  records.flatMap((r) => (r.record === 'revision' ? [r] : []));

const B1 = testBatchId(1);
const B2 = testBatchId(2);
const clip = (n: number, audio: Buffer | null = null): ServiceClip => ({
  details: { id: testClipId(n, 4), durationMs: 1000 + n, codec: 'opus', asrText: `text ${n}`, consent: 'granted' },
  audio,
});
const batch = (batchId: string, clips: readonly ServiceClip[], o: Partial<NewBatch> = {}): NewBatch => ({
  batchId,
  assignedTo: 'r1',
  locale: 'en-US',
  createdAt: 10,
  expiresAt: 1000,
  clips,
  ...o,
});

/** An annotation op setting `revision` of a clip of B1 on top of `base` (revision and op id). */
const annotation = (
  opId: string,
  clipN: number,
  revision: number,
  base: { revision: number; opId: string | null } = { revision: 0, opId: null },
  text = `t-${opId}`,
): IncomingOp => ({
  opId,
  payload: { opId, batchId: B1, clipId: testClipId(clipN, 4), revision, text },
  revision: {
    batchId: B1,
    clipId: testClipId(clipN, 4),
    revision,
    baseRevision: base.revision,
    baseOpId: base.opId,
  },
  refusal: null,
});
const escalation = (opId: string, clipN: number, createdAt: number, category = 'self_harm'): IncomingOp => ({
  opId,
  payload: { opId, batchId: B1, clipId: testClipId(clipN, 4), category, note: 'a note', createdAt },
  refusal: null,
});
const opId = (n: number): string => `op-${String(n).padStart(4, '0')}`;

const shift = (id: string, startedAt: number): TimingRecord => ({
  id,
  kind: 'shift',
  values: {
    id,
    pseudonym: 'p-r1',
    startedAt,
    startReason: 'sign_in',
    lastActivityAt: startedAt,
    endedAt: null,
    endReason: null,
  },
});
const clipRecord = (id: string, shiftId: string | null, batchId: string): TimingRecord => ({
  id,
  kind: 'clip',
  values: {
    shiftId,
    batchId,
    clipId: testClipId(1, 4),
    revision: 1,
    submittedAt: 5,
    durationMs: 1,
    handleMs: 1,
    activeMs: 1,
    idleMs: 0,
    listenMs: 1,
    realTimeFactor: null,
    plays: 1,
    replays: 0,
    seeks: 0,
    rateChanges: 0,
    edits: 0,
    firstEditMs: null,
    wer: null,
    wordErrors: 0,
    referenceWords: 0,
    disposition: 'transcribed',
    critical: false,
    escalated: false,
    heardInFull: true,
  },
});

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster.stop();
});

describe.each([
  ['SQLite', (): Promise<WorkBackend> => Promise.resolve(sqliteWorkBackend())],
  ['PostgreSQL', (): Promise<WorkBackend> => pgWorkBackend(cluster)],
])('work repositories on %s', (_name, open) => {
  let s: WorkBackend;
  beforeEach(async () => {
    s = await open();
    await s.addAccount('r1');
    await s.addAccount('r2');
    await s.addAccount('sup', 'supervisor');
    await s.addDevice('r1', 'key-a');
    await s.addDevice('r2', 'key-b');
  });
  afterEach(async () => {
    await s.close();
  });

  describe('batches', () => {
    it('adds a 1,000-clip batch at once and gives its clips back in order', async () => {
      const clips = Array.from({ length: 1000 }, (_, i) =>
        clip(i + 1, i % 100 === 0 ? Buffer.from([i % 256, 1]) : null),
      );
      await s.repos.batches.add(batch(B1, clips));
      expect(await s.repos.batches.find(B1)).toEqual({
        batchId: B1,
        assignedTo: 'r1',
        locale: 'en-US',
        createdAt: 10,
        expiresAt: 1000,
        revokedAt: null,
        clipCount: 1000,
      });
      expect(await s.repos.batches.clips(B1)).toEqual(clips);
      expect(await s.repos.batches.hasClip(B1, testClipId(1000, 4))).toBe(true);
      expect(await s.repos.batches.hasClip(B1, testClipId(1001, 4))).toBe(false);
    });

    it('keeps nothing of a batch whose clips cannot all be stored', async () => {
      await expect(s.repos.batches.add(batch(B1, [clip(1), clip(2), clip(1)]))).rejects.toThrow();
      expect(await s.repos.batches.find(B1)).toBeUndefined();
      expect(await s.repos.batches.clips(B1)).toEqual([]);
    });

    it('lists an account’s batches oldest first and keeps the first revocation', async () => {
      await s.repos.batches.add(batch(B2, [clip(1)], { createdAt: 5 }));
      await s.repos.batches.add(batch(B1, [], { createdAt: 5 }));
      await s.repos.batches.add(batch(testBatchId(3), [], { createdAt: 1, assignedTo: 'r2' }));
      expect((await s.repos.batches.assignedTo('r1')).map((b) => [b.batchId, b.clipCount])).toEqual([
        [B1, 0],
        [B2, 1],
      ]);
      expect(await s.repos.batches.revoke(B1, 50)).toBe(true);
      expect(await s.repos.batches.revoke(B1, 60)).toBe(true);
      expect(await s.repos.batches.revoke(testBatchId(9), 60)).toBe(false);
      expect((await s.repos.batches.find(B1))?.revokedAt).toBe(50);
    });

    it('withdraws a clip to its id and mark, and purges the audio of ended batches only', async () => {
      await s.repos.batches.add(batch(B1, [clip(1, Buffer.from('a')), clip(2, Buffer.from('b'))], { expiresAt: 100 }));
      await s.repos.batches.add(batch(B2, [clip(1, Buffer.from('c'))], { expiresAt: 500 }));
      expect(await s.repos.batches.withdrawClip(B1, testClipId(2, 4))).toBe(true);
      expect(await s.repos.batches.withdrawClip(B1, testClipId(2, 4))).toBe(true);
      expect(await s.repos.batches.withdrawClip(B1, testClipId(3, 4))).toBe(false);
      expect(await s.repos.batches.isWithdrawn(B1, testClipId(2, 4))).toBe(true);
      expect(await s.repos.batches.isWithdrawn(B1, testClipId(1, 4))).toBe(false);
      expect(await s.repos.batches.withdrawnClips(B1)).toEqual([testClipId(2, 4)]);
      expect((await s.repos.batches.clips(B1))[1]).toEqual({
        details: { id: testClipId(2, 4), consent: 'withdrawn' },
        audio: null,
      });
      expect(await s.repos.batches.purgeEndedAudio(100)).toBe(0);
      expect(await s.repos.batches.purgeEndedAudio(101)).toBe(1);
      await s.repos.batches.revoke(B2, 200);
      expect(await s.repos.batches.purgeEndedAudio(201)).toBe(1);
      expect(await s.repos.batches.purgeEndedAudio(1000)).toBe(0);
      expect((await s.repos.batches.clips(B2))[0]?.audio).toBeNull();
    });
  });

  describe('checkouts', () => {
    beforeEach(async () => {
      await s.repos.batches.add(batch(B1, [clip(1)]));
      await s.repos.batches.add(batch(B2, [clip(1)]));
    });

    it('keeps one holder per batch, hands it over and takes it again', async () => {
      await s.repos.checkouts.record('r1', 'key-a', B1, 5);
      await expect(s.repos.checkouts.record('r2', 'key-b', B1, 6)).rejects.toThrow();
      expect(await s.repos.checkouts.holder(B1)).toEqual({
        account: 'r1',
        keyId: 'key-a',
        batchId: B1,
        at: 5,
        revokedAt: null,
        releasedAt: null,
        releaseKind: null,
      });
      expect(await s.repos.checkouts.release(B1, { keyId: 'key-b', at: 7, kind: 'forced', by: 'op' })).toBeUndefined();
      expect(await s.repos.checkouts.release(B1, { at: 7, kind: 'handed_over', by: 'r1' })).toMatchObject({
        releasedAt: 7,
        releaseKind: 'handed_over',
      });
      expect(await s.repos.checkouts.holder(B1)).toBeUndefined();
      await s.repos.checkouts.record('r2', 'key-b', B1, 8);
      await s.repos.checkouts.record('r1', 'key-a', B2, 8);
      expect((await s.repos.checkouts.holder(B1))?.account).toBe('r2');
      expect(await s.repos.checkouts.find('r1', 'key-a', B1)).toMatchObject({ releaseKind: 'handed_over' });
    });

    it('revokes every checkout of a device', async () => {
      await s.repos.checkouts.record('r1', 'key-a', B2, 5);
      await s.repos.checkouts.record('r1', 'key-a', B1, 5);
      expect(await s.repos.checkouts.revokeAllOf('r1', 'key-a', 9)).toEqual([B1, B2]);
      expect(await s.repos.checkouts.revokeAllOf('r1', 'key-a', 10)).toEqual([]);
      expect(await s.repos.checkouts.revokedOf('r1', 'key-a')).toEqual([B1, B2]);
      expect(await s.repos.checkouts.holder(B1)).toBeUndefined();
    });
  });

  describe('ops', () => {
    beforeEach(async () => {
      await s.repos.batches.add(batch(B1, [clip(1), clip(2), clip(3)]));
    });

    it('stores an op once: the same payload is a duplicate, another one a conflict', async () => {
      const first = await s.repos.ops.apply('annotation', 'r1', [annotation(opId(1), 1, 1)], 100);
      expect(first).toEqual([
        { opId: opId(1), outcome: 'stored', code: 'stored', status: 201, result: { serverSeq: 1, receivedAt: 100 } },
      ]);
      const again = annotation(opId(1), 1, 1);
      const reordered = { ...again, payload: Object.fromEntries(Object.entries(again.payload as object).reverse()) };
      const changed = annotation(opId(1), 1, 1, undefined, 'other text');
      const results = await s.repos.ops.apply('annotation', 'r1', [reordered, changed], 200);
      expect(results).toEqual([
        {
          opId: opId(1),
          outcome: 'duplicate',
          code: 'duplicate',
          status: 200,
          result: { serverSeq: 1, receivedAt: 100 },
        },
        {
          opId: opId(1),
          outcome: 'conflict',
          code: 'conflict',
          status: 409,
          message: 'This op id was stored before with a different payload; nothing was changed.',
        },
      ]);
      expect((await s.repos.ops.apply('annotation', 'r2', [again], 300))[0]?.outcome).toBe('conflict');
      expect((await s.repos.ops.apply('escalation', 'r1', [again], 300))[0]?.outcome).toBe('conflict');
      expect(await s.repos.ops.count('annotation')).toBe(1);
    });

    it('works a request through in order: an op repeated in it, an amendment on an op stored just before', async () => {
      const a = annotation(opId(1), 1, 1);
      const b = annotation(opId(2), 1, 2, { revision: 1, opId: opId(1) });
      const refusedOp: IncomingOp = {
        ...annotation(opId(3), 2, 1),
        refusal: { code: 'no_such_clip', message: 'no such clip' },
      };
      const results = await s.repos.ops.apply('annotation', 'r1', [a, a, b, refusedOp, b], 100);
      expect(results).toEqual([
        { opId: opId(1), outcome: 'stored', code: 'stored', status: 201, result: { serverSeq: 1, receivedAt: 100 } },
        {
          opId: opId(1),
          outcome: 'duplicate',
          code: 'duplicate',
          status: 200,
          result: { serverSeq: 1, receivedAt: 100 },
        },
        { opId: opId(2), outcome: 'stored', code: 'stored', status: 201, result: { serverSeq: 2, receivedAt: 100 } },
        { opId: opId(3), outcome: 'rejected', code: 'no_such_clip', status: 422, message: 'no such clip' },
        {
          opId: opId(2),
          outcome: 'duplicate',
          code: 'duplicate',
          status: 200,
          result: { serverSeq: 2, receivedAt: 100 },
        },
      ]);
      const current = await s.repos.ops.current(B1);
      expect(current.map((c) => [c.batchId, c.clipId, c.revision, c.opId])).toEqual([
        [B1, testClipId(1, 4), 2, opId(2)],
      ]);
      expect(current[0]?.payload).toContain(`"opId":"${opId(2)}"`);
    });

    it('stores and gives back any text JSON can hold, byte for byte', async () => {
      const odd = annotation(opId(1), 1, 1, undefined, 'nul \u0000, bell \u0007, "quotes", emoji \u{1F3A7}, Ω');
      expect((await s.repos.ops.apply('annotation', 'r1', [odd], 100))[0]?.outcome).toBe('stored');
      expect((await s.repos.ops.apply('annotation', 'r1', [odd], 100))[0]?.outcome).toBe('duplicate');
      const [row] = await s.repos.ops.current(B1);
      expect(row?.payload).toBe(canonicalJson(odd.payload));
      expect(JSON.parse(row?.payload ?? '')).toEqual(odd.payload);
    });

    it('takes a revision only on top of the current one', async () => {
      await s.repos.ops.apply('annotation', 'r1', [annotation(opId(1), 1, 1)], 100);
      await s.repos.ops.apply('annotation', 'r1', [annotation(opId(2), 1, 2, { revision: 1, opId: opId(1) })], 100);
      const results = await s.repos.ops.apply(
        'annotation',
        'r1',
        [
          annotation(opId(3), 1, 2, { revision: 1, opId: opId(1) }),
          annotation(opId(4), 1, 3, { revision: 2, opId: opId(9) }),
          annotation(opId(5), 2, 2, { revision: 1, opId: opId(1) }),
          annotation(opId(6), 3, 1),
        ],
        200,
      );
      expect(results.map((r) => [r.code, r.currentRevision, r.currentOpId])).toEqual([
        ['base_stale', 2, opId(2)],
        ['base_missing', 2, opId(2)],
        ['base_missing', 0, undefined],
        ['stored', undefined, undefined],
      ]);
      expect(results[0]?.message).toBe(`Clip "${testClipId(1, 4)}" is at revision 2, not 1: resend on top of it.`);
    });

    it('refuses a revision taken under another op id', async () => {
      await s.repos.ops.apply('annotation', 'r1', [annotation(opId(1), 1, 1)], 100);
      const [r] = await s.repos.ops.apply(
        'annotation',
        'r1',
        [annotation(opId(2), 1, 1, { revision: 1, opId: opId(1) })],
        100,
      );
      expect(r).toMatchObject({ code: 'revision_taken', currentRevision: 1, currentOpId: opId(1) });
    });

    it('keeps none of an upload that fails part way', async () => {
      await expect(
        s.repos.ops.apply('annotation', 'r1', [annotation(opId(1), 1, 1), annotation(opId(2), 2, 0)], 100),
      ).rejects.toThrow();
      expect(await s.repos.ops.count('annotation')).toBe(0);
      expect(await s.repos.ops.current(B1)).toEqual([]);
      await s.transaction(async (tx) => {
        await tx.ops.apply('annotation', 'r1', [annotation(opId(3), 1, 1)], 100);
      });
      await expect(
        s.transaction(async (tx) => {
          await tx.ops.apply('annotation', 'r1', [annotation(opId(4), 2, 1)], 100);
          throw new Error('later step failed');
        }),
      ).rejects.toThrow('later step failed');
      expect((await s.repos.ops.current(B1)).map((c) => c.opId)).toEqual([opId(3)]);
    });

    it('exports revisions after a cursor, in seq order, page by page', async () => {
      await s.repos.batches.add(batch(B2, [clip(1)]));
      await s.repos.ops.apply('annotation', 'r1', [annotation(opId(1), 2, 1), annotation(opId(2), 1, 1)], 100);
      await s.repos.ops.apply('escalation', 'r1', [escalation(opId(3), 1, 50)], 100);
      await s.repos.ops.apply('annotation', 'r1', [annotation(opId(4), 2, 2, { revision: 1, opId: opId(1) })], 110);
      const other = annotation(opId(5), 1, 1);
      await s.repos.ops.apply(
        'annotation',
        'r2',
        [
          {
            ...other,
            revision: {
              ...(other.revision ?? { revision: 1, baseRevision: 0, baseOpId: null, clipId: '' }),
              batchId: B2,
            },
          },
        ],
        120,
      );
      const page1 = revisionsOf(await s.repos.ops.exportAnnotations({ afterSeq: 0, limit: 2 }));
      expect(page1.map((e) => [e.seq, e.opId, e.revision, e.current])).toEqual([
        [1, opId(1), 1, false],
        [2, opId(2), 1, true],
      ]);
      expect(page1[0]).toEqual({
        record: 'revision',
        seq: 1,
        opId: opId(1),
        account: 'r1',
        batchId: B1,
        clipId: testClipId(2, 4),
        revision: 1,
        current: false,
        receivedAt: 100,
        payload: `{"batchId":"${B1}","clipId":"${testClipId(2, 4)}","opId":"${opId(1)}","revision":1,"text":"t-${opId(1)}"}`,
      });
      const page2 = revisionsOf(await s.repos.ops.exportAnnotations({ afterSeq: 2, limit: 10 }));
      expect(page2.map((e) => [e.seq, e.opId, e.batchId])).toEqual([
        [4, opId(4), B1],
        [5, opId(5), B2],
      ]);
      expect((await s.repos.ops.exportAnnotations({ batchId: B2, afterSeq: 0, limit: 10 })).map((e) => e.seq)).toEqual([
        5,
      ]);
    });

    it('erases what the ops of a withdrawn clip say, and still knows their ids', async () => {
      await s.repos.ops.apply('annotation', 'r1', [annotation(opId(1), 1, 1), annotation(opId(2), 2, 1)], 100);
      await s.repos.ops.apply('escalation', 'r1', [escalation(opId(3), 1, 50)], 100);
      await s.repos.escalations.addResponse({
        responseId: 'resp-1',
        opId: opId(3),
        account: 'sup',
        action: 'close',
        body: '{"reason":"done"}',
        bodyHash: createHash('sha256').update('x').digest(),
        statusAfter: 'closed',
        at: 120,
      });
      expect(await s.repos.ops.eraseClip(B1, testClipId(1, 4))).toEqual({ annotations: 1, escalations: 1 });
      expect(await s.repos.ops.eraseClip(B1, testClipId(1, 4))).toEqual({ annotations: 0, escalations: 0 });
      expect((await s.repos.ops.current(B1)).map((c) => c.clipId)).toEqual([testClipId(2, 4)]);
      const [erased] = revisionsOf(await s.repos.ops.exportAnnotations({ afterSeq: 0, limit: 1 }));
      expect(erased?.payload).toBe(
        `{"batchId":"${B1}","clipId":"${testClipId(1, 4)}","opId":"${opId(1)}","withdrawn":true}`,
      );
      expect((await s.repos.ops.apply('annotation', 'r1', [annotation(opId(1), 1, 1)], 300))[0]?.outcome).toBe(
        'duplicate',
      );
      expect(await s.repos.escalations.find(opId(3))).toBeUndefined();
      expect((await s.repos.escalations.findResponse('resp-1'))?.body).toBe('{}');
      expect(await s.repos.ops.escalationTimes('r1', 0, 1000)).toEqual([]);
      expect(await s.repos.hearings.escalationClip(opId(3))).toEqual({
        account: 'r1',
        batchId: B1,
        clipId: testClipId(1, 4),
        withdrawn: true,
      });
    });

    it("numbers a clip's withdrawal after its rows, once, and the next op after the withdrawal", async () => {
      // Before any op is stored, a withdrawal still takes a seq of the ops' sequence.
      await s.repos.ops.eraseClip(B1, testClipId(3, 4));
      await s.repos.ops.apply('annotation', 'r1', [annotation(opId(1), 1, 1), annotation(opId(2), 2, 1)], 100);
      await s.repos.ops.eraseClip(B1, testClipId(1, 4));
      await s.repos.ops.eraseClip(B1, testClipId(1, 4));
      const [late] = await s.repos.ops.apply(
        'annotation',
        'r1',
        [annotation(opId(3), 2, 2, { revision: 1, opId: opId(2) })],
        200,
      );
      const all = await s.repos.ops.exportAnnotations({ afterSeq: 0, limit: 10 });
      const shown = all.map((r) => (r.record === 'withdrawal' ? [r.seq, 'withdrawn', r.clipId] : [r.seq, r.opId]));
      expect(shown).toEqual([
        [1, 'withdrawn', testClipId(3, 4)],
        [2, opId(1)],
        [3, opId(2)],
        [4, 'withdrawn', testClipId(1, 4)],
        [5, opId(3)],
      ]);
      expect(all[3]).toEqual({ record: 'withdrawal', seq: 4, batchId: B1, clipId: testClipId(1, 4) });
      expect(late?.result?.serverSeq).toBe(5);
      // Resumed from the cursor after the clip's rows, the withdrawal is there.
      expect((await s.repos.ops.exportAnnotations({ afterSeq: 3, limit: 1 })).map((r) => r.record)).toEqual([
        'withdrawal',
      ]);
      expect(await s.repos.ops.exportAnnotations({ batchId: B2, afterSeq: 0, limit: 10 })).toEqual([]);
    });

    it('reads escalation times and categories in a window, oldest first', async () => {
      await s.repos.ops.apply(
        'escalation',
        'r1',
        [escalation(opId(1), 1, 300, 'other'), escalation(opId(2), 2, 100), escalation(opId(3), 3, 900)],
        100,
      );
      await s.repos.ops.apply('escalation', 'r2', [escalation(opId(4), 1, 200)], 100);
      expect(await s.repos.ops.escalationTimes('r1', 100, 300)).toEqual([100, 300]);
      expect(await s.repos.ops.escalationCategories('r1', 0, 1000)).toEqual([
        { at: 100, category: 'self_harm' },
        { at: 300, category: 'other' },
        { at: 900, category: 'self_harm' },
      ]);
      expect(await s.repos.ops.count('escalation')).toBe(4);
      expect(await s.repos.hearings.escalationClip(opId(4))).toEqual({
        account: 'r2',
        batchId: B1,
        clipId: testClipId(1, 4),
        withdrawn: false,
      });
      expect(await s.repos.hearings.escalationClip(opId(9))).toBeUndefined();
    });
  });

  describe('sync state', () => {
    it('notes the device of an account’s own ops only, once', async () => {
      await s.repos.batches.add(batch(B1, [clip(1), clip(2)]));
      await s.repos.ops.apply('annotation', 'r1', [annotation(opId(1), 1, 1), annotation(opId(2), 2, 1)], 100);
      await s.repos.ops.apply('escalation', 'r2', [escalation(opId(3), 1, 5)], 100);
      await s.repos.syncState.recordDevice('r1', 'key-a', [opId(1), opId(3), opId(9)]);
      await s.repos.syncState.recordDevice('r1', 'key-z', [opId(1), opId(2)]);
      expect(await s.repos.syncState.figures('r1', 'key-a')).toEqual({ highSeq: 1, count: 1 });
      expect(await s.repos.syncState.figures('r1', 'key-z')).toEqual({ highSeq: 2, count: 1 });
      expect(await s.repos.syncState.figures('r2', 'key-b')).toEqual({ highSeq: 0, count: 0 });
    });

    it('has an epoch and changes it', async () => {
      const before = await s.repos.syncState.epoch();
      expect(before).toMatch(/^[0-9a-f]{32}$/);
      const next = await s.repos.syncState.changeEpoch(5, 'op');
      expect(next).toMatch(/^[0-9a-f]{32}$/);
      expect(next).not.toBe(before);
      expect(await s.repos.syncState.epoch()).toBe(next);
    });
  });

  describe('timing', () => {
    it('keeps the first version of a record and finds shifts and their clips', async () => {
      await s.repos.batches.add(batch(B1, [clip(1)]));
      const ids = await s.repos.timing.add(
        'r1',
        [shift('s1', 100), shift('s2', 500), clipRecord('c1', 's1', B1), clipRecord('c2', null, B1), shift('s1', 999)],
        10,
        UNBOUNDED_ROOM,
      );
      expect(ids).toEqual(['s1', 's2', 'c1', 'c2', 's1']);
      await s.repos.timing.add('r2', [shift('s9', 100), clipRecord('c9', 's9', B2)], 10, UNBOUNDED_ROOM);
      expect(await s.repos.timing.count('r1')).toBe(4);
      const shifts = await s.repos.timing.shiftRecords(['r1', 'r2'], 100, 500);
      expect(shifts.map((r) => [r.account, r.id, (JSON.parse(r.body) as { startedAt: number }).startedAt])).toEqual([
        ['r1', 's1', 100],
        ['r2', 's9', 100],
      ]);
      expect(shifts[0]?.kind).toBe('shift');
      expect((shifts[1]?.order ?? 0) > (shifts[0]?.order ?? 0)).toBe(true);
      expect(await s.repos.timing.shiftsWithBatch(['r1', 'r2'], B1)).toEqual([{ account: 'r1', shiftId: 's1' }]);
      expect((await s.repos.timing.recordsOfShifts('r1', ['s1', 's2'])).map((r) => r.id)).toEqual(['c1']);
    });

    // A results package carries every row its station still has pending, those the service holds
    // from an earlier package first: if they took room, a package longer than a day's room would
    // never get past them, day after day.
    it('gives a day’s room to new records only: one already held is taken whatever the room', async () => {
      const DAY = 1_000;
      const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
      const add = (list: readonly string[], now: number, limit: number) =>
        s.repos.timing.add(
          'r1',
          list.map((id) => shift(id, 100)),
          now,
          { limit, since: now - DAY },
        );
      // 520 records stored: more than one PostgreSQL chunk (500).
      const old = ids('old-', 520);
      expect(await add(old, 10, 600)).toEqual(old);
      // A day on, the same 520 first, then 100 new, with room for 50: the held ones cost nothing.
      const fresh = ids('new-', 100);
      expect(await add([...old, ...fresh], 10 + DAY + 1, 50)).toEqual([...old, ...fresh.slice(0, 50)]);
      expect(await s.repos.timing.count('r1')).toBe(570);
      // The day full: a held record (and one twice in the list) is still taken, the next new one
      // is not, nor anything after it.
      expect(await add(['old-3', 'new-0', 'new-0', 'new-50', 'old-4'], 10 + DAY + 2, 50)).toEqual([
        'old-3',
        'new-0',
        'new-0',
      ]);
      // A record new twice in one list takes one place: room for one takes both.
      expect(await add(['x', 'x', 'y'], 10 + 3 * DAY, 1)).toEqual(['x', 'x']);
      expect(await s.repos.timing.count('r1')).toBe(571);
    });
  });

  describe('escalations', () => {
    beforeEach(async () => {
      await s.repos.batches.add(batch(B1, [clip(1), clip(2)]));
      await s.repos.ops.apply('escalation', 'r1', [escalation(opId(1), 1, 300), escalation(opId(2), 2, 100)], 400);
      await s.repos.ops.apply('escalation', 'r2', [escalation(opId(3), 1, 200, 'not-a-category')], 400);
    });

    it('lists escalations by status, oldest first, and moves them with each answer', async () => {
      expect((await s.repos.escalations.withStatus('open')).map((e) => e.opId)).toEqual([opId(2), opId(1)]);
      expect(await s.repos.escalations.find(opId(2))).toEqual({
        opId: opId(2),
        account: 'r1',
        pseudonym: 'p-r1',
        batchId: B1,
        clipId: testClipId(2, 4),
        category: 'self_harm',
        note: 'a note',
        createdAt: 100,
        receivedAt: 400,
        status: 'open',
        updatedAt: null,
      });
      const bodyHash = createHash('sha256').update('{}').digest();
      const answer = { opId: opId(1), account: 'sup', body: '{}', bodyHash };
      await s.repos.escalations.addResponse({
        ...answer,
        responseId: 'x1',
        action: 'acknowledge',
        statusAfter: 'acknowledged',
        at: 500,
      });
      await s.repos.escalations.addResponse({
        ...answer,
        responseId: 'x2',
        action: 'close',
        statusAfter: 'closed',
        at: 600,
      });
      await expect(
        s.repos.escalations.addResponse({ ...answer, responseId: 'x2', action: 'close', statusAfter: 'open', at: 700 }),
      ).rejects.toThrow();
      expect((await s.repos.escalations.withStatus('closed')).map((e) => [e.opId, e.updatedAt])).toEqual([
        [opId(1), 600],
      ]);
      expect((await s.repos.escalations.ofAccount('r1')).map((e) => e.status)).toEqual(['open', 'closed']);
      expect(await s.repos.escalations.find(opId(3))).toBeUndefined();
      const responses = await s.repos.escalations.responses([opId(1), opId(2)]);
      expect(responses.map((r) => [r.responseId, r.statusAfter, r.pseudonym])).toEqual([
        ['x1', 'acknowledged', 'p-sup'],
        ['x2', 'closed', 'p-sup'],
      ]);
      expect((await s.repos.escalations.findResponse('x1'))?.bodyHash).toEqual(bodyHash);
    });

    it('keeps the operator’s settings, with defaults for the rest', async () => {
      const defaults = await s.repos.escalations.settings();
      await s.repos.escalations.setSetting({ key: 'urgentAfterMs', value: 120_000 }, 1, 'op');
      await s.repos.escalations.setSetting({ key: 'urgentAfterMs', value: 240_000 }, 2, 'op');
      expect(await s.repos.escalations.settings()).toEqual({ ...defaults, urgentAfterMs: 240_000 });
    });
  });

  describe('gold', () => {
    const details = { durationMs: 2000, codec: 'wav', asrText: 'gold asr' } as const;
    beforeEach(async () => {
      await s.repos.batches.add(batch(B1, [clip(1), clip(2)]));
      await s.repos.gold.add({
        goldId: 'g1',
        locale: 'en-US',
        details,
        audio: Buffer.from('gold'),
        reference: 'the reference',
        disposition: 'transcribed',
        createdAt: 5,
        createdBy: 'op',
      });
    });

    it('mixes a gold clip into its place, answers for it and scores its latest revision', async () => {
      const goldClip: ClipDetails = { ...details, id: testClipId(9, 4), consent: 'granted' };
      await s.repos.gold.mix({
        batchId: B1,
        goldId: 'g1',
        ordinal: 1,
        clip: { details: goldClip, audio: null },
        at: 6,
        by: 'op',
      });
      expect((await s.repos.batches.clips(B1)).map((c) => c.details.id)).toEqual([
        testClipId(1, 4),
        testClipId(9, 4),
        testClipId(2, 4),
      ]);
      expect(await s.repos.gold.usedIn(B1, 'g1')).toBe(true);
      expect(await s.repos.gold.everCheckedOut(B1)).toBe(false);
      await s.repos.checkouts.record('r1', 'key-a', B1, 7);
      expect(await s.repos.gold.everCheckedOut(B1)).toBe(true);
      expect(await s.repos.gold.answerFor(B1, testClipId(9, 4))).toEqual({
        goldId: 'g1',
        reference: 'the reference',
        disposition: 'transcribed',
      });
      expect(await s.repos.gold.answerFor(B1, testClipId(1, 4))).toBeUndefined();
      expect((await s.repos.gold.list({ removed: false }))[0]).toMatchObject({
        goldId: 'g1',
        durationMs: 2000,
        uses: 1,
      });

      await s.repos.ops.apply('annotation', 'r1', [annotation(opId(1), 9, 1)], 10);
      await s.repos.ops.apply('annotation', 'r1', [annotation(opId(2), 9, 2, { revision: 1, opId: opId(1) })], 11);
      const counts = { refWords: 2, correct: 1, substitutions: 1, deletions: 0, insertions: 0 };
      const score = {
        account: 'r1',
        batchId: B1,
        clipId: testClipId(9, 4),
        counts,
        dispositionAgreed: true,
        scoredAt: 12,
      };
      await s.repos.gold.addScore({ ...score, opId: opId(1), revision: 1 });
      await s.repos.gold.addScore({ ...score, opId: opId(2), revision: 2, dispositionAgreed: false });
      await s.repos.gold.addScore({ ...score, opId: opId(2), revision: 2 });
      expect(await s.repos.gold.latestScores('r1', [B1, B2])).toEqual([
        { ...score, opId: opId(2), revision: 2, dispositionAgreed: false },
      ]);
      expect(await s.repos.gold.latestScores('r1', [])).toEqual([]);
      expect(await s.repos.gold.eraseScores(B1, testClipId(9, 4))).toBe(2);
    });

    it('finds, lists and removes gold clips', async () => {
      expect(await s.repos.gold.find('g1')).toEqual({
        goldId: 'g1',
        locale: 'en-US',
        details,
        audio: Buffer.from('gold'),
        reference: 'the reference',
        disposition: 'transcribed',
        createdAt: 5,
        createdBy: 'op',
        removedAt: null,
      });
      expect(await s.repos.gold.remove('g1', 8, 'op')).toBe(true);
      expect(await s.repos.gold.remove('g1', 9, 'op')).toBe(true);
      expect(await s.repos.gold.remove('g2', 9, 'op')).toBe(false);
      expect(await s.repos.gold.list({ removed: false })).toEqual([]);
      expect(await s.repos.gold.list({ removed: true })).toEqual([
        {
          goldId: 'g1',
          locale: 'en-US',
          disposition: 'transcribed',
          durationMs: 2000,
          createdAt: 5,
          createdBy: 'op',
          removedAt: 8,
          uses: 0,
        },
      ]);
    });
  });

  describe('hearings', () => {
    const request = (requestId: string, requester: string, createdAt: number) => ({
      requestId,
      requester,
      batchId: B1,
      clipId: testClipId(1, 4),
      span: { start: 1, end: 4 },
      window: { startMs: 100, endMs: 900 },
      createdAt,
    });
    beforeEach(async () => {
      await s.repos.batches.add(batch(B1, [clip(1)]));
      await s.addToTeam('t', 'r1');
      await s.addToTeam('t', 'r2');
    });

    const room = { max: 10, since: 0, now: 30 };

    it('keeps a requester to `max` requests waiting for an answer on running batches', async () => {
      const two = { max: 2, since: 0, now: 30 };
      expect(await s.repos.hearings.addRequest(request('q1', 'r1', 10), two)).toBe('added');
      expect(await s.repos.hearings.addRequest(request('q2', 'r1', 11), two)).toBe('added');
      expect(await s.repos.hearings.addRequest(request('q3', 'r1', 12), two)).toBe('full');
      // The same id again is told apart from a new request, full or not.
      expect(await s.repos.hearings.addRequest(request('q2', 'r1', 13), two)).toBe('taken');
      // Another requester has room of their own.
      expect(await s.repos.hearings.addRequest(request('q4', 'r2', 12), two)).toBe('added');
      // An answer frees a place; so do requests made before `since` and batches that ended.
      await s.repos.hearings.take('q1', 'r2', 14);
      await s.repos.hearings.propose('q1', 'r2', 'four', 15);
      expect(await s.repos.hearings.addRequest(request('q3', 'r1', 16), two)).toBe('added');
      expect(await s.repos.hearings.addRequest(request('q5', 'r1', 17), two)).toBe('full');
      expect(await s.repos.hearings.addRequest(request('q5', 'r1', 17), { ...two, since: 12 })).toBe('added');
      expect(await s.repos.hearings.addRequest(request('q6', 'r1', 18), { ...two, now: 1000 })).toBe('added');
      expect(await s.repos.hearings.queueFor('r2', 0, 1000, 10)).toEqual([]);
    });

    it('queues second listens for teammates, taken once, proposed and decided once', async () => {
      expect(await s.repos.hearings.shareTeam('r1', 'r2')).toBe(true);
      expect(await s.repos.hearings.shareTeam('r1', 'sup')).toBe(false);
      expect(await s.repos.hearings.addRequest(request('q1', 'r1', 10), room)).toBe('added');
      expect(await s.repos.hearings.addRequest(request('q1', 'r1', 11), room)).toBe('taken');
      expect(await s.repos.hearings.addRequest(request('q2', 'r1', 5), room)).toBe('added');
      expect((await s.repos.hearings.queueFor('r2', 0, 30, 10)).map((r) => r.requestId)).toEqual(['q2', 'q1']);
      expect((await s.repos.hearings.queueFor('r2', 0, 30, 1)).map((r) => r.requestId)).toEqual(['q2']);
      expect(await s.repos.hearings.queueFor('sup', 0, 30, 10)).toEqual([]);
      expect(await s.repos.hearings.take('q1', 'r2', 20)).toBe(true);
      expect(await s.repos.hearings.take('q1', 'sup', 21)).toBe(false);
      expect(await s.repos.hearings.propose('q1', 'sup', 'no', 22)).toBe(false);
      expect(await s.repos.hearings.decide('q1', 'accepted', 22)).toBe(false);
      expect(await s.repos.hearings.propose('q1', 'r2', 'I hear "four"', 23)).toBe(true);
      expect(await s.repos.hearings.propose('q1', 'r2', 'again', 24)).toBe(false);
      expect(await s.repos.hearings.decide('q1', 'accepted', 25)).toBe(true);
      expect(await s.repos.hearings.decide('q1', 'ignored', 26)).toBe(false);
      expect(await s.repos.hearings.findRequest('q1')).toEqual({
        ...request('q1', 'r1', 10),
        takenBy: 'r2',
        takenAt: 20,
        proposal: 'I hear "four"',
        proposedAt: 23,
        decision: 'accepted',
        decidedAt: 25,
      });
      expect((await s.repos.hearings.ownedBy('r1', 0, 10)).map((r) => r.requestId)).toEqual(['q1', 'q2']);
      expect((await s.repos.hearings.ownedBy('r1', 0, 1)).map((r) => r.requestId)).toEqual(['q1']);
      // Decided, it leaves the queue.
      expect((await s.repos.hearings.queueFor('r2', 0, 30, 10)).map((r) => r.requestId)).toEqual(['q2']);
      expect(await s.repos.hearings.counts(['r1', 'r2', 'r1'], 0, 100)).toEqual([
        { account: 'r1', requested: 2, answeredForThem: 1, answered: 0 },
        { account: 'r2', requested: 0, answeredForThem: 0, answered: 1 },
        { account: 'r1', requested: 2, answeredForThem: 1, answered: 0 },
      ]);
      expect(await s.repos.hearings.eraseClip(B1, testClipId(1, 4))).toBe(1);
      expect(await s.repos.hearings.eraseClip(B1, testClipId(1, 4))).toBe(0);
      expect((await s.repos.hearings.findRequest('q1'))?.proposal).toBe('');
    });

    it('records and renews a one-clip grant', async () => {
      const g = {
        kind: 'second_listen' as const,
        subject: 'q1',
        account: 'r2',
        keyId: 'key-b',
        batchId: B1,
        clipId: testClipId(1, 4),
        grantedAt: 5,
        expiresAt: 50,
      };
      await s.repos.hearings.grant(g);
      await s.repos.hearings.grant({ ...g, grantedAt: 6, expiresAt: 60 });
      expect(await s.repos.hearings.findGrant('second_listen', 'q1', 'r2')).toEqual({
        ...g,
        grantedAt: 6,
        expiresAt: 60,
      });
      expect(await s.repos.hearings.findGrant('escalation', 'q1', 'r2')).toBeUndefined();
    });
  });
});
