import type { PgMigration } from './types';

/**
 * Indexes for the reads of a supervisor's team report. Each read of a reviewer's clip or break
 * records by shift or by batch walked every record of that kind the reviewer ever sent (the
 * only index was by account and kind), so a page of team shifts slowed with each reviewer's
 * whole history. These index the columns those reads select by, only for the kinds that carry
 * them: timing events, the most numerous records, add no entries.
 */
export const pgMigration0006: PgMigration = {
  version: 6,
  name: 'timing-read-indexes',
  sql: `
    CREATE INDEX timing_records_clip_batch ON timing_records (account, batch_id) WHERE kind = 'clip';
    CREATE INDEX timing_records_member_shift ON timing_records (account, shift_id) WHERE kind IN ('clip', 'break');
  `,
};
