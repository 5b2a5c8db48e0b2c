import type { PgMigration } from './types';

/**
 * The supervisor's list of closed escalations reads the ones closed last. Without an index on
 * status and time it read every closed escalation of the organisation, and their answers, on each
 * listing, so the list slowed for as long as the service ran.
 */
export const pgMigration0007: PgMigration = {
  version: 7,
  name: 'closed-escalations-index',
  sql: 'CREATE INDEX escalation_states_status ON escalation_states (status, updated_at);',
};
