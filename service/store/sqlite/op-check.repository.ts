/**
 * The facts an incoming op is checked against, in SQLite: its batch's reviewer, its clip and that
 * clip's consent, and who holds the batch, in one statement on the one connection. Read through
 * the batch repository instead, each op paid for counting the batch's clips (`find` reports the
 * count), so an upload cost grew with the batch's size: 1,000 ops to a 1,000-clip batch counted
 * a million index entries.
 */
import type { Database } from 'better-sqlite3';
import type { OpCheckRepository } from '../repositories';
import type { Sync } from './unit-of-work';

type Raw = {
  assigned_to: string | null;
  has_clip: number;
  withdrawn: number;
  released_from_device: number;
  holder_key_id: string | null;
};

// One row whether or not the batch exists; with no clip asked about, the clip is NULL and matches none.
export const OP_CHECK_FACTS = `
  SELECT (SELECT assigned_to FROM batches WHERE batch_id = @batchId) AS assigned_to,
         EXISTS (SELECT 1 FROM batch_clips WHERE batch_id = @batchId AND clip_id = @clipId) AS has_clip,
         EXISTS (SELECT 1 FROM batch_clips WHERE batch_id = @batchId AND clip_id = @clipId
                   AND json_extract(details, '$.consent') = 'withdrawn') AS withdrawn,
         EXISTS (SELECT 1 FROM checkouts
                  WHERE account = @account AND key_id = @keyId AND batch_id = @batchId AND released_at IS NOT NULL)
           AS released_from_device,
         (SELECT key_id FROM checkouts WHERE batch_id = @batchId AND released_at IS NULL AND revoked_at IS NULL)
           AS holder_key_id`;

export function sqliteOpCheckRepository(db: Database): Sync<OpCheckRepository> {
  const facts = db.prepare<[{ batchId: string; clipId: string | null; account: string; keyId: string }], Raw>(
    OP_CHECK_FACTS,
  );
  return {
    facts({ account, keyId, batchId, clipId }) {
      const r = facts.get({ batchId, clipId: clipId ?? null, account, keyId });
      if (!r) {
        throw new Error('SQLite store: the op check returned no row.');
      }
      return {
        assignedTo: r.assigned_to,
        hasClip: r.has_clip === 1,
        withdrawn: r.withdrawn === 1,
        releasedFromDevice: r.released_from_device === 1,
        holderKeyId: r.holder_key_id,
      };
    },
  };
}
