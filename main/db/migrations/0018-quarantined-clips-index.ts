import type { Migration } from './types';

/**
 * The batch list counts each batch's quarantined clips, and erasing a batch keeps that count. With
 * no index to answer it, SQLite found the batch's clips through the primary key and then read
 * each row from the table for its state — about one table page per clip, since a row holding its
 * audio inline fills most of a page: about 7 ms for a 1,000-clip batch, on every list, for every
 * batch listed (and the list is sent after every import). A partial index holds the quarantined
 * clips alone, so the count reads that index and no clip row; ready clips, nearly all of them,
 * add nothing to it.
 */
export const migration0018: Migration = {
  version: 18,
  name: 'quarantined-clips-index',
  up(db) {
    db.exec(`CREATE INDEX clips_quarantined ON clips (batch_id) WHERE state = 'quarantined';`);
  },
};
