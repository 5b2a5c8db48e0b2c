/**
 * The loss steps on a real workstation database, against a small fake of the service's answers:
 * which acknowledged ops are sent again (in order, only those still kept), and what is reported
 * when the service still lacks some afterwards.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../../../main/db/database';
import { silentLogger } from '../../../../main/log/logger';
import {
  checkForLoss,
  KEEP_ACKNOWLEDGED_MS,
  resendAcknowledged,
  settleRecovery,
  type LossDeps,
} from '../../../../main/services/sync/loss-recovery';
import { createSyncHttp } from '../../../../main/services/sync/sync-http';
import type { Annotation } from '../../../../shared/domain/annotation';
import type { AuditEventType, DeviceOpsResponse } from '../../../../shared/sync/messages';
import { makeTempDir } from '../../../support/temp-dir';

const DAY = 24 * 60 * 60 * 1000;
const NOW = 1_800_000_000_000;
const SERVICE = 'http://127.0.0.1:9';
const SCOPE = { service: SERVICE, author: 'rv-1' };
const EPOCH = 'e'.repeat(32);

/** A readable name's op id (op ids are UUIDs on the wire). */
const ids = new Map<string, string>();
const id = (name: string): string => {
  if (!ids.has(name)) {
    ids.set(name, randomUUID());
  }
  return ids.get(name) ?? '';
};
const names = (opIds: readonly string[]): string[] =>
  opIds.map((o) => [...ids.entries()].find(([, v]) => v === o)?.[0] ?? o);

/** What the fake service holds, and what it answers. */
type Fake = { held: Set<string>; refuse: Set<string>; epoch: string; sent: string[][]; seq: number };

function fakeFetch(f: Fake): typeof fetch {
  return (input, init) => {
    const path = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).pathname;
    const json = (body: unknown) =>
      Promise.resolve(new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }));
    if (path === '/v1/devices/current/ops') {
      return json({ keyId: '0123456789abcdef', epoch: f.epoch, highSeq: f.seq, count: f.held.size });
    }
    const body = init?.body;
    const { ops } = JSON.parse(typeof body === 'string' ? body : '{}') as { ops: { opId: string }[] };
    f.sent.push(ops.map((o) => o.opId));
    return json({
      results: ops.map(({ opId }) => {
        if (f.refuse.has(opId)) {
          return { opId, outcome: 'rejected', code: 'no_such_clip', status: 422, message: 'no such clip' };
        }
        const stored = !f.held.has(opId);
        f.held.add(opId);
        f.seq += stored ? 1 : 0;
        return {
          opId,
          outcome: stored ? 'stored' : 'duplicate',
          code: stored ? 'stored' : 'duplicate',
          status: stored ? 201 : 200,
          result: { serverSeq: f.seq, receivedAt: NOW },
        };
      }),
    });
  };
}

describe('resending what a service lost', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: AppDatabase;
  let raw: Database.Database;
  let fake: Fake;
  let audits: AuditEventType[];
  /** Op ids whose sealed work is gone (erased): they cannot be rebuilt. */
  let erasedWork: Set<string>;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openDatabase(join(tmp.dir, 'earmark.db'));
    raw = new Database(join(tmp.dir, 'earmark.db'));
    fake = { held: new Set(), refuse: new Set(), epoch: EPOCH, sent: [], seq: 0 };
    audits = [];
    erasedWork = new Set();
  });
  afterEach(() => {
    raw.close();
    db.close();
    tmp.remove();
  });

  const deps = (): LossDeps => ({
    http: createSyncHttp({ baseUrl: SERVICE, fetch: fakeFetch(fake) }),
    outbox: db.outbox,
    annotations: {
      revisionByOpId: (opId): Annotation | undefined => {
        const row = raw
          .prepare<[string], { batch_id: string; clip_id: string; revision: number }>(
            'SELECT batch_id, clip_id, revision FROM outbox WHERE op_id = ?',
          )
          .get(opId);
        return row && !erasedWork.has(opId)
          ? {
              opId,
              batchId: row.batch_id,
              clipId: row.clip_id,
              revision: row.revision,
              disposition: 'transcribed',
              transcript: `revision ${row.revision}`,
              critical: [],
              entities: [],
              submittedAt: NOW - 30 * DAY,
            }
          : undefined;
      },
      escalationById: () => undefined,
    },
    syncMarks: db.syncMarks,
    now: () => NOW,
    logger: silentLogger,
    audit: (type) => audits.push(type),
    changed: () => undefined,
  });
  /** The service's figures, as the batch list that opens a cycle carries them. */
  const figures = (): Promise<DeviceOpsResponse> => deps().http.deviceOps('token');

  /** A batch here (active), or erased `erasedDaysAgo` days ago. */
  const batch = (id: string, erasedDaysAgo: number | null): void => {
    raw
      .prepare(
        `INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status)
         VALUES (?, 'en-US', 10, 0, ?, 0, ?)`,
      )
      .run(id, NOW + DAY, erasedDaysAgo === null ? 'active' : 'revoked');
    raw
      .prepare('INSERT INTO sync_batches (batch_id, source, erased_at) VALUES (?, ?, ?)')
      .run(id, 'checkout', erasedDaysAgo === null ? null : NOW - erasedDaysAgo * DAY);
  };
  /** An annotation revision the service acknowledged `daysAgo` days ago. */
  const acked = (opId: string, batchId: string, clipId: string, revision: number, daysAgo: number): void => {
    raw
      .prepare(
        `INSERT INTO outbox (op_id, kind, author, batch_id, clip_id, revision, created_at, state, acked_at, server_seq)
         VALUES (?, 'annotation', 'rv-1', ?, ?, ?, 0, 'acked', ?, 1)`,
      )
      .run(id(opId), batchId, clipId, revision, NOW - daysAgo * DAY);
  };

  it('sends again, in their order, the acknowledged ops still kept, and nothing past keeping', async () => {
    batch('b-AAAAAAAAAAAAHERE', null);
    batch('b-AAAAAAAAAARECENT', 3);
    batch('b-AAAAAAAAAAAAA01D', 20);
    acked('here-1', 'b-AAAAAAAAAAAAHERE', 'c1', 1, 40);
    acked('old-1', 'b-AAAAAAAAAAAAA01D', 'c1', 1, 30);
    acked('recent-1', 'b-AAAAAAAAAARECENT', 'c1', 1, 30);
    acked('here-2', 'b-AAAAAAAAAAAAHERE', 'c1', 2, 40);
    acked('old-2', 'b-AAAAAAAAAAAAA01D', 'c2', 1, 1);
    acked('gone-1', 'b-AAAAAAAAAAAAHERE', 'c2', 1, 40);
    erasedWork.add(id('gone-1'));
    fake.held.add(id('here-1'));
    fake.seq = 1;

    const result = await resendAcknowledged(deps(), 'token', 'rv-1');
    // b-AAAAAAAAAAAAA01D was erased 20 days ago: its op acknowledged 30 days ago is past keeping; the one
    // acknowledged yesterday is still kept. Work that was erased is not sent at all.
    expect(fake.sent.map(names)).toEqual([['here-1', 'recent-1', 'here-2', 'old-2']]);
    expect(result).toEqual({ resent: 3, duplicates: 1, refused: 0 });
    expect(KEEP_ACKNOWLEDGED_MS).toBe(14 * DAY);
  });

  it('notices a service holding less, then reports what it could not get back as unrecoverable', async () => {
    batch('b-AAAAAAAAAAAAHERE', null);
    batch('b-AAAAAAAAAAAAA01D', 20);
    ['a', 'b', 'c'].forEach((id, i) => acked(id, 'b-AAAAAAAAAAAAHERE', `c${i}`, 1, 1));
    ['x', 'y'].forEach((id, i) => acked(id, 'b-AAAAAAAAAAAAA01D', `c${i}`, 1, 30));
    // The service once acknowledged all five, under this epoch.
    db.syncMarks.adoptEpoch(SERVICE, 'rv-1', EPOCH);
    db.syncMarks.recordAcks(SERVICE, 'rv-1', 5, 5);
    fake.held = new Set([id('a')]);
    fake.seq = 1;

    expect(checkForLoss(deps(), await figures(), SCOPE)).toEqual({ behind: true, reasons: ['count', 'highSeq'] });
    expect(db.syncMarks.recovery(SERVICE, 'rv-1')).toMatchObject({ state: 'recovering' });
    const resend = await resendAcknowledged(deps(), 'token', 'rv-1');
    const recovery = await settleRecovery(deps(), 'token', SCOPE, resend);

    expect(recovery).toEqual({ state: 'recovered', resent: 2, unrecoverable: 2, at: NOW });
    expect(audits).toEqual(['service_loss_recovered', 'service_loss_unrecoverable']);
    // The mark follows the service: the next cycle finds nothing more to chase.
    expect(checkForLoss(deps(), await figures(), SCOPE)).toEqual({ behind: false, reasons: [] });
    expect(db.syncMarks.mark(SERVICE, 'rv-1')).toEqual({ epoch: EPOCH, highSeq: 3, acked: 3 });
  });

  it('counts a refused resend as unrecoverable, and a check that finds nothing missing keeps the last loss shown', async () => {
    batch('b-AAAAAAAAAAAAHERE', null);
    acked('a', 'b-AAAAAAAAAAAAHERE', 'c1', 1, 1);
    acked('b', 'b-AAAAAAAAAAAAHERE', 'c2', 1, 1);
    db.syncMarks.adoptEpoch(SERVICE, 'rv-1', EPOCH);
    db.syncMarks.recordAcks(SERVICE, 'rv-1', 2, 2);
    fake.refuse.add(id('b'));
    fake.epoch = 'f'.repeat(32);

    expect(checkForLoss(deps(), await figures(), SCOPE).reasons).toEqual(['epoch', 'count', 'highSeq']);
    const first = await settleRecovery(deps(), 'token', SCOPE, await resendAcknowledged(deps(), 'token', 'rv-1'));
    expect(first).toEqual({ state: 'recovered', resent: 1, unrecoverable: 1, at: NOW });

    // A restore notice with nothing lost: everything comes back a duplicate.
    fake.epoch = 'd'.repeat(32);
    expect(checkForLoss(deps(), await figures(), SCOPE).reasons).toEqual(['epoch']);
    const second = await settleRecovery(deps(), 'token', SCOPE, await resendAcknowledged(deps(), 'token', 'rv-1'));
    expect(second).toEqual(first);
    expect(db.syncMarks.mark(SERVICE, 'rv-1').epoch).toBe('d'.repeat(32));
  });
});
