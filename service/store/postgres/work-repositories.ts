/**
 * The work half of the PostgreSQL store: batches and clips, who holds them, ops and the devices
 * they came from, timing, escalations, gold clips, hearings.
 */
import type { Repositories } from '../repositories';
import type { PgDb } from './db';
import { notBuilt } from './not-built';

export type WorkRepositories = Pick<
  Repositories,
  'batches' | 'checkouts' | 'ops' | 'syncState' | 'timing' | 'escalations' | 'gold' | 'hearings'
>;

export function pgWorkRepositories(db: PgDb): WorkRepositories {
  void db;
  return {
    batches: notBuilt('batches'),
    checkouts: notBuilt('checkouts'),
    ops: notBuilt('ops'),
    syncState: notBuilt('syncState'),
    timing: notBuilt('timing'),
    escalations: notBuilt('escalations'),
    gold: notBuilt('gold'),
    hearings: notBuilt('hearings'),
  };
}
