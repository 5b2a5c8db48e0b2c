import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxRepository, PARKED } from '../../../../main/db/repositories/outbox.repository';
import { databaseBefore, type DatabaseBefore } from '../../../support/migration-db';

/** The repository's own query of a reviewer's parked ops. */
const OF_REVIEWER = `${PARKED} AND o.author = 'rv-a' ORDER BY o.seq`;

describe('migration 0020 (parked ops index)', () => {
  let before: DatabaseBefore;

  beforeEach(() => {
    before = databaseBefore(20);
    const add = before.db.prepare<[string, string, string, number | null, number | null, string | null]>(
      `INSERT INTO outbox (op_id, kind, author, audit_type, created_at, state, acked_at, parked_at, park_reason)
       VALUES (?, 'audit', ?, 'locked', 0, ?, ?, ?, ?)`,
    );
    const insert = (opId: string, author: string, state: string, reason: 'rejected' | 'conflict' | null): void => {
      add.run(opId, author, state, state === 'acked' ? 1 : null, reason ? 1 : null, reason);
    };
    // 300 acknowledged ops, as a synced shift leaves them, and a few of every other kind.
    for (let i = 0; i < 300; i += 1) {
      insert(`op-acked-${i}`, 'rv-a', 'acked', null);
    }
    insert('op-pending', 'rv-a', 'pending', null);
    insert('op-parked-1', 'rv-a', 'parked', 'rejected');
    insert('op-parked-other', 'rv-b', 'parked', 'rejected');
    insert('op-resolved', 'rv-a', 'parked', 'rejected');
    insert('op-parked-2', 'rv-a', 'parked', 'conflict');
    before.db.exec(`UPDATE outbox SET resolution = 'discarded', resolved_at = 2 WHERE op_id = 'op-resolved'`);
  });
  afterEach(() => {
    before.close();
  });

  it('finds the unresolved parked ops from an index of them alone, reading no other row', () => {
    const { db } = before;
    const plan = (): string =>
      db
        .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${OF_REVIEWER}`)
        .all()
        .map((r) => r.detail)
        .join('\n');
    // Before: every outbox row is read for its state.
    expect(plan()).toMatch(/^SCAN o$/m);
    expect(before.upgrade()).toEqual([20]);
    expect(plan()).toMatch(/SCAN o USING INDEX outbox_parked/);
    expect(
      createOutboxRepository(db)
        .parked('rv-a')
        .map((r) => [r.opId, r.reason]),
    ).toEqual([
      ['op-parked-1', 'rejected'],
      ['op-parked-2', 'conflict'],
    ]);
  });
});
