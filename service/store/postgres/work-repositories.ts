/**
 * The work half of the PostgreSQL store: batches and clips, who holds them, ops and the devices
 * they came from, timing, escalations, gold clips, hearings.
 */
import type { Repositories } from '../repositories';
import { pgBatchRepository } from './batch.repository';
import { pgCheckoutRepository } from './checkout.repository';
import type { PgDb } from './db';
import { pgEscalationRepository } from './escalation.repository';
import { pgGoldRepository } from './gold.repository';
import { pgHearingRepository } from './hearing.repository';
import { pgOpCheckRepository } from './op-check.repository';
import { pgOpRepository } from './op.repository';
import { pgSyncStateRepository } from './sync-state.repository';
import { pgTimingRepository } from './timing.repository';

export type WorkRepositories = Pick<
  Repositories,
  'batches' | 'opChecks' | 'checkouts' | 'ops' | 'syncState' | 'timing' | 'escalations' | 'gold' | 'hearings'
>;

export function pgWorkRepositories(db: PgDb): WorkRepositories {
  return {
    batches: pgBatchRepository(db),
    opChecks: pgOpCheckRepository(db),
    checkouts: pgCheckoutRepository(db),
    ops: pgOpRepository(db),
    syncState: pgSyncStateRepository(db),
    timing: pgTimingRepository(db),
    escalations: pgEscalationRepository(db),
    gold: pgGoldRepository(db),
    hearings: pgHearingRepository(db),
  };
}
