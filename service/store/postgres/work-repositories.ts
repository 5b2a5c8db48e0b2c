/** The work half of the PostgreSQL store: batches and clips, ops, timing, escalations, gold clips, hearings. */
import type { Repositories } from '../repositories';
import type { PgDb } from './db';
import { notBuilt } from './not-built';

export type WorkRepositories = Pick<Repositories, 'batches' | 'ops' | 'timing' | 'escalations' | 'gold' | 'hearings'>;

export function pgWorkRepositories(db: PgDb): WorkRepositories {
  void db;
  return {
    batches: notBuilt('batches'),
    ops: notBuilt('ops'),
    timing: notBuilt('timing'),
    escalations: notBuilt('escalations'),
    gold: notBuilt('gold'),
    hearings: notBuilt('hearings'),
  };
}
