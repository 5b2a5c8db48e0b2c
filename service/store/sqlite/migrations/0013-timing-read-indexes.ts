import type { Migration } from './types';

/**
 * Indexes for the reads of a supervisor's team report. Each read of a reviewer's clip or break
 * records by shift or by batch walked every record of that kind the reviewer ever sent (the
 * only index was by account and kind) and parsed each body, so a page of team shifts slowed with
 * each reviewer's whole history. These index the fields those reads select by, as the very
 * expressions the statements use (service/store/sqlite/timing.repository.ts), and only for the
 * kinds that carry them: timing events, the most numerous records, add no entries.
 */
export const migration0013: Migration = {
  version: 13,
  name: 'timing-read-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX timing_records_clip_batch
        ON timing_records (account, json_extract(body, '$.batchId')) WHERE kind = 'clip';
      CREATE INDEX timing_records_member_shift
        ON timing_records (account, json_extract(body, '$.shiftId')) WHERE kind IN ('clip', 'break');
    `);
  },
};
