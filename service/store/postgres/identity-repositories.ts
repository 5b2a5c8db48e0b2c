/** The identity half of the PostgreSQL store: accounts, sessions, devices, sign-ins, teams, audit, keys, sync state. */
import type { Repositories } from '../repositories';
import type { PgDb } from './db';
import { notBuilt } from './not-built';

export type IdentityRepositories = Pick<
  Repositories,
  | 'accounts'
  | 'sessions'
  | 'devices'
  | 'checkouts'
  | 'enrolmentCodes'
  | 'signIns'
  | 'serviceKeys'
  | 'audit'
  | 'teams'
  | 'syncState'
>;

export function pgIdentityRepositories(db: PgDb): IdentityRepositories {
  void db;
  return {
    accounts: notBuilt('accounts'),
    sessions: notBuilt('sessions'),
    devices: notBuilt('devices'),
    checkouts: notBuilt('checkouts'),
    enrolmentCodes: notBuilt('enrolmentCodes'),
    signIns: notBuilt('signIns'),
    serviceKeys: notBuilt('serviceKeys'),
    audit: notBuilt('audit'),
    teams: notBuilt('teams'),
    syncState: notBuilt('syncState'),
  };
}
