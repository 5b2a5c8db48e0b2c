/**
 * The facts an incoming op is checked against, in PostgreSQL: its batch's reviewer, its clip and
 * that clip's consent, and who holds the batch, in one statement instead of five round trips.
 */
import type { OpCheckRepository } from '../repositories';
import type { PgDb } from './db';

type Raw = {
  assigned_to: string | null;
  has_clip: boolean;
  withdrawn: boolean;
  released_from_device: boolean;
  holder_key_id: string | null;
};

// One row whether or not the batch exists; with no clip asked about, $2 is NULL and matches none.
const FACTS = `
  SELECT (SELECT assigned_to FROM batches WHERE batch_id = $1) AS assigned_to,
         EXISTS (SELECT 1 FROM batch_clips WHERE batch_id = $1 AND clip_id = $2) AS has_clip,
         EXISTS (SELECT 1 FROM batch_clips WHERE batch_id = $1 AND clip_id = $2 AND withdrawn) AS withdrawn,
         EXISTS (SELECT 1 FROM checkouts
                  WHERE account = $3 AND key_id = $4 AND batch_id = $1 AND released_at IS NOT NULL)
           AS released_from_device,
         (SELECT key_id FROM checkouts WHERE batch_id = $1 AND released_at IS NULL AND revoked_at IS NULL)
           AS holder_key_id`;

export function pgOpCheckRepository(db: PgDb): OpCheckRepository {
  return {
    async facts({ account, keyId, batchId, clipId }) {
      const [r] = await db.query<Raw>(FACTS, [batchId, clipId ?? null, account, keyId]);
      if (!r) {
        throw new Error('PostgreSQL store: the op check returned no row.');
      }
      return {
        assignedTo: r.assigned_to,
        hasClip: r.has_clip,
        withdrawn: r.withdrawn,
        releasedFromDevice: r.released_from_device,
        holderKeyId: r.holder_key_id,
      };
    },
  };
}
