import type { Migration } from './types';

/**
 * The supervisor's list of closed escalations reads the ones closed last. Without an index on
 * status and time it read every closed escalation of the organisation, and their answers, on each
 * listing, so the list slowed for as long as the service ran.
 */
export const migration0015: Migration = {
  version: 15,
  name: 'closed-escalations-index',
  up(db) {
    db.exec('CREATE INDEX escalation_states_status ON escalation_states (status, updated_at);');
  },
};
