import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBatchRepository } from '../../../../main/db/repositories/batch.repository';
import { databaseBefore, type DatabaseBefore } from '../../../support/migration-db';

const BATCH = 'b-AAAAAAAAAAAA0001';
const clip = (n: number): string => `c-AAAAAAAA${String(n).padStart(6, '0')}`;

describe('migration 0018 (quarantined clips index)', () => {
  let before: DatabaseBefore;

  beforeEach(() => {
    before = databaseBefore(18);
    const { db } = before;
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
    before.close();
  });

  it('counts a batch’s quarantined clips from the index alone, reading no clip row', () => {
    const { db } = before;
    const plan = (): string =>
      db
        .prepare<[], { detail: string }>(
          `EXPLAIN QUERY PLAN SELECT count(*) FROM clips c WHERE c.batch_id = 'x' AND c.state = 'quarantined'`,
        )
        .all()
        .map((r) => r.detail)
        .join('\n');
    // Before: an index of the batch's clips finds them, and each row is read for its state.
    expect(plan()).toMatch(/SEARCH c USING INDEX sqlite_autoindex_clips_\d \(batch_id=\?\)/);
    expect(before.upgrade()).toEqual([18]);
    expect(plan()).toMatch(/USING COVERING INDEX clips_quarantined \(batch_id=\?\)/);
    expect(createBatchRepository(db).list()).toMatchObject([
      { id: BATCH, clipCount: 40, withheld: { consentWithdrawn: 0, quarantined: 4 } },
    ]);
  });
});
