import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../../shared/domain/sync';
import { settlementOf } from '../../../../main/services/sync/outbox-sender';
import { CLI_SOURCE } from '../../../../service/audit';
import { handOver } from '../../../../service/hand-over';
import { makeServices, queryDb, type ServicesEnv } from '../../../support/services';
import { startTestService, type TestService } from '../../../support/reference-service';

const OP = '5d0f0b8e-2a4f-4c33-9a49-1b7bb0f0d2a1';
const BATCH = 'b-AAAAAAAAAAWR1TER';
const body = (transcript: string) => ({ transcript, critical: [], entities: [] });

describe('what a per-op code means to the sender', () => {
  it('acknowledges stored and duplicate ops and parks everything else with its code', () => {
    expect(settlementOf({ opId: OP, outcome: 'stored', code: 'stored', status: 201 })).toBe('acked');
    expect(settlementOf({ opId: OP, outcome: 'duplicate', code: 'duplicate', status: 200 })).toBe('acked');
    expect(settlementOf({ opId: OP, outcome: 'conflict', code: 'conflict', status: 409 })).toMatchObject({
      reason: 'conflict',
      code: 'conflict',
    });
    expect(
      settlementOf({
        opId: OP,
        outcome: 'rejected',
        code: 'base_stale',
        status: 422,
        currentRevision: 3,
        currentOpId: OP,
      }),
    ).toEqual({ reason: 'rejected', code: 'base_stale', currentRevision: 3, currentOpId: OP });
    for (const code of ['base_missing', 'handed_over', 'checked_out_elsewhere', 'withdrawn'] as const) {
      expect(settlementOf({ opId: OP, outcome: 'rejected', code, status: 422 })).toMatchObject({ code });
    }
  });
});

describe('two workstations of one reviewer on one batch', () => {
  let svc: TestService;
  let a: ServicesEnv;
  let b: ServicesEnv;

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addBatch(BATCH, 6);
    a = makeServices({ serviceUrl: svc.url });
    b = makeServices({ serviceUrl: svc.url });
  });
  afterEach(async () => {
    a.dispose();
    b.dispose();
    await svc.stop();
  });

  const submit = (env: ServicesEnv, clipId: string, text: string) =>
    env.services.annotations.submit({
      batchId: BATCH,
      clipId,
      basedOnRevision: env.services.annotations.work(BATCH, clipId).latest?.revision ?? 0,
      disposition: 'transcribed',
      body: body(text),
    });
  /** Every clip's revisions as the service holds them. */
  const histories = async (): Promise<Record<string, number[]>> => {
    const out: Record<string, number[]> = {};
    for (const r of await svc.query<{ clip_id: string; revision: number }>(
      'SELECT clip_id, revision FROM annotation_revisions WHERE batch_id = ? ORDER BY clip_id, revision',
      BATCH,
    )) {
      (out[r.clip_id] ??= []).push(r.revision);
    }
    return out;
  };
  const transcriptOf = async (clipId: string): Promise<string | undefined> => {
    const row = (await svc.service.core.store.ops.current(BATCH)).find((c) => c.clipId === clipId);
    return row ? (JSON.parse(row.payload) as { transcript: string }).transcript : undefined;
  };
  const attention = (s: SyncStatus) => s.needsAttention.map((n) => [n.clipId, n.code, n.currentRevision, n.canResend]);
  const outboxAudit = (env: ServicesEnv) =>
    queryDb<{ audit_type: string }>(env.dataDir, "SELECT audit_type FROM outbox WHERE kind = 'audit' ORDER BY seq").map(
      (r) => r.audit_type,
    );

  it('moves the batch by hand-over, parks the overlap, resends it on top, and ends with no holes', async () => {
    await a.services.sync.signIn(svc.credentials());
    await a.services.sync.syncNow();
    expect(a.services.batches.list().map((x) => x.id)).toEqual([BATCH]);
    await b.services.sync.signIn(svc.credentials());
    await b.services.sync.syncNow();
    // The batch is the first workstation's: the second neither checks it out nor gets it.
    expect(b.services.batches.list()).toEqual([]);

    submit(a, 'c-AAAAAAAAAAAA0000', 'first on A');
    submit(a, 'c-AAAAAAAAAAAA0000', 'amended on A');
    submit(a, 'c-AAAAAAAAAAAA0001', 'only on A');
    await a.services.sync.syncNow();
    const handed = await a.services.sync.handOver(BATCH);
    expect(handed).toMatchObject({ pending: 0, needsAttention: [] });
    expect(a.services.batches.list().find((x) => x.id === BATCH)?.status).toBe('revoked');
    expect(outboxAudit(a)).toContain('batch_handed_over');

    await b.services.sync.syncNow();
    expect(b.services.batches.list().map((x) => [x.id, x.status])).toEqual([[BATCH, 'active']]);
    // The second workstation never saw the first one's work on c-AAAAAAAAAAAA0000 and c-AAAAAAAAAAAA0001.
    submit(b, 'c-AAAAAAAAAAAA0000', 'first on B');
    submit(b, 'c-AAAAAAAAAAAA0000', 'amended on B');
    submit(b, 'c-AAAAAAAAAAAA0001', 'B on c-AAAAAAAAAAAA0001');
    submit(b, 'c-AAAAAAAAAAAA0002', 'only on B');
    const parked = await b.services.sync.syncNow();
    expect(attention(parked)).toEqual([
      ['c-AAAAAAAAAAAA0000', 'base_stale', 2, true],
      ['c-AAAAAAAAAAAA0000', 'base_missing', 2, true],
      ['c-AAAAAAAAAAAA0001', 'base_stale', 1, true],
    ]);
    expect(parked.pending).toBe(0);
    expect(await histories()).toEqual({
      'c-AAAAAAAAAAAA0000': [1, 2],
      'c-AAAAAAAAAAAA0001': [1],
      'c-AAAAAAAAAAAA0002': [1],
    });

    // Resend the latest work on c-AAAAAAAAAAAA0000 and c-AAAAAAAAAAAA0001 on top of what the service holds; discard the rest.
    const [first, latest, other] = parked.needsAttention;
    b.services.sync.resolve(latest?.opId ?? '', 'resend');
    b.services.sync.resolve(other?.opId ?? '', 'resend');
    b.services.sync.resolve(first?.opId ?? '', 'discard');
    const resolved = await b.services.sync.syncNow();
    expect(resolved).toMatchObject({ pending: 0, needsAttention: [] });
    expect(await histories()).toEqual({
      'c-AAAAAAAAAAAA0000': [1, 2, 3],
      'c-AAAAAAAAAAAA0001': [1, 2],
      'c-AAAAAAAAAAAA0002': [1],
    });
    expect([await transcriptOf('c-AAAAAAAAAAAA0000'), await transcriptOf('c-AAAAAAAAAAAA0001')]).toEqual([
      'amended on B',
      'B on c-AAAAAAAAAAAA0001',
    ]);

    // The next amendment builds on the resent revision.
    submit(b, 'c-AAAAAAAAAAAA0000', 'amended again on B');
    expect(await b.services.sync.syncNow()).toMatchObject({ pending: 0, needsAttention: [] });
    expect((await histories())['c-AAAAAAAAAAAA0000']).toEqual([1, 2, 3, 4]);
    expect(await transcriptOf('c-AAAAAAAAAAAA0000')).toBe('amended again on B');

    // Every revision stored once; the discarded op is kept, marked, with its reason.
    const ops = await svc.query<{ n: number; d: number }>(
      'SELECT count(*) AS n, count(DISTINCT op_id) AS d FROM annotation_revisions WHERE batch_id = ?',
      BATCH,
    );
    expect(ops).toEqual([{ n: 7, d: 7 }]);
    expect(
      queryDb(b.dataDir, 'SELECT resolution, resolution_reason FROM outbox WHERE resolution IS NOT NULL ORDER BY seq'),
    ).toEqual([
      { resolution: 'discarded', resolution_reason: 'base_stale' },
      { resolution: 'resent', resolution_reason: 'base_missing' },
      { resolution: 'resent', resolution_reason: 'base_stale' },
    ]);
    expect(outboxAudit(b)).toEqual(expect.arrayContaining(['op_needs_attention', 'op_resent', 'op_discarded']));
    // Both workstations tell the truth: nothing waits, nothing needs attention.
    expect(a.services.sync.status()).toMatchObject({ pending: 0, needsAttention: [] });
    expect(b.services.sync.status()).toMatchObject({ pending: 0, needsAttention: [] });
  });

  it('parks work an operator’s hand-over surrendered, offers only to discard it, and keeps it', async () => {
    await a.services.sync.signIn(svc.credentials());
    await a.services.sync.syncNow();
    submit(a, 'c-AAAAAAAAAAAA0003', 'synced before');
    await a.services.sync.syncNow();
    await a.services.sync.stop();
    // Saved while the service is out of reach for this workstation, then the batch is moved away.
    await handOver(svc.service.core, { batchId: BATCH, kind: 'forced', actor: 'ops', source: CLI_SOURCE });
    submit(a, 'c-AAAAAAAAAAAA0003', 'surrendered');
    const status = await a.services.sync.syncNow();
    expect(attention(status)).toEqual([['c-AAAAAAAAAAAA0003', 'handed_over', null, false]]);
    expect(status.pending).toBe(0);
    expect(a.services.batches.list().find((x) => x.id === BATCH)?.status).toBe('revoked');
    expect(() => a.services.sync.resolve(status.needsAttention[0]?.opId ?? '', 'resend')).toThrow(/cannot be resent/);
    expect(a.services.sync.resolve(status.needsAttention[0]?.opId ?? '', 'discard').needsAttention).toEqual([]);
    expect(await histories()).toEqual({ 'c-AAAAAAAAAAAA0003': [1] });
    // The second workstation takes the batch and builds on what the service holds.
    await b.services.sync.signIn(svc.credentials());
    await b.services.sync.syncNow();
    expect(b.services.batches.list().map((x) => x.id)).toEqual([BATCH]);
  });

  it('refuses to hand a batch over while its annotations still wait to be sent', async () => {
    await a.services.sync.signIn(svc.credentials());
    await a.services.sync.syncNow();
    await svc.service.core.faults.set({ fault: 'rate_limit', every: 1, retryAfterSeconds: 60 });
    submit(a, 'c-AAAAAAAAAAAA0004', 'waiting');
    await expect(a.services.sync.handOver(BATCH)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(a.services.batches.list().find((x) => x.id === BATCH)?.status).toBe('active');
    expect(await svc.query('SELECT count(*) AS n FROM checkouts WHERE released_at IS NOT NULL')).toEqual([{ n: 0 }]);
  });
});
