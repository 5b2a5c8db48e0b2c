import type { PgMigration } from './types';

/**
 * The daily bound on an account's timing records (service/timing-checks.ts) counts what the
 * account stored in the last 24 hours on every upload. This index makes that a count of one day's
 * entries, not a walk of every record the account ever sent.
 */
export const pgMigration0008: PgMigration = {
  version: 8,
  name: 'timing-received-index',
  sql: 'CREATE INDEX timing_records_received ON timing_records (account, received_at);',
};
