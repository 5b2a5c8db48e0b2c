import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate, schemaVersion } from '../../../../main/db/migrate';
import { migrations } from '../../../../main/db/migrations';
import { createEscalationAnswerRepository } from '../../../../main/db/repositories/escalation-answer.repository';
import { makeTempDir } from '../../../support/temp-dir';

describe('migration 0013 (escalation answers)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migrate(
      db,
      migrations.filter((m) => m.version < 13),
    );
    db.exec(
      `INSERT INTO outbox (op_id, kind, author, created_at, state, audit_type) VALUES ('op-1', 'audit', 'rv-1', 0, 'pending', 'locked')`,
    );
    migrate(
      db,
      migrations.filter((m) => m.version <= 13),
    );
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('adds STRICT tables for answers and notices and keeps the outbox', () => {
    expect(schemaVersion(db)).toBe(13);
    const strict = db
      .prepare<[], { strict: number }>(
        "SELECT strict FROM pragma_table_list WHERE name IN ('escalation_answers', 'escalation_notices')",
      )
      .all();
    expect(strict).toEqual([{ strict: 1 }, { strict: 1 }]);
    expect(db.prepare('SELECT op_id FROM outbox').all()).toEqual([{ op_id: 'op-1' }]);
  });

  it('keeps answers in order per author, empties what was sent, and never moves a notice back', () => {
    const repo = createEscalationAnswerRepository(db);
    const body = Buffer.from([1, 2, 3]);
    repo.add({ responseId: 'r-2', author: 'sv-1', opId: 'op-x', action: 'close', body, createdAt: 20 });
    repo.add({ responseId: 'r-1', author: 'sv-1', opId: 'op-x', action: 'acknowledge', body, createdAt: 10 });
    repo.add({ responseId: 'r-3', author: 'sv-2', opId: 'op-x', action: 'acknowledge', body, createdAt: 5 });
    expect(repo.pending('sv-1').map((r) => r.responseId)).toEqual(['r-1', 'r-2']);
    repo.sent('r-1', 30);
    repo.refused('r-2', 'conflict', 31);
    expect(repo.pending('sv-1')).toEqual([]);
    expect(repo.unsent('sv-1')).toMatchObject([{ responseId: 'r-2', state: 'refused', problem: 'conflict' }]);
    expect(db.prepare('SELECT length(body) AS n FROM escalation_answers ORDER BY response_id').all()).toEqual([
      { n: 0 },
      { n: 0 },
      { n: 3 },
    ]);
    expect(() =>
      repo.add({ responseId: 'r-1', author: 'sv-1', opId: 'op-y', action: 'close', body, createdAt: 1 }),
    ).toThrow(/UNIQUE/);
    expect(repo.seenAt('rv-1')).toBe(0);
    repo.markSeen('rv-1', 50);
    repo.markSeen('rv-1', 40);
    expect(repo.seenAt('rv-1')).toBe(50);
  });
});
