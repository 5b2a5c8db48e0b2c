import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate } from '../../../../main/db/migrate';
import { migrations } from '../../../../main/db/migrations';
import { createBatchRepository } from '../../../../main/db/repositories/batch.repository';
import { makeTempDir } from '../../../support/temp-dir';

const BATCH = 'b-AAAAAAAAAAAA0001';
const clip = (n: number): string => `c-AAAAAAAA${String(n).padStart(6, '0')}`;

describe('migration 0018 (quarantined clips index)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migrate(
      db,
      migrations.filter((m) => m.version < 18),
    );
    db.exec(`INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status)
      VALUES ('${BATCH}', 'en-US', 40, 0, 9, 0, 'active')`);
    const insert = db.prepare(
      `INSERT INTO clips (batch_id, clip_id, ordinal, state, reason, audio_iv, audio_tag, audio, meta_iv, meta_tag, meta)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, x'01', x'02', x'03')`,
    );
    for (let i = 0; i < 40; i += 1) {
      const quarantined = i % 10 === 3;
      insert.run(
        BATCH,
        clip(i),
        i,
        quarantined ? 'quarantined' : 'ready',
        quarantined ? 'bad audio' : null,
        quarantined ? null : Buffer.alloc(12),
        quarantined ? null : Buffer.alloc(16),
        quarantined ? null : Buffer.alloc(8_000, i),
      );
    }
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('counts a batch’s quarantined clips from the index alone, reading no clip row', () => {
    const plan = (): string =>
      db
        .prepare<[], { detail: string }>(
          `EXPLAIN QUERY PLAN SELECT count(*) FROM clips c WHERE c.batch_id = 'x' AND c.state = 'quarantined'`,
        )
        .all()
        .map((r) => r.detail)
        .join('\n');
    expect(plan()).not.toMatch(/COVERING INDEX clips_quarantined/);
    expect(
      migrate(
        db,
        migrations.filter((m) => m.version <= 18),
      ),
    ).toEqual([18]);
    expect(plan()).toMatch(/USING COVERING INDEX clips_quarantined \(batch_id=\?\)/);
    expect(createBatchRepository(db).list()).toMatchObject([
      { id: BATCH, clipCount: 40, withheld: { consentWithdrawn: 0, quarantined: 4 } },
    ]);
  });
});
