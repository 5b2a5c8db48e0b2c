import type { Migration } from './types';

/**
 * The daily bound on an account's timing records (service/timing-checks.ts) counts what the
 * account stored in the last 24 hours on every upload. This index makes that a count of one day's
 * entries, not a walk of every record the account ever sent.
 */
export const migration0016: Migration = {
  version: 16,
  name: 'timing-received-index',
  up(db) {
    db.exec('CREATE INDEX timing_records_received ON timing_records (account, received_at);');
  },
};
