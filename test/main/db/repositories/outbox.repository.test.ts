import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../main/db/migrate';
import { createOutboxRepository } from '../../../../main/db/repositories/outbox.repository';
import type { OutboxRow } from '../../../../main/db/repositories/outbox-rows';
import { testBatchId, testClipId } from '../../../support/ids';

/** A migrated in-memory database that counts the UPDATE statements it runs. */
function countingDb() {
  const statements: string[] = [];
  const db = new Database(':memory:', { verbose: (sql) => statements.push(String(sql)) });
  migrate(db);
  return { db, updates: (): number => statements.filter((s) => /^\s*UPDATE/i.test(s)).length, statements };
}

const annotationRow = (n: number): OutboxRow => ({
  seq: n,
  opId: `op-${n}`,
  kind: 'annotation',
  author: 'r-1',
  batchId: testBatchId(1),
  clipId: testClipId(n),
  revision: 1,
  auditType: null,
  refOpId: null,
  createdAt: 0,
  attempts: 0,
  baseRevision: 0,
  baseOpId: null,
  sourceOpId: null,
});

describe('outbox settle', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('records a whole answer with one update, however many ops it acknowledges', () => {
    const { db, updates, statements } = countingDb();
    close = () => db.close();
    const outbox = createOutboxRepository(db);
    const rows = Array.from({ length: 100 }, (_, i) => annotationRow(i + 1));
    statements.length = 0;
    outbox.settle(
      rows,
      rows.map((row, i) => ({ row, serverSeq: i + 1 })),
      [],
      1_000,
    );
    // The acknowledgements, each with its own serverSeq and counting the attempt, once for the
    // request: no statement per op, no second pass over rows acknowledged just to count their
    // attempt, and no write to the revisions the ops carried (the outbox alone says they went up).
    expect(updates()).toBe(1);
  });

  it('counts an attempt and acknowledges every op of the answer', () => {
    const { db } = countingDb();
    close = () => db.close();
    const outbox = createOutboxRepository(db);
    for (const n of [1, 2, 3]) {
      outbox.add({
        opId: `audit-${n}`,
        kind: 'audit',
        author: 'r-1',
        batchId: null,
        clipId: null,
        revision: null,
        auditType: 'locked',
        refOpId: null,
        createdAt: n,
      });
    }
    const sent = outbox.pending('r-1', 10);
    const [first] = sent;
    expect(sent).toHaveLength(3);
    if (!first) {
      throw new Error('nothing pending');
    }
    outbox.settle(sent, [{ row: first, serverSeq: 7 }], [], 1_000);
    const after = db.prepare('SELECT op_id, state, attempts, server_seq FROM outbox ORDER BY seq').all();
    expect(after).toEqual([
      { op_id: 'audit-1', state: 'acked', attempts: 1, server_seq: 7 },
      { op_id: 'audit-2', state: 'pending', attempts: 1, server_seq: null },
      { op_id: 'audit-3', state: 'pending', attempts: 1, server_seq: null },
    ]);
  });

  it('acknowledges each op with its own serverSeq and marks its annotation or escalation synced', () => {
    const { db } = countingDb();
    close = () => db.close();
    // The work rows only need to exist here: their batch and clip are not what is tested.
    db.pragma('foreign_keys = OFF');
    const outbox = createOutboxRepository(db);
    const sealed = [Buffer.alloc(12), Buffer.alloc(16), Buffer.alloc(1)];
    const annotation = db.prepare(
      `INSERT INTO annotations (batch_id, clip_id, revision, op_id, submitted_at, body_iv, body_tag, body)
       VALUES (?, ?, 1, ?, 0, ?, ?, ?)`,
    );
    const escalation = db.prepare(
      "INSERT INTO escalations (id, batch_id, clip_ref, created_at, note_iv, note_tag, note) VALUES (?, ?, 'ref', 0, ?, ?, ?)",
    );
    const batchId = testBatchId(1);
    db.prepare("INSERT INTO sync_batches (batch_id, source) VALUES (?, 'checkout')").run(batchId);
    for (const n of [1, 2]) {
      annotation.run(batchId, testClipId(n), `op-${n}`, ...sealed);
      outbox.add({
        opId: `op-${n}`,
        kind: 'annotation',
        author: 'r-1',
        batchId,
        clipId: testClipId(n),
        revision: 1,
        auditType: null,
        refOpId: null,
        createdAt: n,
      });
    }
    escalation.run('esc-1', batchId, ...sealed);
    outbox.add({
      opId: 'esc-1',
      kind: 'escalation',
      author: 'r-1',
      batchId,
      clipId: testClipId(3),
      revision: null,
      auditType: null,
      refOpId: null,
      createdAt: 3,
    });
    const sent = outbox.pending('r-1', 10);
    const [a1, a2, e1] = sent;
    if (!a1 || !a2 || !e1) {
      throw new Error('nothing pending');
    }
    outbox.settle(
      sent,
      [
        { row: a1, serverSeq: 11 },
        { row: e1, serverSeq: null },
      ],
      [],
      5_000,
    );
    expect(db.prepare('SELECT op_id, state, acked_at, server_seq FROM outbox ORDER BY seq').all()).toEqual([
      { op_id: 'op-1', state: 'acked', acked_at: 5_000, server_seq: 11 },
      { op_id: 'op-2', state: 'pending', acked_at: null, server_seq: null },
      { op_id: 'esc-1', state: 'acked', acked_at: 5_000, server_seq: null },
    ]);
  });

  it('reads the next page of pending ops in outbox order from its index, without sorting every pending op', () => {
    const { db, statements } = countingDb();
    close = () => db.close();
    const outbox = createOutboxRepository(db);
    statements.length = 0;
    outbox.pending('r-1', 100);
    const [sql] = statements.filter((s) => /FROM outbox o WHERE o.state = 'pending'/.test(s));
    if (!sql) {
      throw new Error('the pending read was not seen');
    }
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all()
      .map((r) => (r as { detail: string }).detail);
    expect(plan.some((d) => d.includes('outbox_pending'))).toBe(true);
    expect(plan.some((d) => d.includes('TEMP B-TREE'))).toBe(false);
  });
});
