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

  it('records a whole answer with one statement per acknowledgement and two for the request', () => {
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
    // One acknowledgement per op (each has its own serverSeq), the attempts and the revisions
    // marked synced once for the request: not three statements per op.
    expect(updates()).toBe(100 + 2);
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
});
