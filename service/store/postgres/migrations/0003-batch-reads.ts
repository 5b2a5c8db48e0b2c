import type { PgMigration } from './types';

/**
 * What every sync asks of a batch, read without visiting its clips: batch status (each sync's
 * first request) and every annotation upload read the batch's clip count and its withdrawn
 * clips, and both were a pass over all of the batch's clip rows (a thousand per batch).
 *
 * - `batches.clip_count` is kept by the one statement that adds clips (`insertClips`), in the
 *   same transaction; existing batches are counted once here.
 * - `batch_clips_withdrawn` holds only withdrawn clips, in batch order: the list of a batch's
 *   withdrawn clips reads those rows alone.
 */
export const pgMigration0003: PgMigration = {
  version: 3,
  name: 'batch-reads',
  sql: `
    ALTER TABLE batches ADD COLUMN clip_count INTEGER NOT NULL DEFAULT 0 CHECK (clip_count >= 0);
    UPDATE batches b SET clip_count = (SELECT count(*) FROM batch_clips c WHERE c.batch_id = b.batch_id);
    CREATE INDEX batch_clips_withdrawn ON batch_clips (batch_id, ordinal) WHERE withdrawn;
  `,
};
